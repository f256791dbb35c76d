package qcfg.benchmarks;

import io.qcfg.ConfigValue;

/**
 * Application-style code with one hot setting: what {@link FieldReadBenchmark} and {@link
 * ReloadUnderReadBenchmark} read. Under {@code -javaagent:qcfg.jar} the agent instruments this
 * class (it lives outside {@code io.qcfg}, which the agent never touches) and binds {@link #hot}
 * when an instance is constructed; without the agent, {@link QcfgSession#newSettings()} binds it
 * with {@code Qcfg.bind}, which writes it by reflection.
 */
public class HotSettings {
  /** The value the configuration gives {@code bench.hot}; the declared default differs. */
  static final int CONFIGURED = 42;

  @ConfigValue(ConfigGenerator.HOT_PATH)
  int hot = 1;
}
