package io.qcfg.cli;

import io.qcfg.internal.Pipeline;
import io.qcfg.internal.snapshot.ConfigSnapshot;
import java.io.PrintWriter;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * {@code --require-decrypt}, for the offline verbs that can work without the key ({@code
 * validate}, {@code print}, {@code render}): without a key and without this flag, {@code ENC[...]}
 * values are checked for shape, format version and key id and otherwise kept opaque, so that CI
 * can validate and render production without holding the production key. The verb then says
 * which values were not decrypted (QCFG-4022); it never prints one.
 */
final class DecryptionOption {
  @Option(
      names = "--require-decrypt",
      description =
          "Fail (QCFG-4020) on ENC[...] values when no key is given (--key, QCFG_KEY), as a JVM"
              + " does. Without it and without a key they are checked for shape and key id only,"
              + " kept opaque, and named as not decrypted.")
  boolean requireDecrypt;

  /** The pipeline's mode for these flags; {@code needsPlaintext}: the output holds secrets. */
  Pipeline.Decryption mode(boolean needsPlaintext) {
    return requireDecrypt || needsPlaintext
        ? Pipeline.Decryption.STRICT
        : Pipeline.Decryption.OPAQUE_WITHOUT_KEY;
  }

  /**
   * The paths whose {@code ENC[...]} value {@code s} holds undecrypted: all of them when the build
   * had no key and was not strict, else none.
   */
  static Set<String> undecrypted(OfflineConfig config, ConfigSnapshot s) {
    return config.keepsEncryptedOpaque() ? s.encryptedPaths() : Set.of();
  }

  /**
   * One line naming the values that were not decrypted (paths only, never a value), or nothing
   * when there are none.
   */
  static void tell(PrintWriter to, Set<String> paths) {
    if (paths.isEmpty()) {
      return;
    }
    to.println(
        "note: "
            + paths.size()
            + (paths.size() == 1 ? " ENC[...] value was" : " ENC[...] values were")
            + " not decrypted (no key): "
            + String.join(", ", new java.util.TreeSet<>(paths))
            + "; checked for shape and key id only, the schema's value rules not applied; give"
            + " --key FILE or QCFG_KEY to check them, --require-decrypt to demand it [QCFG-4022]");
  }
}
