package io.qcfg.internal.engine;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One task run once, a while after an extension started, on a daemon thread of its own, unless
 * {@link #cancel} comes first (issue 16): work that the first snapshot does not need and that a
 * short-lived JVM should never pay for (the JDK's digest, Micrometer's meters).
 *
 * <p>Concurrency: {@link #start} once; {@link #cancel} from any thread ends the wait at once.
 */
public final class Later {
  private final CountDownLatch cancelled = new CountDownLatch(1);

  /** Runs {@code task} on the daemon thread {@code name} after {@code delay}, if not cancelled. */
  public void start(String name, Duration delay, Runnable task) {
    Thread t = new Thread(() -> {
      try {
        if (!cancelled.await(delay.toNanos(), TimeUnit.NANOSECONDS)) {
          task.run();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, name);
    t.setDaemon(true);
    t.start();
  }

  /** The task will not run, and its thread ends now. */
  public void cancel() {
    cancelled.countDown();
  }
}
