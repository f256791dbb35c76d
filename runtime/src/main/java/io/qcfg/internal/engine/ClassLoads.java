package io.qcfg.internal.engine;

import java.util.function.IntSupplier;

/**
 * Whether the application is still loading classes, as the agent's transformer sees them: the
 * full build after a fast start ({@link FastStart}) waits until the application's own start has
 * settled, because on a small machine that cold build (hundreds of ms of CPU) would otherwise
 * compete with it (issue 16: a 5,000-class start took 80 ms longer with the build 250 ms after
 * the publish than with it 5 s later).
 *
 * <p>Concurrency: {@link #seen} is called by every thread that loads a class; it is one volatile
 * read and, while anyone waits, one racy volatile write. Increments may be lost on purpose: only
 * "did it change" is asked, and a lost increment still changes it, but for one load in a window
 * (harmless: the wait has a cap).
 */
public final class ClassLoads {
  private static volatile boolean counting = true;
  private static volatile int seen;

  private ClassLoads() {}

  /** Called by the agent's transformer for each class the JVM shows it. Never blocks or throws. */
  public static void seen() {
    if (counting) {
      seen++;
    }
  }

  /** How many classes were seen so far (while counting). */
  static int count() {
    return seen;
  }

  /** Stops counting: nobody waits any more. */
  static void stop() {
    counting = false;
  }

  /** A wait for a counter to stop changing, with a cap; see {@link #settle}. */
  static final class Settling {
    private final IntSupplier counter;
    private final long quietMillis;
    private final long maxMillis;

    Settling(IntSupplier counter, long quietMillis, long maxMillis) {
      this.counter = counter;
      this.quietMillis = quietMillis;
      this.maxMillis = maxMillis;
    }

    /**
     * Returns once the counter did not change during {@code quietMillis}, or {@code maxMillis}
     * after the call, whichever comes first; at once when interrupted (the flag stays set).
     * Returns how long it waited, in ms.
     */
    long await() {
      long began = System.nanoTime();
      long deadline = began + maxMillis * 1_000_000L;
      int before = counter.getAsInt();
      try {
        for (long left = deadline - System.nanoTime(); left > 0;
            left = deadline - System.nanoTime()) {
          Thread.sleep(Math.max(1, Math.min(quietMillis, left / 1_000_000L)));
          int now = counter.getAsInt();
          if (now == before) {
            break;
          }
          before = now;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return (System.nanoTime() - began) / 1_000_000L;
    }
  }

  /**
   * Waits until the application has loaded no class for {@code quietMillis} (at most {@code
   * maxMillis}), then stops counting. Without the agent nothing is counted: one quiet period.
   */
  static long settle(long quietMillis, long maxMillis) {
    try {
      return new Settling(ClassLoads::count, quietMillis, maxMillis).await();
    } finally {
      stop();
    }
  }
}
