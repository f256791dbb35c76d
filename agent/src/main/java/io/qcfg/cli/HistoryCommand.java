package io.qcfg.cli;

import io.qcfg.internal.jmx.HistoryInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code qcfg history --pid PID}; offline history from {@code --state} comes later. */
@Command(
    name = "history",
    mixinStandardHelpOptions = true,
    description = {
      "List the applied versions of a running JVM (--pid): version, time, environment, checksum,"
          + " cause.",
      "Reading the history of --state without a JVM is not yet available in this build."
    })
final class HistoryCommand extends Verb {
  @Option(names = "--pid", paramLabel = "PID", description = "The JVM's process id.")
  Long pid;

  @Option(names = "--json", description = "JSON for scripts.")
  boolean json;

  @Override
  public Integer call() {
    if (pid == null) {
      throw CliFailure.failed(
          "QCFG-5202",
          "history of the state directory is not yet available in this build; use --pid PID for"
              + " a running JVM");
    }
    try (JvmConnection jvm = cli().jvms.open(pid)) {
      HistoryInfo[] versions = jvm.qcfg().history();
      if (json) {
        out().println(JsonOutput.write(versions));
        return QcfgCli.OK;
      }
      for (HistoryInfo h : versions) {
        out()
            .printf(
                "%6d  %s  %-12s %s  %s%n",
                h.getVersion(),
                h.getCreatedAt(),
                h.getEnvironment(),
                h.getChecksum().substring(0, Math.min(12, h.getChecksum().length())),
                h.getCause());
      }
    }
    return QcfgCli.OK;
  }
}
