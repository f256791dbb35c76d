package io.qcfg.cli;

import io.qcfg.internal.audit.AuditVerifier;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code qcfg audit verify --state DIR}: recomputes the audit log's hash chain. */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Check the audit log of --state (default: ./.qcfg/<dir name>-<hash>, from --dir): every line must carry the hash of the"
          + " line before it and the chain must end where audit.head says.",
      "Prints 'audit chain intact: N lines', or names the first bad file and line and what is"
          + " wrong (edited, deleted, inserted, reordered, truncated, versions reused or missing)"
          + " and exits 1. Only reads.",
      "With --anchor (from 'qcfg audit anchor'): the anchored line must still be there,"
          + " unchanged."
    })
final class AuditVerifyCommand extends Verb {
  @Option(
      names = "--anchor",
      paramLabel = "SEQ:HASH",
      description = "An earlier 'qcfg audit anchor' output kept off the machine.")
  String anchor;

  @Override
  public Integer call() {
    Path state = auditState(cli().options().state());
    AuditVerifier.Result r;
    try {
      r = anchor == null ? AuditVerifier.verify(state) : AuditVerifier.verify(state, anchor);
    } catch (IllegalArgumentException e) {
      throw CliFailure.usage("QCFG-5245", e.getMessage());
    }
    if (r.ok()) {
      out().println("audit chain intact: " + r.linesChecked() + " lines"
          + (anchor == null ? "" : ", anchor matched"));
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

  /** {@code state}, refused (usage) when missing and (failed) when it holds no audit log. */
  static Path auditState(Path state) {
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
    return state;
  }

  private static boolean hasAuditFiles(Path state) {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(state, "audit*")) {
      return files.iterator().hasNext();
    } catch (IOException e) {
      return true; // let the verifier name what it cannot read
    }
  }
}
