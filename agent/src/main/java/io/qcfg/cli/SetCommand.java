package io.qcfg.cli;

import io.qcfg.internal.jmx.ConfigMXBean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code qcfg set --pid PID PATH VALUE}. */
@Command(
    name = "set",
    mixinStandardHelpOptions = true,
    description = {
      "Set a runtime override in a running JVM (a layer above secrets, below -D and"
          + " CONFIG_FORCE_).",
      "VALUE is HOCON: 42, true, 30s, '\"text\"', '[1,2]'. Refused if a higher layer pins PATH."
    })
final class SetCommand extends JvmVerb {
  @Parameters(index = "0", paramLabel = "PATH", description = "The configuration path.")
  String path;

  @Parameters(index = "1", paramLabel = "VALUE", description = "The value, as HOCON.")
  String value;

  @Override
  int call(ConfigMXBean bean) {
    return printChange(bean, bean.setOverride(path, value));
  }
}
