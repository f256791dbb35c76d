package qcfg.benchmarks;

import io.qcfg.Qcfg;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A running qcfg for the field benchmarks: the one the agent started, or one started here with
 * {@code Qcfg.start} on a temporary copy of {@link ConfigGenerator#writeSmall the small
 * configuration}.
 *
 * <p>{@code -Dqcfg.jar=<path>} on the command line states the intent to measure under the agent
 * (JMH hands the host's {@code -D} options to its forks). If it is set but no agent started qcfg
 * in the fork, {@link #open} fails rather than quietly measuring something else.
 */
final class QcfgSession implements AutoCloseable {
  /** Whether the agent started qcfg before the benchmark ran. */
  final boolean agent;
  /** Whether a new {@link HotSettings} came out of its constructor already bound. */
  final boolean instrumented;

  private final Path tmp; // null when the agent owns qcfg

  private QcfgSession(boolean agent, boolean instrumented, Path tmp) {
    this.agent = agent;
    this.instrumented = instrumented;
    this.tmp = tmp;
  }

  static QcfgSession open() {
    String jar = System.getProperty("qcfg.jar");
    Path tmp = null;
    boolean agent = Qcfg.isRunning();
    if (agent) {
      if (!Qcfg.current().hasPath(ConfigGenerator.HOT_PATH)) {
        throw new IllegalStateException(
            "the agent runs on a configuration without " + ConfigGenerator.HOT_PATH
                + ": give it dir=<d> after `java -cp benchmarks.jar"
                + " qcfg.benchmarks.ConfigGenerator small <d>` (benchmarks/run.sh does this)");
      }
    } else {
      if (jar != null) {
        throw new IllegalStateException(
            "-Dqcfg.jar=" + jar + " is set but no agent started qcfg in this fork: add"
                + " -jvmArgsAppend \"-javaagent:" + jar + "=dir=<d>,watch=false,jmx=false\"");
      }
      try {
        tmp = Files.createTempDirectory("qcfg-bench-field-");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      ConfigGenerator.writeSmall(tmp.resolve("config"));
      Qcfg.start(
          Map.of(
              "dir", tmp.resolve("config").toString(),
              "env", "development",
              "watch", "false",
              "jmx", "false",
              "state", tmp.resolve("state").toString()));
    }
    boolean instrumented = new HotSettings().hot == HotSettings.CONFIGURED;
    return new QcfgSession(agent, instrumented, tmp);
  }

  /** A {@link HotSettings} bound to the running qcfg, by the agent or by {@code Qcfg.bind}. */
  HotSettings newSettings() {
    HotSettings s = new HotSettings();
    if (!instrumented) {
      Qcfg.bind(s);
    }
    if (s.hot != HotSettings.CONFIGURED) {
      throw new IllegalStateException(
          "HotSettings.hot = " + s.hot + " after binding, expected " + HotSettings.CONFIGURED);
    }
    return s;
  }

  /** The layer file holding {@link ConfigGenerator#HOT_PATH}, for the Typesafe baseline. */
  Path applicationConf() {
    return io.qcfg.internal.engine.Engine.require().options().dir().resolve("application.conf");
  }

  /** One line for the benchmark log: how the field under test is bound. */
  String describe() {
    boolean isVolatile;
    try {
      isVolatile = Modifier.isVolatile(HotSettings.class.getDeclaredField("hot").getModifiers());
    } catch (NoSuchFieldException e) {
      throw new IllegalStateException(e);
    }
    if (agent && instrumented) {
      return "qcfg started by the agent; @ConfigValue field INSTRUMENTED (bound at construction,"
          + (isVolatile ? " volatile)" : " not volatile)");
    }
    return "qcfg started by " + (agent ? "the agent" : "Qcfg.start (no agent)")
        + "; @ConfigValue field NOT instrumented: a plain field written by reflection"
        + " (Qcfg.bind), so its figure is a plain-field read";
  }

  @Override
  public void close() {
    if (tmp != null) {
      Qcfg.stop();
      ConfigGenerator.delete(tmp);
    }
  }
}
