package io.qcfg.internal.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * A value or a failure, set once by one thread and awaited by others: the start-up's hand-overs
 * (the state directory opened, the secret layer read ahead, the files digested, the first
 * snapshot published, a first start's files read ahead and start tree written). The part of
 * {@code CompletableFuture} they use, with its meaning, without its first use on a start's path,
 * first or restart (issue 16): {@code CompletableFuture} initialises the fork-join common pool and
 * loads a dozen classes that the JDK's class-data archive lacks (2-6 ms cold, measured), while
 * this needs nothing that is not loaded already.
 *
 * <p>Concurrency: every field is guarded by this object's monitor; the first {@link #complete}
 * or {@link #completeExceptionally} wins and wakes every waiter, and its value is seen by them
 * (the monitor orders it).
 */
final class OneShot<T> {
  private boolean done; // guarded by this
  private T value; // guarded by this
  private Throwable failure; // guarded by this
  private List<Runnable> then; // guarded by this; null when none or once run

  /** Sets the value, if nothing is set yet; runs what {@link #thenRun} queued. */
  boolean complete(T v) {
    return finish(v, null);
  }

  /** Sets the failure, if nothing is set yet; {@link #thenRun}'s tasks are dropped. */
  boolean completeExceptionally(Throwable x) {
    return finish(null, java.util.Objects.requireNonNull(x));
  }

  private boolean finish(T v, Throwable x) {
    List<Runnable> run;
    synchronized (this) {
      if (done) {
        return false;
      }
      done = true;
      value = v;
      failure = x;
      run = then;
      then = null;
      notifyAll();
    }
    if (run != null && x == null) { // as CompletableFuture.thenRun: after a value only
      for (Runnable r : run) {
        runQuietly(r);
      }
    }
    return true;
  }

  // As CompletableFuture.thenRun: a task's failure is its own (its stage's, which nobody reads),
  // never its caller's.
  private static void runQuietly(Runnable task) {
    try {
      task.run();
    } catch (RuntimeException e) {
      // the task reports what it must itself
    }
  }

  synchronized boolean isDone() {
    return done;
  }

  /**
   * Runs {@code task} once the value is set: at once when it is (on this thread), else on the
   * thread that sets it. Never after a failure; a task that throws is left at that, as {@code
   * CompletableFuture.thenRun} leaves it (in a stage nobody reads).
   */
  void thenRun(Runnable task) {
    synchronized (this) {
      if (!done) {
        if (then == null) {
          then = new ArrayList<>(2);
        }
        then.add(task);
        return;
      }
      if (failure != null) {
        return;
      }
    }
    runQuietly(task);
  }

  /**
   * Waits for the value, through interrupts (kept for the caller's later waits).
   *
   * @throws CompletionException with the failure as its cause
   */
  T join() {
    boolean interrupted = false;
    try {
      synchronized (this) {
        while (!done) {
          try {
            wait();
          } catch (InterruptedException e) {
            interrupted = true;
          }
        }
        if (failure != null) {
          throw new CompletionException(failure);
        }
        return value;
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Waits for the value. @throws ExecutionException with the failure as its cause */
  synchronized T get() throws InterruptedException, ExecutionException {
    while (!done) {
      wait();
    }
    return result();
  }

  /**
   * Waits for the value, at most {@code millis}.
   *
   * @throws ExecutionException with the failure as its cause
   * @throws TimeoutException when nothing is set by then
   */
  synchronized T get(long millis) throws InterruptedException, ExecutionException,
      TimeoutException {
    long end = System.nanoTime() + millis * 1_000_000L;
    while (!done) {
      long left = end - System.nanoTime();
      if (left <= 0) {
        throw new TimeoutException();
      }
      wait(Math.max(1, left / 1_000_000L));
    }
    return result();
  }

  private T result() throws ExecutionException { // holding the monitor, done
    if (failure != null) {
      throw new ExecutionException(failure);
    }
    return value;
  }
}
