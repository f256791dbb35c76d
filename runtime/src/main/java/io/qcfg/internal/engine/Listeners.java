package io.qcfg.internal.engine;

import io.qcfg.ConfigChange;
import io.qcfg.internal.bind.FieldBinder;
import io.qcfg.internal.log.Log;
import io.qcfg.internal.snapshot.ConfigSnapshot;
import io.qcfg.internal.snapshot.SnapshotStore;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Calls change listeners and {@code @OnConfigChange} methods on their own serial daemon thread
 * ({@code qcfg-listeners}), so that no listener can hold the applier: a version is published,
 * bound and recorded before any listener sees it, and the next change does not wait for them.
 *
 * <p>Each listener sees the changes in version order, one call at a time. A call that has not
 * returned after {@code stuckAfter} is reported (QCFG-1403) and counted as a listener failure; the
 * thread that runs it is left to it and a fresh one delivers to the others. The stuck listener is
 * skipped until it returns; then it gets one change from the snapshot it last saw to the newest,
 * so it never misses the end state and is never called twice at once.
 *
 * <p>A caller of the API ({@code reload}, {@code setOverride}…) waits, bounded, until its version
 * has been delivered ({@link #awaitDelivered}), as it did when listeners ran on the applier;
 * a listener that itself changes the configuration does not wait for its own thread.
 *
 * <p>Concurrency: {@link #deliver} runs on the applier; workers take tasks from a queue; all
 * shared state is guarded by {@code this}, and no user code runs under that lock.
 */
final class Listeners {
  static final String THREAD_NAME = "qcfg-listeners";

  /** How long a user callback (listener, rule) may run before qcfg goes on without it. */
  static final Duration CALLBACK_TIME_LIMIT = Duration.ofSeconds(10);

  /** How long an idle delivering thread waits for the next change before it ends. */
  private static final Duration IDLE = Duration.ofSeconds(30);

  /** One listener: a {@code Qcfg.onChange} consumer or an {@code @OnConfigChange} method. */
  private record Target(Object key, String name, String failureId, Call call) {}

  @FunctionalInterface
  private interface Call {
    void accept(ConfigChange change) throws Throwable;
  }

  /** A change for one target; a {@code null} target marks the end of a version's deliveries. */
  private record Task(Target target, ConfigChange change, long version) {}

  /** A listener whose call has not returned, and what it missed meanwhile. */
  private static final class Stuck {
    final ConfigSnapshot seen; // the newest snapshot it was called with
    boolean returned;
    ConfigSnapshot missed; // the newest snapshot it was skipped for, or null

    Stuck(ConfigSnapshot seen) {
      this.seen = seen;
    }
  }

  /** The call in progress on a worker. */
  private record Running(Target target, ConfigChange change, long startedNanos) {}

  private final FieldBinder binder;
  private final SnapshotStore store;
  private final Status status;
  private final Duration stuckAfter;
  private final ArrayDeque<Task> queue = new ArrayDeque<>(); // guarded by this
  private final Map<Object, Stuck> stuck = new HashMap<>(); // guarded by this
  private Worker worker; // guarded by this; null when none runs
  private long queued; // guarded by this: newest version queued
  private long delivered; // guarded by this: newest version delivered to every listener
  private boolean stopped; // guarded by this
  private ScheduledThreadPoolExecutor watchdog; // guarded by this; created on first use

  Listeners(FieldBinder binder, SnapshotStore store, Status status, Duration stuckAfter) {
    this.binder = binder;
    this.store = store;
    this.status = status;
    this.stuckAfter = stuckAfter;
  }

  /**
   * Queues the change from {@code before} (null for the first snapshot) to {@code next} for every
   * listener registered now (applier thread); never blocks. The change is made only when a
   * listener will hear it: a first snapshot's changed paths are every path of the tree, sorted
   * (10,000 at the start-up benchmark's restart, cold, on the applier before an exit could end
   * the JVM: issue 16).
   */
  void deliver(ConfigSnapshot before, ConfigSnapshot next) {
    long version = next.version();
    // The first snapshot (old == new) is no change to a bound method; a consumer hears of it.
    List<Target> targets = targets(before != null && before != next);
    ConfigChange change = targets.isEmpty() ? null // the end mark needs none
        : new ConfigChange(before == null ? next : before, next,
            SnapshotStore.changedPaths(before, next));
    synchronized (this) {
      if (stopped) {
        return;
      }
      queued = Math.max(queued, version);
      if (targets.isEmpty() && queue.isEmpty() && worker == null) {
        delivered = Math.max(delivered, version); // nobody to call, nothing before it: no thread
        notifyAll();
        return;
      }
      for (Target t : targets) {
        queue.add(new Task(t, change, version));
      }
      queue.add(new Task(null, null, version));
      startWorkerIfIdle();
    }
  }

  /**
   * Waits until {@code version} has been delivered to every listener that is not stuck, at most
   * {@code max}. Returns at once on a listener thread (it would wait for itself).
   */
  void awaitDelivered(long version, Duration max) {
    if (Thread.currentThread() instanceof Worker) {
      return;
    }
    long deadline = System.nanoTime() + max.toNanos();
    synchronized (this) {
      while (delivered < version && queued >= version && !stopped) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return;
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(this, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** Drops what is queued; a call in progress runs to its end on its own thread. */
  void stop() {
    ScheduledThreadPoolExecutor w;
    synchronized (this) {
      stopped = true;
      queue.clear();
      worker = null;
      w = watchdog;
      notifyAll();
    }
    if (w != null) {
      w.shutdownNow();
    }
  }

  private List<Target> targets(boolean withMethods) {
    List<Target> out = new ArrayList<>();
    for (FieldBinder.ListenerMethod m : withMethods ? binder.listenerMethods()
        : List.<FieldBinder.ListenerMethod>of()) {
      out.add(new Target(m, m.name(), "QCFG-5007", m::call));
    }
    for (Consumer<ConfigChange> l : store.listeners()) {
      out.add(new Target(new Identity(l), "change listener " + l.getClass().getName(),
          "QCFG-1402", l::accept));
    }
    return out;
  }

  /** Keys a consumer by identity, whatever its {@code equals}. */
  private record Identity(Object o) {
    @Override
    public boolean equals(Object other) {
      return other instanceof Identity i && i.o == o;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(o);
    }
  }

  private static ConfigSnapshot snapshot(ConfigChange change) {
    return (ConfigSnapshot) change.newSnapshot(); // the engine only ever makes these
  }

  /** Wakes the idle worker, or starts one when none runs and there is work (holding this). */
  private void startWorkerIfIdle() {
    if (worker == null && !queue.isEmpty() && !stopped) {
      worker = new Worker();
      worker.start();
    }
    notifyAll();
  }


  /** Takes the next task for {@code w}, or null when {@code w} should end (holding nothing). */
  private synchronized Task next(Worker w) {
    // An idle worker stays a while, so that a burst of changes does not start a thread each.
    long idleUntil = System.nanoTime() + IDLE.toNanos();
    while (worker == w && queue.isEmpty() && !stopped) {
      long left = idleUntil - System.nanoTime();
      if (left <= 0) {
        worker = null; // idle: the next delivery starts a new thread
        return null;
      }
      try {
        TimeUnit.NANOSECONDS.timedWait(this, left);
      } catch (InterruptedException e) {
        if (worker == w) {
          worker = null;
          startWorkerIfIdle(); // work queued meanwhile gets a fresh thread
        }
        return null; // a daemon thread of ours: ending is the answer to an interrupt
      }
    }
    return worker == w && !stopped ? queue.poll() : null;
  }

  /** What {@code task} hands its target, or null to skip it (stuck, or nothing missed). */
  private synchronized ConfigChange changeFor(Task task) {
    Stuck s = stuck.get(task.target().key());
    if (s == null) {
      return task.change(); // null for a catch-up already delivered with a later change
    }
    if (!s.returned) {
      s.missed = task.change() == null ? s.missed : snapshot(task.change());
      return null;
    }
    stuck.remove(task.target().key());
    ConfigSnapshot to = task.change() != null ? snapshot(task.change()) : s.missed;
    if (to == null || to == s.seen) {
      return null;
    }
    return new ConfigChange(s.seen, to, SnapshotStore.changedPaths(s.seen, to));
  }

  private void run(Task task) {
    if (task.target() == null) {
      synchronized (this) {
        delivered = Math.max(delivered, task.version());
        notifyAll();
      }
      return;
    }
    ConfigChange change = changeFor(task);
    if (change == null) {
      return;
    }
    Running call = new Running(task.target(), change, System.nanoTime());
    ScheduledFuture<?> alarm = alarm(call);
    try {
      task.target().call().accept(change);
    } catch (Throwable t) {
      status.listenerFailed();
      Log.error(task.target().failureId() + ": the " + task.target().name() + " threw; version "
          + change.newSnapshot().version() + " stays applied", t);
    } finally {
      if (alarm != null) {
        alarm.cancel(false);
      }
      returned(call);
    }
  }

  /** Marks {@code call} as running on this worker and sets the watchdog on it. */
  private synchronized ScheduledFuture<?> alarm(Running call) {
    if (stopped) {
      return null;
    }
    if (watchdog == null) {
      watchdog = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "qcfg-listeners-watch");
        t.setDaemon(true);
        return t;
      });
      watchdog.setRemoveOnCancelPolicy(true);
    }
    Worker on = (Worker) Thread.currentThread();
    on.current = call;
    return watchdog.schedule(() -> stuck(call, on), stuckAfter.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The watchdog's verdict on a call that has run for {@code stuckAfter}. */
  private void stuck(Running call, Worker on) {
    synchronized (this) {
      if (stopped || on.current != call) {
        return; // returned meanwhile
      }
      stuck.put(call.target().key(), new Stuck(snapshot(call.change())));
      if (worker == on) {
        worker = null; // left to the call; the others get a fresh thread
      }
      startWorkerIfIdle();
    }
    status.listenerFailed();
    Log.error("QCFG-1403: the " + call.target().name() + " has not returned after "
        + stuckAfter.toMillis() + " ms (version " + call.change().newSnapshot().version()
        + "); the other listeners go on without it, and it gets the newest change once it"
        + " returns");
  }

  private void returned(Running call) {
    Worker on = (Worker) Thread.currentThread();
    boolean wasStuck;
    synchronized (this) {
      on.current = null;
      Stuck s = stuck.get(call.target().key());
      wasStuck = s != null && !s.returned;
      if (wasStuck) {
        s.returned = true;
        if (s.missed != null && !stopped) {
          queue.add(new Task(call.target(), null, 0)); // the catch-up
          startWorkerIfIdle();
        } else {
          stuck.remove(call.target().key());
        }
      }
    }
    if (wasStuck) {
      Log.warn("QCFG-1404: the " + call.target().name() + " returned after "
          + Duration.ofNanos(System.nanoTime() - call.startedNanos()).toMillis() + " ms");
    }
  }

  /** A delivering thread; it ends when idle or when it was left to a stuck call. */
  private final class Worker extends Thread {
    volatile Running current;

    Worker() {
      super(THREAD_NAME);
      setDaemon(true);
    }

    @Override
    public void run() {
      Task t;
      while ((t = next(this)) != null) {
        runTracked(t);
      }
    }

    private void runTracked(Task t) {
      try {
        Listeners.this.run(t);
      } catch (Throwable e) { // qcfg's own failure: never lose the thread's queue
        Log.error("QCFG-1403: delivering a change failed", e);
      }
    }
  }
}
