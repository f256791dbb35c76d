package io.qcfg.cli;

import io.qcfg.internal.QcfgOptions;
import io.qcfg.internal.crypto.KeyRing;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The key ring of {@code encrypt} and {@code decrypt}, found as the agent finds it: {@code --key
 * FILE}, else {@code -Dqcfg.key} or {@code QCFG_KEY}, where {@code QCFG_KEY} may also hold the key
 * ring text itself (as a Kubernetes Secret exposed as a variable does).
 */
final class KeyRingFile {
  private KeyRingFile() {}

  /**
   * @throws CliFailure (usage, QCFG-5228) when no key is configured at all
   * @throws io.qcfg.QcfgException.Invalid when the key ring cannot be read or parsed; the message
   *     names the file and line, never key material
   */
  static KeyRing load(QcfgCli cli, String verb) {
    QcfgOptions options = cli.options();
    Path key = options.key();
    if (key == null) {
      throw CliFailure.usage(
          "QCFG-5228",
          verb
              + " needs a key ring: --key FILE or QCFG_KEY (create one with 'qcfg keygen --out"
              + " FILE')");
    }
    String inline = System.getenv("QCFG_KEY");
    boolean fromVariable = cli.key == null && System.getProperty("qcfg.key") == null;
    if (fromVariable && !Files.exists(key) && inline != null && inline.contains(":")) {
      // The variable's own text, not the Path made of it: a path would fold "//" in base64.
      return KeyRing.parse(inline, "QCFG_KEY");
    }
    return KeyRing.load(key);
  }
}
