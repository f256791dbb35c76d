package io.qcfg.cli;

import io.qcfg.Origin;
import io.qcfg.QcfgException;
import io.qcfg.internal.jmx.ValueInfo;
import io.qcfg.internal.layer.Environment;
import io.qcfg.internal.snapshot.ConfigSnapshot;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code qcfg print [--env E] [--json] [--origins]}. */
@Command(
    name = "print",
    mixinStandardHelpOptions = true,
    description = {
      "Print the effective configuration of --dir for --env, secrets redacted.",
      "With --origins: one line per setting, 'path = value  # file:line (layer)'."
    })
final class PrintCommand extends Verb {
  @Option(names = "--json", description = "JSON instead of HOCON.")
  boolean json;

  @Option(names = "--origins", description = "Show where every setting comes from.")
  boolean origins;

  @picocli.CommandLine.Mixin DecryptionOption decryption = new DecryptionOption();

  @Override
  public Integer call() {
    OfflineConfig config = OfflineConfig.of(cli(), err(), decryption.mode(false));
    Environment env = config.environment();
    ConfigSnapshot s;
    try {
      s = config.build(config.dir(), env);
    } catch (QcfgException.Invalid e) {
      ValidateCommand.printProblems(out(), env.name(), e.problems());
      return QcfgCli.FAILED;
    }
    DecryptionOption.tell(err(), DecryptionOption.undecrypted(config, s)); // stdout may be parsed
    if (!origins) {
      out().println(s.render(json));
    } else if (json) {
      out().println(JsonOutput.write(leaves(s)));
    } else {
      for (ValueInfo v : leaves(s)) {
        out().println(v);
      }
    }
    return QcfgCli.OK;
  }

  /** Every leaf with its redacted value and origin. */
  static List<ValueInfo> leaves(ConfigSnapshot s) {
    List<ValueInfo> out = new ArrayList<>();
    for (String path : s.paths()) {
      Origin o = s.origin(path).orElse(new Origin("unknown", null, -1));
      out.add(new ValueInfo(path, s.describe(path), o.location(), o.layer(), s.isSecret(path)));
    }
    return out;
  }
}
