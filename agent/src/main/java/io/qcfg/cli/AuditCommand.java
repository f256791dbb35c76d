package io.qcfg.cli;

import picocli.CommandLine.Command;

/** {@code qcfg audit SUBCOMMAND}: tools for the audit log; alone, the usage (status 2). */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description =
        "Audit log tools. 'qcfg audit verify' checks the hash chain; 'qcfg audit anchor' prints"
            + " its end to keep elsewhere.",
    synopsisSubcommandLabel = "SUBCOMMAND",
    subcommands = {AuditVerifyCommand.class, AuditAnchorCommand.class})
final class AuditCommand extends Verb {
  @Override
  public Integer call() {
    spec.commandLine().usage(err());
    return QcfgCli.USAGE;
  }
}
