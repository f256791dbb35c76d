package io.qcfg.cli;

import io.qcfg.internal.audit.AuditVerifier;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;

/** {@code qcfg audit verify --state DIR}: recomputes the audit log's hash chain. */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Check the audit log of --state (default: ./.qcfg/<dir name>-<hash>, from --dir): every line must carry the hash of the"
          + " line before it and the chain must end where audit.head says.",
      "Prints 'audit chain intact: N lines', or names the first bad file and line and what is"
          + " wrong (edited, deleted, inserted, reordered, truncated) and exits 1. Only reads."
    })
final class AuditVerifyCommand extends Verb {
  @Override
  public Integer call() {
    Path state = cli().options().state();
    if (!Files.isDirectory(state)) {
      throw CliFailure.usage(
          "QCFG-5236",
          state
              + ": no such state directory; point --state at the JVM's state directory (default:"
              + " ./.qcfg/<dir name>-<hash>, from --dir)");
    }
    if (!hasAuditFiles(state)) {
      // An empty chain would verify; a wrong --state must not pass as an intact log.
      throw CliFailure.failed(
          "QCFG-5237", state + ": no audit log here (no audit.log or audit.head)");
    }
    AuditVerifier.Result r = AuditVerifier.verify(state);
    if (r.ok()) {
      out().println("audit chain intact: " + r.linesChecked() + " lines");
      return QcfgCli.OK;
    }
    out()
        .println(
            "audit chain BROKEN in "
                + state
                + " ("
                + r.linesChecked()
                + " lines checked): "
                + r.describe());
    return QcfgCli.FAILED;
  }

  private static boolean hasAuditFiles(Path state) {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(state, "audit*")) {
      return files.iterator().hasNext();
    } catch (IOException e) {
      return true; // let the verifier name what it cannot read
    }
  }
}
