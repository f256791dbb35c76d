package io.qcfg.cli;

import io.qcfg.internal.jmx.ConfigMXBean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code qcfg switch-env --pid PID ENV}. */
@Command(
    name = "switch-env",
    mixinStandardHelpOptions = true,
    description =
        "Rebuild a running JVM's configuration for another environment; applied whole or not at"
            + " all.")
final class SwitchEnvCommand extends JvmVerb {
  @Parameters(paramLabel = "ENV", description = "The environment to switch to.")
  String environment;

  @Override
  int call(ConfigMXBean bean) {
    return printChange(bean, bean.switchEnvironment(environment));
  }
}
