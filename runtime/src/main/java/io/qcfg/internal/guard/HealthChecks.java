package io.qcfg.internal.guard;

import io.qcfg.HealthCheck;
import io.qcfg.internal.bind.FieldBinder;
import io.qcfg.internal.crypto.ForeignText;
import io.qcfg.internal.log.Log;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * One round of the user's health checks: {@link HealthCheck}s from {@link ServiceLoader}, {@code
 * @HealthCheck.Probe} methods of bound classes and instances, and the {@code health-url}. Each call
 * runs on a {@code qcfg-health-check-N} daemon thread and is time-boxed; a call that has not
 * returned counts as unhealthy now and at every later round until it returns, and is never started
 * twice, so a hanging check costs one thread, not one per round.
 *
 * <p>Concurrency: {@link #run} is synchronized: one round at a time; {@link #inFlight} is
 * concurrent because check threads finish on their own.
 */
final class HealthChecks {
  private final Supplier<List<FieldBinder.Probe>> probes;
  private final List<HealthCheck> services;
  private final HealthUrl url;
  private final Duration timeout;
  private final ExecutorService pool;
  private final Map<String, Future<Boolean>> inFlight = new ConcurrentHashMap<>();

  HealthChecks(ClassLoader appLoader, Supplier<List<FieldBinder.Probe>> probes, HealthUrl url,
      Duration timeout) {
    this.probes = probes;
    this.services = load(appLoader);
    this.url = url;
    this.timeout = timeout;
    AtomicInteger n = new AtomicInteger();
    this.pool = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "qcfg-health-check-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /** How many checks a round runs now (for the log at start). */
  int count() {
    return services.size() + probes.get().size() + (url == null ? 0 : 1);
  }

  /** Runs every check once; the first unhealthy one as "name: why", or null when all are healthy. */
  synchronized String run() {
    Map<String, Callable<Boolean>> calls = new LinkedHashMap<>();
    for (HealthCheck c : services) {
      calls.put("health check " + name(c), c::healthy);
    }
    for (FieldBinder.Probe p : probes.get()) {
      calls.put("@HealthCheck.Probe " + p.name(), () -> {
        try {
          return p.call();
        } catch (Exception | Error e) {
          throw e;
        } catch (Throwable t) {
          throw new Thrown(t); // a Throwable that is neither Exception nor Error
        }
      });
    }
    if (url != null) {
      calls.put("health-url " + url, url::healthy);
    }
    Map<String, Future<Boolean>> started = new LinkedHashMap<>();
    String hung = null;
    for (var c : calls.entrySet()) {
      Future<Boolean> running = inFlight.get(c.getKey());
      if (running != null && !running.isDone()) {
        hung = hung != null ? hung : c.getKey() + ": still running after " + timeout.toMillis()
            + " ms (hangs)";
        continue;
      }
      Callable<Boolean> call = c.getValue();
      String key = c.getKey();
      Future<Boolean> f = pool.submit(call);
      inFlight.put(key, f);
      started.put(key, f);
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    String first = null;
    for (var e : started.entrySet()) {
      String why = outcome(e.getValue(), deadline);
      if (why != null && first == null) {
        first = e.getKey() + ": " + why;
      }
      if (e.getValue().isDone()) {
        inFlight.remove(e.getKey(), e.getValue());
      }
    }
    return first != null ? first : hung;
  }

  private String outcome(Future<Boolean> f, long deadline) {
    try {
      long left = Math.max(0, deadline - System.nanoTime());
      return Boolean.TRUE.equals(f.get(left, TimeUnit.NANOSECONDS)) ? null : "answered false";
    } catch (TimeoutException e) {
      return "no answer within " + timeout.toMillis() + " ms";
    } catch (ExecutionException e) {
      Throwable t = e.getCause() instanceof Thrown w ? w.getCause() : e.getCause();
      return "threw " + t.getClass().getName() + " (" + ForeignText.describe(t) + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null; // the guard is stopping: no verdict
    }
  }

  private static String name(HealthCheck c) {
    try {
      String n = c.name();
      return n == null || n.isBlank() ? c.getClass().getName() : ForeignText.shown(n);
    } catch (RuntimeException | Error e) {
      return c.getClass().getName();
    }
  }

  private static List<HealthCheck> load(ClassLoader loader) {
    List<HealthCheck> out = new ArrayList<>();
    if (loader == null) {
      return out;
    }
    var it = ServiceLoader.load(HealthCheck.class, loader).iterator();
    while (true) {
      try {
        if (!it.hasNext()) {
          break;
        }
        out.add(it.next());
      } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
        Log.error("QCFG-4708: cannot load a health check from META-INF/services/io.qcfg.HealthCheck: "
            + ForeignText.describe(e));
      }
    }
    return List.copyOf(out);
  }

  /** Carries a Throwable that is neither an Exception nor an Error out of a Callable. */
  private static final class Thrown extends Exception {
    private static final long serialVersionUID = 1L;

    Thrown(Throwable cause) {
      super(null, cause, false, false);
    }
  }

  void close() {
    pool.shutdownNow();
  }
}
