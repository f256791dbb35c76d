package io.qcfg.cli;

import io.qcfg.internal.jmx.ConfigMXBean;
import picocli.CommandLine.Command;

/** {@code qcfg reload --pid PID}. */
@Command(
    name = "reload",
    mixinStandardHelpOptions = true,
    description = {
      "Make a running JVM re-read its configuration now.",
      "Exits 1 and prints every problem when the new configuration is rejected (the JVM keeps its"
          + " active version)."
    })
final class ReloadCommand extends JvmVerb {
  @Override
  int call(ConfigMXBean bean) {
    return printChange(bean, bean.reload());
  }
}
