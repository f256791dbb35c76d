package io.qcfg.cli;

import io.qcfg.Problem;
import io.qcfg.internal.crypto.DirectorySigner;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code qcfg verify-signature --dir D --public-key K}: checks a directory against its signature.
 */
@Command(
    name = "verify-signature",
    mixinStandardHelpOptions = true,
    description = {
      "Check --dir against its signature with an Ed25519 public key.",
      "",
      "Check --dir against its .qcfg-signature with an Ed25519 public key (PEM): the signature"
          + " must be the key's, and no signed file may have changed, been added or removed.",
      "Prints the signed sequence and time, or every problem, and exits 1."
    })
final class VerifySignatureCommand extends Verb {
  @Option(
      names = "--public-key",
      required = true,
      paramLabel = "FILE",
      description = "The public key (PREFIX.pub from 'qcfg sign --keygen').")
  Path publicKey;

  @Override
  public Integer call() {
    Path dir = cli().options().dir();
    OfflineConfig.requireDirectory(dir);
    DirectorySigner.Verification v =
        DirectorySigner.verify(dir, DirectorySigner.readPublic(publicKey), 0);
    if (v.ok()) {
      out()
          .println(
              "signature OK: "
                  + dir
                  + " is as signed at sequence "
                  + v.sequence()
                  + " ("
                  + v.signedAt()
                  + ")");
      return QcfgCli.OK;
    }
    int n = v.problems().size();
    out()
        .println(
            "signature INVALID: "
                + dir
                + ": "
                + n
                + (n == 1 ? " problem" : " problems")
                + " [QCFG-5241]");
    for (Problem p : v.problems()) {
      out().println("  " + p);
    }
    return QcfgCli.FAILED;
  }
}
