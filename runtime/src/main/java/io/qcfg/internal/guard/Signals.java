package io.qcfg.internal.guard;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The health signals of the current probation (issue 18), each against its threshold: listener
 * failures, the rate of uncaught exceptions, and a round of the health checks ({@code
 * HealthCheck}, {@code @HealthCheck.Probe}, {@code health-url}). Each answer is null when healthy,
 * else the reason, worded for the log, the audit and {@code LastAutoRollback}.
 *
 * <p>Concurrency: counters are atomic; {@link #reset} runs on the applier, the rest on the health
 * threads and wherever a listener failed.
 */
final class Signals {
  /** What {@link #round} answers when a periodic round was skipped: no verdict. */
  static final String SKIPPED = "\u0000skipped"; // no reason a check gives

  private final HealthChecks checks;
  // The counter and its count when the current probation began, published together; null:
  // uncaught-rate is off.
  private volatile Counting uncaught;
  private final Runnable onUncaught;
  private final double uncaughtRate;
  private final AtomicLong listenerFailures = new AtomicLong();
  private final AtomicBoolean checking = new AtomicBoolean(); // a periodic round runs

  private record Counting(UncaughtCounter counter, long atStart) {}

  /** @param onUncaught called on the dying thread for each uncaught exception (rate on only) */
  Signals(GuardOptions options, HealthChecks checks, Runnable onUncaught) {
    this.checks = checks;
    this.uncaughtRate = options.uncaughtRate();
    this.onUncaught = onUncaught;
    this.uncaught = uncaughtRate > 0 ? new Counting(UncaughtCounter.install(onUncaught), 0) : null;
  }

  /**
   * A new probation begins: its counts start from zero. If the application set its own default
   * uncaught-exception handler over qcfg's counter since (an application's main that does so
   * first thing often runs just after qcfg installed it), a new counter goes on top of that
   * handler, and the old one, which may still be in the chain below, only passes exceptions on.
   */
  void reset() {
    listenerFailures.set(0);
    Counting now = uncaught;
    if (now == null) {
      return;
    }
    UncaughtCounter c = now.counter();
    if (Thread.getDefaultUncaughtExceptionHandler() != c) {
      c.restore(); // stops counting; leaves the application's handler in place
      c = UncaughtCounter.install(onUncaught);
    }
    uncaught = new Counting(c, c.count());
  }

  /** A listener threw: the signal, with the count so far. */
  String listenerFailed() {
    return listenerSignal(listenerFailures.incrementAndGet());
  }

  private static String listenerSignal(long n) {
    return "listener failure: " + n + " change listener or @OnConfigChange call threw";
  }

  /** The uncaught-exception rate {@code elapsed} ms into a probation (-1: none runs). */
  String uncaught(long elapsed) {
    Counting c = uncaught;
    if (c == null || elapsed < 0) {
      return null;
    }
    long seen = c.counter().count() - c.atStart();
    // A rate over at least one second: three exceptions in the first millisecond are no storm.
    double rate = seen / Math.max(1.0, elapsed / 1000.0);
    return rate > uncaughtRate ? String.format(Locale.ROOT, "uncaught exceptions: %d in %d ms"
        + " (%.1f/s, limit %s/s)", seen, elapsed, rate, uncaughtRate) : null;
  }

  /** The signals that cost nothing to read. */
  String quick(long elapsed) {
    long n = listenerFailures.get();
    return n > 0 ? listenerSignal(n) : uncaught(elapsed);
  }

  /**
   * One round: the quick signals, then the checks. A periodic round ({@code last} false) is
   * {@link #SKIPPED} while another one still runs; the last round of a probation always runs.
   */
  String round(long elapsed, boolean last) {
    String bad = quick(elapsed);
    if (bad != null) {
      return bad;
    }
    if (!last && !checking.compareAndSet(false, true)) {
      return SKIPPED;
    }
    try {
      bad = checks.run();
    } finally {
      if (!last) {
        checking.set(false);
      }
    }
    return bad != null ? bad : quick(elapsed);
  }

  /** For the start-up line: how many checks, and the uncaught threshold if any. */
  String describe(long intervalMs) {
    return checks.count() + " health checks every " + intervalMs + " ms" + (uncaught == null ? ""
        : ", uncaught exceptions above " + uncaughtRate + "/s");
  }

  /** Stops the checks and gives the application its own uncaught-exception handler back. */
  void close() {
    checks.close();
    Counting c = uncaught;
    if (c != null) {
      c.counter().restore();
    }
  }
}
