package io.qcfg.cli;

import io.qcfg.internal.crypto.KeyRing;
import io.qcfg.internal.crypto.ValueCipher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code qcfg encrypt --key FILE [--path P] VALUE|-}: prints {@code ENC[v1,<key id>,<data>]}. */
@Command(
    name = "encrypt",
    mixinStandardHelpOptions = true,
    description = {
      "Encrypt a value as ENC[...] with the key ring's first key.",
      "",
      "Encrypt a value with the first key of the key ring (AES-256-GCM) and print it as"
          + " ENC[v1,<key id>,<data>], to paste into any layer file.",
      "With --path the value is bound to that configuration path: it decrypts there only, so a"
          + " copy pasted under another path is refused. Without --path it decrypts anywhere.",
      "Give the value as - to read it from stdin (typed without echo on a terminal), which keeps"
          + " it out of the shell history and the process list."
    })
final class EncryptCommand extends Verb implements QcfgCli.SecretArguments {
  @Option(
      names = "--path",
      paramLabel = "P",
      description = "The configuration path the value will live at, e.g. db.password.")
  String path;

  @Parameters(paramLabel = "VALUE", description = "The plaintext, or - for stdin.")
  String value;

  @Override
  public String synopsis() {
    return "qcfg encrypt --key FILE [--path P] VALUE|-";
  }

  @Override
  public Integer call() {
    KeyRing ring = KeyRingFile.load(cli(), "encrypt");
    String plaintext = value.equals("-") ? secretFromStdin("value to encrypt: ") : value;
    if (plaintext.isEmpty()) {
      throw CliFailure.usage("QCFG-5229", "expected a value to encrypt, found an empty one");
    }
    String bound = path == null ? "" : path;
    out().println(ValueCipher.encrypt(ring, bound, plaintext));
    err()
        .println(
            bound.isEmpty()
                ? "encrypt: with key '"
                    + ring.primaryKeyId()
                    + "', not bound to a path: it decrypts under any path (--path P binds it)"
                : "encrypt: with key '"
                    + ring.primaryKeyId()
                    + "', bound to path '"
                    + bound
                    + "': it decrypts only at that path");
    return QcfgCli.OK;
  }
}
