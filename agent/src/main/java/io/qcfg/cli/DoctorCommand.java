package io.qcfg.cli;

import picocli.CommandLine.Command;

/** {@code qcfg doctor SUBCOMMAND}: diagnostics; alone, the usage (status 2). */
@Command(
    name = "doctor",
    mixinStandardHelpOptions = true,
    description =
        "Diagnostics. 'qcfg doctor startup' starts a fresh JVM under the agent and prints where"
            + " its start-up time goes.",
    synopsisSubcommandLabel = "SUBCOMMAND",
    subcommands = {DoctorStartupCommand.class})
final class DoctorCommand extends Verb {
  @Override
  public Integer call() {
    spec.commandLine().usage(err());
    return QcfgCli.USAGE;
  }
}
