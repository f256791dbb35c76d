package io.qcfg.cli;

import io.qcfg.internal.crypto.KeyRing;
import io.qcfg.internal.crypto.ValueCipher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code qcfg decrypt --key FILE --path P --i-am-an-operator ENCVALUE|-}: prints the plaintext. */
@Command(
    name = "decrypt",
    mixinStandardHelpOptions = true,
    description = {
      "Print the plaintext of an ENC[...] value (needs --i-am-an-operator).",
      "",
      "Decrypt an ENC[...] value and print the plaintext: for an operator who may see the secret."
          + " Nothing is printed without --i-am-an-operator.",
      "--path is the configuration path the value lives at; a value encrypted without --path"
          + " decrypts under any path. Give the value as - to read it from stdin.",
      "Messages never show the value or its plaintext."
    })
final class DecryptCommand extends Verb implements QcfgCli.SecretArguments {
  @Option(
      names = "--path",
      paramLabel = "P",
      description = "The configuration path the value was encrypted for.")
  String path;

  @Option(
      names = "--i-am-an-operator",
      description = "Confirm that you may see the plaintext; required.")
  boolean operator;

  @Parameters(paramLabel = "ENCVALUE", description = "The ENC[...] value, or - for stdin.")
  String value;

  @Override
  public String synopsis() {
    return "qcfg decrypt --key FILE --path P --i-am-an-operator ENCVALUE|-";
  }

  @Override
  public Integer call() {
    if (!operator) {
      throw CliFailure.usage(
          "QCFG-5230",
          "decrypt prints a secret in plaintext: add --i-am-an-operator to confirm that you may"
              + " see it");
    }
    if (path == null) {
      throw CliFailure.usage(
          "QCFG-5232",
          "decrypt needs --path P, the configuration path the value was encrypted for (any path"
              + " for a value encrypted without --path)");
    }
    KeyRing ring = KeyRingFile.load(cli(), "decrypt");
    boolean fromStdin = value.equals("-");
    String encrypted = fromStdin ? secretFromStdin("value to decrypt: ") : value;
    out().println(ValueCipher.decrypt(ring, fromStdin ? "stdin" : "argument", path, encrypted));
    return QcfgCli.OK;
  }
}
