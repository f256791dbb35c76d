package io.qcfg.internal.engine;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * One task run once, a while after an extension started, on a daemon thread of its own, unless
 * {@link #cancel} comes first (issue 16): work that the first snapshot does not need and that a
 * short-lived JVM should never pay for (the JDK's digest, Micrometer's meters).
 *
 * <p>The thread waits by parking, which allocates nothing: a thread's first allocation takes a
 * whole thread-local allocation buffer from the young generation (about 330 KB at a default
 * heap), and the waits of a start-up's threads together had the first start of a 1,000-key
 * configuration collect garbage once before it exited (issue 16).
 *
 * <p>Concurrency: {@link #start} once; {@link #cancel} from any thread ends the wait at once (it
 * sets the flag, then unparks the thread, which reads the flag before and after every park).
 */
public final class Later {
  private volatile boolean cancelled;
  private volatile Thread thread;

  /** Runs {@code task} on the daemon thread {@code name} after {@code delay}, if not cancelled. */
  public void start(String name, Duration delay, Runnable task) {
    long nanos = delay.toNanos();
    Thread t = new Thread(() -> {
      long deadline = System.nanoTime() + nanos;
      while (!cancelled) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          task.run();
          return;
        }
        LockSupport.parkNanos(this, left);
        if (Thread.currentThread().isInterrupted()) {
          return; // nobody but a stop interrupts it: taken as a cancel
        }
      }
    }, name);
    t.setDaemon(true);
    thread = t;
    t.start();
  }

  /** The task will not run, and its thread ends now. */
  public void cancel() {
    cancelled = true;
    Thread t = thread;
    if (t != null) {
      LockSupport.unpark(t);
    }
  }
}
