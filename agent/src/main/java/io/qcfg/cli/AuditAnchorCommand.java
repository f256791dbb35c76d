package io.qcfg.cli;

import io.qcfg.internal.audit.AuditVerifier;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Command;

/** {@code qcfg audit anchor --state DIR}: the current end of the audit chain, to keep elsewhere. */
@Command(
    name = "anchor",
    mixinStandardHelpOptions = true,
    description = {
      "Print the end of the audit log of --state as <seq>:<sha256 of that line>, after checking"
          + " the chain. Store it off the machine (a ticket, a log shipper, a vault) and check the"
          + " log against it later with 'qcfg audit verify --anchor <seq>:<hash>': lines cut off"
          + " the end or a rewritten log then fail, which the chain alone cannot show.",
      "Exits 1 when the log does not verify or has no line. Only reads."
    })
final class AuditAnchorCommand extends Verb {
  @Override
  public Integer call() {
    Path state = AuditVerifyCommand.auditState(cli().options().state());
    Optional<String> anchor = AuditVerifier.anchor(state);
    if (anchor.isEmpty()) {
      throw CliFailure.failed(
          "QCFG-5244",
          state
              + ": no anchor: the audit log has no line or does not verify (run 'qcfg audit"
              + " verify')");
    }
    out().println(anchor.get());
    return QcfgCli.OK;
  }
}
