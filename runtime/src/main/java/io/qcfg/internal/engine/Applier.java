package io.qcfg.internal.engine;

import io.qcfg.QcfgException;
import io.qcfg.internal.log.Log;
import io.qcfg.internal.validate.RuleRunner;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one thread that applies changes ({@code qcfg-applier}): a serial executor that never waits
 * on itself.
 *
 * <p>Concurrency: tasks run one at a time, in submission order. {@link #call} is the only
 * blocking entry point: from the applier thread itself (a listener, an {@code @OnConfigChange}
 * method or a {@code ConfigRule} calling {@code Qcfg.reload()}) it is refused at once, because the
 * task could only run after the one that waits for it; from any other thread it waits at most
 * {@link #DEFAULT_WAIT}. A task that throws anything, {@code Error} included, is logged and the
 * thread goes on; should the thread die anyway, the executor starts a new one and the death is
 * reported (QCFG-1511) and counted.
 */
final class Applier {
  /** How long a caller waits for its change before it is told what it waited for. */
  static final Duration DEFAULT_WAIT = Duration.ofSeconds(60);

  static final String THREAD_NAME = "qcfg-applier";

  private final ExecutorService executor;
  private final Duration wait;
  private final AtomicLong deaths = new AtomicLong();
  private volatile String running = "nothing"; // what the applier does now, for wait messages

  Applier(Duration wait) {
    this.wait = wait;
    this.executor =
        new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new ApplierThread(this, r);
              t.setDaemon(true);
              t.setUncaughtExceptionHandler((th, e) -> died(e));
              return t;
            });
  }

  /** A thread that knows which applier it belongs to (a name could be spoofed or reused). */
  private static final class ApplierThread extends Thread {
    final Applier owner;

    ApplierThread(Applier owner, Runnable r) {
      super(r, THREAD_NAME);
      this.owner = owner;
    }
  }

  /**
   * Whether the caller runs on this applier's thread, or on a {@code qcfg-rules} thread the
   * applier waits for (a rule is only ever run for the one running engine).
   */
  boolean onApplierThread() {
    return Thread.currentThread() instanceof ApplierThread t && t.owner == this
        || RuleRunner.onRuleThread();
  }

  /** Whether the caller runs on any qcfg applier thread (of this or an earlier engine). */
  static boolean onAnyApplierThread() {
    return Thread.currentThread() instanceof ApplierThread || RuleRunner.onRuleThread();
  }

  /** How many times the applier thread died and was replaced. */
  long deaths() {
    return deaths.get();
  }

  /**
   * Queues {@code task}; never blocks. Anything it throws is logged, never lost.
   *
   * @return false when the applier is stopped
   */
  boolean execute(String what, Runnable task) {
    try {
      executor.execute(() -> {
        try {
          run(what, () -> {
            task.run();
            return null;
          });
        } catch (QcfgException e) {
          Log.error(what + " failed: " + e.getMessage());
        } catch (Exception e) {
          // logged by run
        }
      });
      return true;
    } catch (RejectedExecutionException e) {
      return false;
    }
  }

  /**
   * Runs {@code task} on the applier and waits for its result, at most the applier's wait.
   *
   * @throws QcfgException.Refused on the applier thread itself (QCFG-1606), when the wait ends
   *     (QCFG-1607) or when the caller is interrupted or the applier stopped (QCFG-1602)
   */
  <T> T call(String what, Callable<T> task) {
    if (onApplierThread()) {
      throw new QcfgException.Refused("QCFG-1606", what + " refused: it was called on the "
          + THREAD_NAME + " thread or from a ConfigRule that thread waits for, where it would"
          + " wait for itself; make the change from another thread");
    }
    Future<T> f;
    try {
      f = executor.submit(() -> run(what, task));
    } catch (RejectedExecutionException e) {
      throw new QcfgException.Refused("QCFG-1602", what + " refused: qcfg is stopped");
    }
    try {
      return f.get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new QcfgException.Refused("QCFG-1602", "interrupted while waiting for " + what);
    } catch (TimeoutException e) {
      boolean dropped = f.cancel(false); // never interrupt a change half applied
      throw new QcfgException.Refused("QCFG-1607", what + ": waited " + wait.toSeconds()
          + " s for the " + THREAD_NAME + " thread, busy with " + running + "; "
          + (dropped ? "the change was dropped, nothing was applied"
              : "the change is still running: check the version before retrying"));
    } catch (ExecutionException e) {
      if (e.getCause() instanceof QcfgException q) {
        throw q;
      }
      throw new QcfgException.BugOrBroken(what + " failed", e.getCause());
    }
  }

  private <T> T run(String what, Callable<T> task) throws Exception {
    running = what;
    try {
      return task.call();
    } catch (QcfgException e) {
      throw e;
    } catch (Exception | Error e) {
      // Containing an Error here keeps the thread; the caller sees it as a failed change.
      Log.error("QCFG-1511: " + what + " failed on the " + THREAD_NAME + " thread; it goes on", e);
      throw e instanceof Exception x ? x : new ExecutionFailed(e);
    } finally {
      running = "nothing";
    }
  }

  /** Carries an Error out of a task without killing the thread that ran it. */
  private static final class ExecutionFailed extends Exception {
    private static final long serialVersionUID = 1L;

    ExecutionFailed(Throwable cause) {
      super(cause.getClass().getName(), cause);
    }
  }

  /** Runs {@code task} without the guard of {@link #execute}: for tests of a dying thread. */
  void executeUnguarded(Runnable task) {
    executor.execute(task);
  }

  private void died(Throwable e) {
    deaths.incrementAndGet();
    Log.error("QCFG-1511: the " + THREAD_NAME + " thread died; a new one takes over", e);
  }

  /** Stops the applier: queued tasks are dropped, a running one is interrupted. */
  void stop() {
    executor.shutdownNow();
    if (onApplierThread()) {
      return; // a stop from a task: it cannot wait for itself
    }
    try { // the task under way (a reload queued at start-up, say) ends before stop returns
      executor.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops taking tasks; queued ones still run. */
  void shutdown() {
    executor.shutdown();
  }
}
