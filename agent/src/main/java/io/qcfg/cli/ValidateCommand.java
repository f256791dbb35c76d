package io.qcfg.cli;

import io.qcfg.Problem;
import io.qcfg.QcfgException;
import io.qcfg.internal.layer.Environment;
import io.qcfg.internal.snapshot.ConfigSnapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code qcfg validate [--env E | --all-envs] [--json]}. */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = {
      "Build and validate the configuration as a JVM would (parse, merge, resolve, schema, rules)"
          + " and print every problem as 'location: path: reason [id]'.",
      "On success prints 'OK <env>: N settings, checksum <12 hex>'; an invalid environment"
          + " prints 'INVALID <env>: N problems' above its problems. Exits 1 if any environment is"
          + " invalid."
    })
final class ValidateCommand extends Verb {
  @Option(
      names = "--all-envs",
      description =
          "Validate every environment: development, testing, staging, production and each"
              + " environments/*.conf or *.conf.peb (layer templates are rendered for each"
              + " environment).")
  boolean allEnvs;

  @Option(names = "--json", description = "One JSON object per environment, for scripts.")
  boolean json;

  @picocli.CommandLine.Mixin DecryptionOption decryption = new DecryptionOption();

  @Override
  public Integer call() {
    if (allEnvs && cli().env != null) {
      throw CliFailure.usage("QCFG-5211", "give either --env or --all-envs, not both");
    }
    OfflineConfig config = OfflineConfig.of(cli(), err(), decryption.mode(false));
    OfflineConfig.requireDirectory(config.dir());
    List<Environment> envs = new ArrayList<>();
    if (allEnvs) {
      for (String name : OfflineConfig.allEnvironments(config.dir())) {
        envs.add(new Environment(name, "option"));
      }
    } else {
      envs.add(config.environment());
    }

    List<String> invalid = new ArrayList<>();
    List<Map<String, Object>> report = new ArrayList<>();
    for (Environment env : envs) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("environment", env.name());
      try {
        ConfigSnapshot s = config.build(config.dir(), env);
        // A JVM rejects what its history could not keep (QCFG-1515): so does validate.
        io.qcfg.internal.history.EntryTree.of(s, config.dir().toString());
        entry.put("valid", true);
        entry.put("settings", s.paths().size());
        entry.put("checksum", s.checksum());
        java.util.Set<String> opaque = DecryptionOption.undecrypted(config, s);
        if (!opaque.isEmpty()) {
          entry.put("notDecrypted", List.copyOf(new java.util.TreeSet<>(opaque)));
        }
        if (!json) {
          out().println(OfflineConfig.okLine(s));
          DecryptionOption.tell(out(), opaque);
        }
      } catch (QcfgException.Invalid e) {
        invalid.add(env.name());
        entry.put("valid", false);
        entry.put("problems", e.problems());
        if (!json) {
          printProblems(out(), env.name(), e.problems());
        }
      }
      report.add(entry);
    }
    if (json) {
      out().println(JsonOutput.write(report));
    } else if (allEnvs && !invalid.isEmpty()) {
      // One line that names them all, for a CI log read from the bottom.
      out()
          .println(
              invalid.size()
                  + " of "
                  + envs.size()
                  + " environments invalid: "
                  + String.join(", ", invalid)
                  + " [QCFG-5243]");
    }
    return invalid.isEmpty() ? QcfgCli.OK : QcfgCli.FAILED;
  }

  /** The problems of one environment, under a header line. */
  static void printProblems(java.io.PrintWriter out, String env, List<Problem> problems) {
    out.println(OfflineConfig.invalidLine(env, problems));
    for (String line : io.qcfg.internal.validate.ProblemList.lines(problems)) {
      out.println("  " + line); // bounded: the first few, then "and K more"
    }
  }
}
