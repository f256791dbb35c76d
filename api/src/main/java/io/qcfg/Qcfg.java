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
 * try (Subscription l = Qcfg.onChange(c -> log("now at version " + c.newSnapshot().version()))) {
 *   ...
 * }
 * }</pre>
 *
 * <p><b>Blocking.</b> Reads ({@link #current()}, {@link #isRunning()}) never wait once the first
 * snapshot exists. What may wait says so below, with its bound: the first snapshot is awaited at
 * most 60 s, and a change ({@link #reload()}, overrides) waits for the qcfg thread to apply it, at
 * most 60 s (QCFG-1607), then for the listeners to see it, at most 11 s. Listeners run on their
 * own thread ({@code qcfg-listeners}): a slow listener delays other listeners, never a change or
 * a reader; one that has not returned after 10 s is reported and left behind (QCFG-1403).
 */
public final class Qcfg {
  private Qcfg() {}

  /**
   * The active snapshot: one read of a volatile reference, never blocking once the first snapshot
   * exists. Before that (a call from the application's {@code main} while the agent still builds
   * the first one) it waits for it, at most 60 s.
   *
   * @throws QcfgException.NotStarted if qcfg was not started
   */
  public static Snapshot current() {
    return Backend.get().current();
  }

  /** Whether qcfg runs in this JVM (started by the agent or by {@link #start}). Never blocks. */
  public static boolean isRunning() {
    var b = Backend.orNull();
    return b != null && b.isRunning();
  }

  /**
   * Starts qcfg with options from system properties ({@code qcfg.*}) and environment variables
   * ({@code QCFG_*}) only. Does nothing if qcfg already runs. Blocks while the first snapshot is
   * built (reading, parsing and validating the files: milliseconds for a usual directory; the
   * resolve is abandoned after 20 s, QCFG-1022), at most 60 s.
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
   * Blocks as {@link #start()} does.
   */
  public static Snapshot start(Map<String, String> options) {
    return Backend.get().start(options);
  }

  /**
   * Stops qcfg: stops watching, unregisters the MBean, forgets bindings. For tests. Does not wait
   * for a change in progress on the qcfg thread.
   */
  public static void stop() {
    var b = Backend.orNull();
    if (b != null) {
      b.stop();
    }
  }

  /**
   * Binds the {@link ConfigValue} fields of {@code target} now and on every applied change, and
   * registers its {@link OnConfigChange} methods. The object is held weakly. Writes the fields on
   * the calling thread; waits only for the first snapshot, as {@link #current()} does.
   *
   * @return {@code target}
   */
  public static <T> T bind(T target) {
    Backend.get().bind(target);
    return target;
  }

  /**
   * Binds the static {@link ConfigValue} fields and static listeners of {@code type}. Blocks as
   * {@link #bind(Object)} does.
   */
  public static void bindStatic(Class<?> type) {
    Backend.get().bindStatic(type);
  }

  /**
   * Calls {@code listener} after every applied change, in version order, on the {@code
   * qcfg-listeners} thread, never concurrently with itself. It may change the configuration
   * ({@link #reload()}, overrides). Returns at once; close the returned handle to stop (its {@code close()} throws no
   * checked exception).
   */
  public static Subscription onChange(Consumer<ConfigChange> listener) {
    return Backend.get().onChange(listener);
  }

  /**
   * Calls {@code listener} after an applied change that changed {@code path} or anything below it
   * ({@code "db"} for every {@code db.*} setting, {@code "db.pool-size"} for that one; see {@link
   * ConfigChange#changed(String)}). Otherwise as {@link #onChange(Consumer)}.
   */
  public static Subscription onChange(String path, Consumer<ConfigChange> listener) {
    java.util.Objects.requireNonNull(path, "path");
    java.util.Objects.requireNonNull(listener, "listener");
    return onChange(change -> {
      if (change.changed(path)) {
        listener.accept(change);
      }
    });
  }

  /**
   * Re-reads every layer now; returns the active snapshot afterwards.
   *
   * @throws QcfgException.Invalid if the new configuration is rejected (the active one stays)
   * @throws QcfgException.Refused (QCFG-1606) when called from a {@code ConfigRule}, which the
   *     qcfg thread waits for; (QCFG-1607) when the qcfg thread was busy for longer than 60 s
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
   * @throws QcfgException.Refused (QCFG-1606) when called from a {@code ConfigRule}, which the
   *     qcfg thread waits for; (QCFG-1607) when the qcfg thread was busy for longer than 60 s
   */
  public static Snapshot setOverride(String path, String value) {
    return Backend.get().setOverride(path, value);
  }

  /**
   * Removes a runtime override.
   *
   * @throws QcfgException.Refused (QCFG-1606) when called from a {@code ConfigRule}, which the
   *     qcfg thread waits for; (QCFG-1607) when the qcfg thread was busy for longer than 60 s
   */
  public static Snapshot clearOverride(String path) {
    return Backend.get().clearOverride(path);
  }
}
