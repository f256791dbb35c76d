package io.qcfg.cli;

import io.qcfg.internal.jmx.ConfigMXBean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code qcfg rollback --pid PID VERSION}. */
@Command(
    name = "rollback",
    mixinStandardHelpOptions = true,
    description = "Re-apply an earlier version in a running JVM, as a new version.")
final class RollbackCommand extends JvmVerb {
  @Parameters(
      paramLabel = "VERSION",
      description = "The version to return to ('qcfg history --pid').")
  long version;

  @Option(
      names = "--allow-environment-change",
      description = "Allow a version that was applied in another environment (refused otherwise).")
  boolean allowEnvironmentChange;

  @Override
  int call(ConfigMXBean bean) {
    return printChange(bean,
        allowEnvironmentChange ? bean.rollback(version, true) : bean.rollback(version));
  }
}
