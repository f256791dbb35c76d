package io.qcfg.cli;

import io.qcfg.internal.jmx.ConfigMXBean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code qcfg unset --pid PID PATH}. */
@Command(
    name = "unset",
    mixinStandardHelpOptions = true,
    description = "Remove a runtime override from a running JVM.")
final class UnsetCommand extends JvmVerb {
  @Parameters(paramLabel = "PATH", description = "The configuration path.")
  String path;

  @Override
  int call(ConfigMXBean bean) {
    return printChange(bean, bean.clearOverride(path));
  }
}
