package io.qcfg.cli;

import io.qcfg.QcfgException;
import io.qcfg.internal.jmx.ChangeInfo;
import io.qcfg.internal.jmx.ConfigMXBean;
import io.qcfg.internal.jmx.SnapshotDiff;
import io.qcfg.internal.layer.Environment;
import io.qcfg.internal.snapshot.ConfigSnapshot;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code qcfg diff}: the leaf paths added, removed or changed between two configurations, secrets
 * redacted. Offline between two directories and/or environments, or between two versions of a
 * running JVM.
 */
@Command(
    name = "diff",
    mixinStandardHelpOptions = true,
    description = {
      "Show the settings added (+), removed (-) and changed (~) between two configurations,"
          + " secrets redacted.",
      "",
      "Two environments of one directory:",
      "  qcfg diff --dir config --env staging --to-env production",
      "Two directories, in one environment:",
      "  qcfg diff --from-dir old/config --to-dir config --env production",
      "Both at once:",
      "  qcfg diff --dir a --env staging --to-dir b --to-env production",
      "Two versions of a running JVM:",
      "  qcfg diff --pid PID FROM TO",
      "",
      "The 'from' side is --from-dir (default: --dir) in --env; the 'to' side is --to-dir"
          + " (default: the 'from' directory) in --to-env (default: --env). --env-b is another"
          + " name for --to-env.",
      "",
      "Exit status, as diff(1) and 'git diff --exit-code': 0 no differences, 1 differences (or"
          + " an invalid side), 2 usage error."
    })
final class DiffCommand extends Verb {
  @Option(
      names = "--from-dir",
      paramLabel = "DIR",
      description = "The 'from' directory (default: --dir).")
  Path fromDir;

  @Option(names = "--to-dir", paramLabel = "DIR", description = "The 'to' directory.")
  Path toDir;

  @Option(
      names = {"--to-env", "--env-b"},
      paramLabel = "ENV",
      description = "The 'to' environment.")
  String toEnv;

  @Option(names = "--pid", paramLabel = "PID", description = "Compare two versions of this JVM.")
  Long pid;

  @Parameters(
      arity = "0..2",
      paramLabel = "VERSION",
      description = "With --pid: the FROM and TO versions.")
  List<Long> versions;

  @Option(names = "--json", description = "JSON for scripts.")
  boolean json;

  @Override
  public Integer call() {
    if (versions == null) {
      versions = List.of();
    }
    if (pid != null) {
      return diffVersions();
    }
    if (!versions.isEmpty()) {
      throw CliFailure.usage(
          "QCFG-5212", "versions are compared in a running JVM only: qcfg diff --pid PID FROM TO");
    }
    OfflineConfig config = OfflineConfig.of(cli(), err());
    Path a = fromDir != null ? fromDir : config.dir();
    Path b = toDir != null ? toDir : a;
    Environment envA = config.environment();
    Environment envB = toEnv != null ? new Environment(toEnv, "option") : envA;
    ConfigSnapshot from = buildOrReport(config, a, envA);
    ConfigSnapshot to = buildOrReport(config, b, envB);
    if (from == null || to == null) {
      return QcfgCli.FAILED;
    }
    List<ChangeInfo> changes = SnapshotDiff.between(from, to);
    if (json) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("from", side(a, from));
      doc.put("to", side(b, to));
      doc.put("changes", changes);
      out().println(JsonOutput.write(doc));
    } else {
      out()
          .println(
              "--- " + a + " (" + envA.name() + ", checksum " + OfflineConfig.shortSum(from) + ")");
      out()
          .println(
              "+++ " + b + " (" + envB.name() + ", checksum " + OfflineConfig.shortSum(to) + ")");
      print(changes);
    }
    return exitStatus(changes);
  }

  /** 1 when there are differences, as {@code diff} and {@code git diff --exit-code} do. */
  private static int exitStatus(List<ChangeInfo> changes) {
    return changes.isEmpty() ? QcfgCli.OK : QcfgCli.FAILED;
  }

  private int diffVersions() {
    if (fromDir != null || toDir != null || toEnv != null || versions.size() != 2) {
      throw CliFailure.usage(
          "QCFG-5212",
          "with --pid give exactly two versions and no directories: qcfg diff --pid PID FROM TO");
    }
    try (JvmConnection jvm = cli().jvms.open(pid)) {
      ConfigMXBean bean = jvm.qcfg();
      List<ChangeInfo> changes = Arrays.asList(bean.diff(versions.get(0), versions.get(1)));
      if (json) {
        out().println(JsonOutput.write(changes));
      } else {
        out().println("--- version " + versions.get(0) + " (pid " + pid + ")");
        out().println("+++ version " + versions.get(1) + " (pid " + pid + ")");
        print(changes);
      }
      return exitStatus(changes);
    }
  }

  private void print(List<ChangeInfo> changes) {
    for (ChangeInfo c : changes) {
      out().println(c);
    }
    out()
        .println(
            changes.isEmpty()
                ? "no differences"
                : changes.size() + (changes.size() == 1 ? " change" : " changes"));
  }

  private ConfigSnapshot buildOrReport(OfflineConfig config, Path dir, Environment env) {
    try {
      return config.build(dir, env);
    } catch (QcfgException.Invalid e) {
      ValidateCommand.printProblems(out(), env.name() + " (" + dir + ")", e.problems());
      return null;
    }
  }

  private static Map<String, Object> side(Path dir, ConfigSnapshot s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("dir", dir.toString());
    m.put("environment", s.environment());
    m.put("checksum", s.checksum());
    return m;
  }
}
