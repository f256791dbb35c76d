package io.qcfg.internal.metrics;

import io.qcfg.internal.events.ChangeEvents;
import io.qcfg.internal.jmx.ConfigOperations;
import io.qcfg.internal.log.Log;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Registers qcfg's meters on Micrometer's {@code Metrics.globalRegistry} (where Spring Boot adds
 * its registries), with the same meaning as {@code /metrics}: {@code qcfg.config.version}, {@code
 * qcfg.config.last.reload.successful}, {@code qcfg.config.last.reload.success.timestamp}
 * (seconds), {@code qcfg.config.reloads{outcome}} and the timer {@code
 * qcfg.config.reload.duration{outcome}}; Prometheus renders them as {@code qcfg_config_version},
 * ..., {@code qcfg_config_reloads_total}.
 *
 * <p>Micrometer is the application's, found through its class loader and called by reflection
 * with JDK functional types only: qcfg.jar relocates every library it carries, so a compiled
 * reference would either bind a shaded copy (a registry nobody scrapes) or fail to link where
 * Micrometer is absent or sits in a child class loader.
 *
 * <p>Concurrency: binding is guarded by the class lock; the meters read {@link #ops} (volatile,
 * the latest runtime) on the scraping thread.
 */
final class MicrometerBinder {
  static final String METRICS = "io.micrometer.core.instrument.Metrics";
  private static final String PKG = "io.micrometer.core.instrument.";
  private static final Object HOLDER = new Object(); // what the meters hold; never collected

  private static volatile ConfigOperations ops;
  private static Map<String, Object> timers; // guarded by MicrometerBinder.class
  private static Method record; // guarded by MicrometerBinder.class

  private MicrometerBinder() {}

  /** Bound meters read {@code o} from now on (the latest runtime); no class is looked up. */
  static void follow(ConfigOperations o) {
    ops = o;
  }

  /** Binds when {@code loader} sees Micrometer; else one debug line. Never throws. */
  static void bindIfPresent(ConfigOperations o, ClassLoader loader) {
    ops = o;
    Object registry;
    try {
      registry = Class.forName(METRICS, true, loader).getField("globalRegistry").get(null);
    } catch (ClassNotFoundException e) {
      Log.debug("Micrometer is not on the application's class path: no Micrometer meters");
      return;
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      Log.warn("QCFG-5310: cannot register qcfg's Micrometer meters (" + e.getClass().getName()
          + "); /metrics and JMX still show the values");
      return;
    }
    try {
      bind(registry, loader);
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      Throwable cause = e instanceof InvocationTargetException i && i.getCause() != null
          ? i.getCause() : e;
      Log.warn("QCFG-5310: cannot register qcfg's Micrometer meters (" + cause.getClass().getName()
          + "); /metrics and JMX still show the values");
    }
  }

  /** Registers every meter on {@code registry} once; later runtimes only swap {@link #ops}. */
  static synchronized void bind(Object registry, ClassLoader loader)
      throws ReflectiveOperationException {
    if (timers != null) {
      return;
    }
    Class<?> meterRegistry = Class.forName(PKG + "MeterRegistry", false, loader);
    Class<?> gauge = Class.forName(PKG + "Gauge", false, loader);
    Method gaugeBuilder = gauge.getMethod("builder", String.class, Object.class,
        ToDoubleFunction.class);
    register(meterRegistry, registry, gaugeBuilder.invoke(null, "qcfg.config.version", HOLDER,
        read(s -> s.current() == null ? Double.NaN : s.current().version())),
        "Version of the active configuration snapshot.", null, null);
    register(meterRegistry, registry, gaugeBuilder.invoke(null,
        "qcfg.config.last.reload.successful", HOLDER, read(s -> s.lastReloadSuccessful() ? 1 : 0)),
        "Whether the last configuration change was applied (1) or rejected (0).", null, null);
    register(meterRegistry, registry, gaugeBuilder.invoke(null,
        "qcfg.config.last.reload.success.timestamp", HOLDER, read(s -> seconds(s.loadedAt()))),
        "When the active configuration was applied, in seconds since the epoch.", "seconds",
        null);
    Method counterBuilder = Class.forName(PKG + "FunctionCounter", false, loader)
        .getMethod("builder", String.class, Object.class, ToDoubleFunction.class);
    String about = "Configuration change attempts by outcome: accepted (applied, or unchanged:"
        + " same checksum) or rejected (invalid).";
    register(meterRegistry, registry, counterBuilder.invoke(null, "qcfg.config.reloads", HOLDER,
        read(s -> Math.max(0, s.reloadCount() - s.rejectedCount()))), about, null, "accepted");
    register(meterRegistry, registry, counterBuilder.invoke(null, "qcfg.config.reloads", HOLDER,
        read(s -> s.rejectedCount())), about, null, "rejected");
    Class<?> timer = Class.forName(PKG + "Timer", false, loader);
    Method timerBuilder = timer.getMethod("builder", String.class);
    String took = "Time to build and validate a candidate configuration, by outcome.";
    timers = Map.of(
        "accepted", register(meterRegistry, registry,
            timerBuilder.invoke(null, "qcfg.config.reload.duration"), took, null, "accepted"),
        "rejected", register(meterRegistry, registry,
            timerBuilder.invoke(null, "qcfg.config.reload.duration"), took, null, "rejected"));
    record = timer.getMethod("record", long.class, TimeUnit.class);
    ChangeEvents.onBuildTime(MicrometerBinder::record);
    Log.debug("Micrometer meters qcfg.config.* registered on Metrics.globalRegistry");
  }

  private static Object register(Class<?> meterRegistry, Object registry, Object builder,
      String description, String baseUnit, String outcome) throws ReflectiveOperationException {
    Class<?> b = builder.getClass();
    b.getMethod("description", String.class).invoke(builder, description);
    if (baseUnit != null) {
      b.getMethod("baseUnit", String.class).invoke(builder, baseUnit);
    }
    if (outcome != null) {
      b.getMethod("tag", String.class, String.class).invoke(builder, "outcome", outcome);
    }
    return b.getMethod("register", meterRegistry).invoke(builder, registry);
  }

  private static synchronized void record(String outcome, long nanos) {
    try {
      record.invoke(timers.get(outcome), nanos, TimeUnit.NANOSECONDS);
    } catch (ReflectiveOperationException | RuntimeException e) {
      Log.warnOnce("micrometer-timer", "QCFG-5310: cannot record qcfg's reload timer ("
          + e.getClass().getName() + ")");
    }
  }

  private static ToDoubleFunction<Object> read(ToDoubleFunction<ConfigOperations> f) {
    return ignored -> {
      ConfigOperations o = ops;
      try {
        return o == null ? Double.NaN : f.applyAsDouble(o);
      } catch (RuntimeException e) {
        return Double.NaN; // stopped: no value rather than a failing scrape
      }
    };
  }

  private static double seconds(Instant t) {
    return t == null ? Double.NaN : t.toEpochMilli() / 1000.0;
  }

  /** For tests: whether the meters are registered. */
  static synchronized boolean bound() {
    return timers != null;
  }
}
