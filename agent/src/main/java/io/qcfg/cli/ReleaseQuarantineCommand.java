package io.qcfg.cli;

import io.qcfg.internal.jmx.ConfigMXBean;
import picocli.CommandLine.Command;

/** {@code qcfg release-quarantine --pid PID} (issue 18). */
@Command(
    name = "release-quarantine",
    mixinStandardHelpOptions = true,
    description = {
      "End the quarantine of the configuration a running JVM's probation rolled back, so that an"
          + " explicit change (reload, override) may apply it again, on probation.",
      "Prints 'nothing is quarantined' when there is none."
    })
final class ReleaseQuarantineCommand extends JvmVerb {
  @Override
  int call(ConfigMXBean bean) {
    return printChange(bean, bean.releaseQuarantine());
  }
}
