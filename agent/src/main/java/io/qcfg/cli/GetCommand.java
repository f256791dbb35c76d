package io.qcfg.cli;

import io.qcfg.internal.jmx.ConfigMXBean;
import io.qcfg.internal.jmx.ValueInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code qcfg get --pid PID PATH}. */
@Command(
    name = "get",
    mixinStandardHelpOptions = true,
    description = {
      "Print a value of a running JVM with where it came from, secrets redacted.",
      "Prints 'path = value  # file:line (layer)'."
    })
final class GetCommand extends JvmVerb {
  @Parameters(paramLabel = "PATH", description = "A configuration path (a setting or a section).")
  String path;

  @Override
  int call(ConfigMXBean bean) {
    ValueInfo v = bean.get(path);
    out().println(json ? JsonOutput.write(v) : v.toString());
    return QcfgCli.OK;
  }
}
