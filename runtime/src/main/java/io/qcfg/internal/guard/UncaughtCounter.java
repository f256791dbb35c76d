package io.qcfg.internal.guard;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The uncaught-exception signal: wraps {@link Thread#getDefaultUncaughtExceptionHandler()}, counts
 * every exception that reaches it and then hands it to the application's own handler (or prints
 * it as the JVM does without one). {@link #restore} puts the application's handler back, unless
 * someone installed another one over ours since; ours then only passes exceptions on.
 *
 * <p>Concurrency: any thread may die at any time; the count is atomic, the rest is final or
 * volatile.
 */
final class UncaughtCounter implements Thread.UncaughtExceptionHandler {
  private final Thread.UncaughtExceptionHandler previous;
  private final Runnable onEach;
  private final AtomicLong count = new AtomicLong();
  private volatile boolean active = true;

  private UncaughtCounter(Thread.UncaughtExceptionHandler previous, Runnable onEach) {
    this.previous = previous;
    this.onEach = onEach;
  }

  /** Installs a counter over the current default handler; {@code onEach} must not block. */
  static UncaughtCounter install(Runnable onEach) {
    UncaughtCounter c = new UncaughtCounter(Thread.getDefaultUncaughtExceptionHandler(), onEach);
    Thread.setDefaultUncaughtExceptionHandler(c);
    return c;
  }

  /** How many uncaught exceptions were seen so far. */
  long count() {
    return count.get();
  }

  @Override
  public void uncaughtException(Thread t, Throwable e) {
    if (active) {
      count.incrementAndGet();
      try {
        onEach.run();
      } catch (Throwable ignored) {
        // the signal is best effort; the application's handler must still run
      }
    }
    if (previous != null) {
      previous.uncaughtException(t, e);
    } else {
      // What ThreadGroup.uncaughtException prints without a default handler (calling it would
      // find this handler again).
      System.err.print("Exception in thread \"" + t.getName() + "\" ");
      e.printStackTrace(System.err);
    }
  }

  /** Stops counting and gives the default handler back to the application. */
  void restore() {
    active = false;
    if (Thread.getDefaultUncaughtExceptionHandler() == this) {
      Thread.setDefaultUncaughtExceptionHandler(previous);
    }
  }
}
