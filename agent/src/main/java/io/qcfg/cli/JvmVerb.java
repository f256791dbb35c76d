package io.qcfg.cli;

import io.qcfg.internal.jmx.ConfigMXBean;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * A verb that calls the qcfg MBean of one running JVM: {@code --pid} (required) and {@code --json}.
 * Failures reported by the JVM (rejected change, denied role) exit with status 1.
 */
abstract class JvmVerb extends Verb {
  @Option(
      names = "--pid",
      required = true,
      paramLabel = "PID",
      description = "The JVM's process id.")
  long pid;

  @Option(names = "--json", description = "JSON for scripts.")
  boolean json;

  @Override
  public final Integer call() {
    try (JvmConnection jvm = cli().jvms.open(pid)) {
      return call(jvm.qcfg());
    }
  }

  abstract int call(ConfigMXBean bean);

  /**
   * Prints the result of a change: the summary line, or with {@code --json} the summary and the
   * state afterwards.
   */
  int printChange(ConfigMXBean bean, String summary) {
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("pid", pid);
      m.put("result", summary);
      m.put("version", bean.getVersion());
      m.put("checksum", bean.getChecksum());
      m.put("environment", bean.getEnvironment());
      out().println(JsonOutput.write(m));
    } else {
      out().println(summary);
    }
    return QcfgCli.OK;
  }
}
