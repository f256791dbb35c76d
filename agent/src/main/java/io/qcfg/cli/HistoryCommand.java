package io.qcfg.cli;

import io.qcfg.internal.history.HistoryEntry;
import io.qcfg.internal.history.HistoryStore;
import io.qcfg.internal.jmx.HistoryInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code qcfg history [--pid PID | --state DIR] [--json]}: the applied versions of a running JVM
 * over JMX, or offline those kept in a state directory. Both print the same columns and JSON.
 */
@Command(
    name = "history",
    mixinStandardHelpOptions = true,
    description = {
      "List the applied versions: version, time, environment, checksum (12 hex), confirmed"
          + " (probation passed, or a rollback's target) or -, cause.",
      "With --pid: those of a running JVM. Without: those kept in the state directory --state"
          + " (default: ./.qcfg/<dir name>-<hash>, from --dir), read without a JVM; the directory is only read."
    })
final class HistoryCommand extends Verb {
  @Option(names = "--pid", paramLabel = "PID", description = "Ask this running JVM.")
  Long pid;

  @Option(names = "--json", description = "JSON for scripts.")
  boolean json;

  @Override
  public Integer call() {
    List<HistoryInfo> versions = pid != null ? fromJvm(pid) : fromStateDirectory();
    if (json) {
      out().println(JsonOutput.write(versions));
      return QcfgCli.OK;
    }
    for (HistoryInfo h : versions) {
      out()
          .printf(
              "%6d  %s  %-12s %s  %-9s  %s%n",
              h.getVersion(),
              h.getCreatedAt(),
              h.getEnvironment(),
              h.getChecksum().substring(0, Math.min(12, h.getChecksum().length())),
              h.isConfirmed() ? "confirmed" : "-",
              h.getCause());
    }
    return QcfgCli.OK;
  }

  private List<HistoryInfo> fromJvm(long pid) {
    try (JvmConnection jvm = cli().jvms.open(pid)) {
      return List.of(jvm.qcfg().history());
    }
  }

  private List<HistoryInfo> fromStateDirectory() {
    Path state = cli().options().state();
    if (!Files.isDirectory(state)) {
      throw CliFailure.usage(
          "QCFG-5233",
          state
              + ": no such state directory; point --state at the JVM's state directory (default:"
              + " ./.qcfg/<dir name>-<hash>, from --dir), or ask a running JVM with --pid PID");
    }
    if (!Files.isDirectory(state.resolve("history"))) {
      throw CliFailure.failed(
          "QCFG-5234", state + ": no history here (no history/ directory): no version applied yet");
    }
    // Keep everything: a read must not prune what the JVM's own 'history' option keeps.
    HistoryStore store = HistoryStore.open(state, Integer.MAX_VALUE);
    List<HistoryInfo> out = new ArrayList<>();
    for (HistoryEntry e : store.entries()) {
      out.add(
          new HistoryInfo(
              e.version(),
              e.checksum(),
              e.environment(),
              e.createdAt().toString(),
              e.cause(),
              e.confirmed()));
    }
    return out;
  }
}
