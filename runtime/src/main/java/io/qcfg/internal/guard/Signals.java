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
  private final UncaughtCounter uncaught; // null: uncaught-rate is off
  private final double uncaughtRate;
  private final AtomicLong listenerFailures = new AtomicLong();
  private final AtomicBoolean checking = new AtomicBoolean(); // a periodic round runs
  private volatile long uncaughtAtStart;

  /** @param onUncaught called on the dying thread for each uncaught exception (rate on only) */
  Signals(GuardOptions options, HealthChecks checks, Runnable onUncaught) {
    this.checks = checks;
    this.uncaughtRate = options.uncaughtRate();
    this.uncaught = uncaughtRate > 0 ? UncaughtCounter.install(onUncaught) : null;
  }

  /** A new probation begins: its counts start from zero. */
  void reset() {
    listenerFailures.set(0);
    uncaughtAtStart = uncaught == null ? 0 : uncaught.count();
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
    if (uncaught == null || elapsed < 0) {
      return null;
    }
    long seen = uncaught.count() - uncaughtAtStart;
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
    if (uncaught != null) {
      uncaught.restore();
    }
  }
}
