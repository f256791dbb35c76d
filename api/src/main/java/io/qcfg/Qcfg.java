package io.qcfg;

import java.util.Map;
import java.util.function.Consumer;

/**
 * The entry point for code: the active snapshot, programmatic start-up without the agent, binding
 * of objects the agent cannot reach, listeners and runtime overrides.
 *
 * <p>Under {@code -javaagent:qcfg.jar} qcfg is started by the agent and nothing here needs to be
 * called. Without the agent (tests, frameworks, programs that cannot change their command line)
 * call {@link #start(Map)} once, then {@link #bind(Object)} for each object with {@link
 * ConfigValue} fields.
 *
 * <pre>{@code
 * Qcfg.start(Map.of("dir", "config", "env", "staging"));
 * int port = Qcfg.current().getInt("http.port");
 * try (AutoCloseable l = Qcfg.onChange(c -> log("now at version " + c.newSnapshot().version()))) {
 *   ...
 * }
 * }</pre>
 */
public final class Qcfg {
  private Qcfg() {}

  /**
   * The active snapshot. Never blocks: it is one read of a volatile reference.
   *
   * @throws QcfgException.NotStarted if qcfg was not started
   */
  public static Snapshot current() {
    return Backend.get().current();
  }

  /** Whether qcfg runs in this JVM (started by the agent or by {@link #start}). */
  public static boolean isRunning() {
    var b = Backend.orNull();
    return b != null && b.isRunning();
  }

  /**
   * Starts qcfg with options from system properties ({@code qcfg.*}) and environment variables
   * ({@code QCFG_*}) only. Does nothing if qcfg already runs.
   *
   * @throws QcfgException.Invalid if the configuration is invalid and there is no last good
   *     snapshot to fall back to (unless {@code on-invalid-start=continue}: then the fields keep
   *     their declared defaults and the snapshot is version 0)
   */
  public static Snapshot start() {
    return start(Map.of());
  }

  /**
   * Starts qcfg with the given options (the agent's option names: {@code dir}, {@code env},
   * {@code state}, {@code watch}, {@code jmx}, {@code key}, ...). The given options win over
   * system properties, which win over environment variables. Does nothing if qcfg already runs.
   */
  public static Snapshot start(Map<String, String> options) {
    return Backend.get().start(options);
  }

  /** Stops qcfg: stops watching, unregisters the MBean, forgets bindings. For tests. */
  public static void stop() {
    var b = Backend.orNull();
    if (b != null) {
      b.stop();
    }
  }

  /**
   * Binds the {@link ConfigValue} fields of {@code target} now and on every applied change, and
   * registers its {@link OnConfigChange} methods. The object is held weakly.
   *
   * @return {@code target}
   */
  public static <T> T bind(T target) {
    Backend.get().bind(target);
    return target;
  }

  /** Binds the static {@link ConfigValue} fields and static listeners of {@code type}. */
  public static void bindStatic(Class<?> type) {
    Backend.get().bindStatic(type);
  }

  /**
   * Calls {@code listener} after every applied change, on the qcfg thread. Close the returned
   * handle to stop.
   */
  public static AutoCloseable onChange(Consumer<ConfigChange> listener) {
    return Backend.get().onChange(listener);
  }

  /**
   * Re-reads every layer now; returns the active snapshot afterwards.
   *
   * @throws QcfgException.Invalid if the new configuration is rejected (the active one stays)
   * @throws QcfgException.Refused (QCFG-1606) when called on the qcfg thread itself, from a change
   *     listener, an {@code @OnConfigChange} method or a {@code ConfigRule}, where it would wait for
   *     itself; (QCFG-1607) when the qcfg thread was busy for longer than 60 s
   */
  public static Snapshot reload() {
    return Backend.get().reload();
  }

  /**
   * Sets a runtime override, a layer above secrets and below system properties. The value is
   * parsed as a HOCON value ({@code 42}, {@code "text"}, {@code 30s}, {@code [1,2]}).
   *
   * @throws QcfgException.Refused if a system property or environment variable pins the path
   * @throws QcfgException.Invalid if the resulting configuration is invalid
   * @throws QcfgException.Refused (QCFG-1606) when called on the qcfg thread itself, from a change
   *     listener, an {@code @OnConfigChange} method or a {@code ConfigRule}, where it would wait for
   *     itself; (QCFG-1607) when the qcfg thread was busy for longer than 60 s
   */
  public static Snapshot setOverride(String path, String value) {
    return Backend.get().setOverride(path, value);
  }

  /**
   * Removes a runtime override.
   *
   * @throws QcfgException.Refused (QCFG-1606) when called on the qcfg thread itself, from a change
   *     listener, an {@code @OnConfigChange} method or a {@code ConfigRule}, where it would wait for
   *     itself; (QCFG-1607) when the qcfg thread was busy for longer than 60 s
   */
  public static Snapshot clearOverride(String path) {
    return Backend.get().clearOverride(path);
  }
}
