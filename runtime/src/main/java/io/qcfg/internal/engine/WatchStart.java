package io.qcfg.internal.engine;

import io.qcfg.internal.log.Log;
import io.qcfg.internal.log.StartupTrace;
import io.qcfg.internal.watch.DirectoryWatcher;
import java.nio.file.Path;
import java.util.Set;
import java.util.SortedMap;
import java.util.function.Supplier;

/**
 * The file watcher of a start, registered on its own thread once the first snapshot built in
 * full is out (issue 16: registering cost the applier ~40 ms before it read a file, and beside
 * the build it took a core from it), or, after a fast restart, right before the full build that
 * follows it ({@link FastStart}). No edit is lost in between: once
 * the watcher is registered and the first snapshot is out, the files are digested again and
 * compared with the digests taken before the build read them; if they differ (or either is
 * unknown), a reload is queued once the files have been still for the watcher's settle period,
 * as for any change the watcher sees. An edit after the registration is an event; one before it
 * shows in the second digest.
 *
 * <p>Concurrency: {@link #of} and {@link #firstDone} are called by the applier, {@link #register}
 * by the applier or {@code qcfg-start-check}; the rest runs on the thread {@code
 * qcfg-watch-start}, which only queues work on the applier.
 */
final class WatchStart {
  /**
   * For tests: runs on the watch thread before it registers (null: nothing); the hook set when
   * {@link #register} is called.
   */
  static volatile Runnable beforeRegister;

  private final Triggers triggers;
  private final OneShot<SortedMap<String, String>> read = new OneShot<>(); // made before the publish
  private final Supplier<SortedMap<String, String>> now;
  private final java.util.concurrent.atomic.AtomicBoolean started =
      new java.util.concurrent.atomic.AtomicBoolean();

  private WatchStart(Triggers triggers, Supplier<SortedMap<String, String>> now) {
    this.triggers = triggers;
    this.now = now;
  }

  /**
   * The watcher of this start, not registered yet ({@link #register}); null when option watch is
   * off (then there is nothing to compare either).
   *
   * @param now the digests of the files at the time it is called (null: cannot be taken)
   */
  static WatchStart of(Triggers triggers, Supplier<SortedMap<String, String>> now) {
    return triggers.watching() ? new WatchStart(triggers, now) : null;
  }

  /** Registers the watcher on {@code qcfg-watch-start}, once; later calls do nothing. */
  void register() {
    if (!started.compareAndSet(false, true)) {
      return;
    }
    Runnable hook = beforeRegister; // this start's: a later start's hook is not for this thread
    Thread t = new Thread(() -> run(hook), "qcfg-watch-start");
    t.setDaemon(true);
    t.start();
  }

  /**
   * The first snapshot is out (or the start failed): {@code filesRead} are the digests taken
   * before its build read the files (null: unknown, so a reload is queued to be sure).
   */
  void firstDone(SortedMap<String, String> filesRead) {
    read.complete(filesRead);
  }

  private void run(Runnable hook) {
    if (hook != null) {
      hook.run();
    }
    long t = StartupTrace.begin();
    triggers.watchFiles();
    StartupTrace.end("file watching (register)", t);
    SortedMap<String, String> before;
    try {
      before = read.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    } catch (java.util.concurrent.ExecutionException e) {
      before = null;
    }
    if (triggers.closed()) {
      return; // stopped meanwhile: nothing to reload
    }
    t = StartupTrace.begin();
    SortedMap<String, String> after = now.get();
    boolean same = before != null && before.equals(after);
    StartupTrace.end("file watching (files unchanged since the build read them: " + same + ")", t);
    java.util.function.BooleanSupplier settled = same ? null : settled(after);
    if (settled != null) {
      Log.debug("the files may have changed between the first build's read and the watcher's"
          + " start: a reload is queued");
      // "": the whole directory. The reload reads the files as they are when it runs: if one was
      // written again since they settled, that write's own event reloads (ChangeListener).
      triggers.changed(Set.of(Path.of("")), settled);
    }
  }

  /** Whether the files' digests are {@code settled} now; true when they cannot be taken. */
  private boolean stillAs(SortedMap<String, String> settled) {
    SortedMap<String, String> again = now.get();
    return again == null || again.equals(settled);
  }

  /**
   * The watcher's settle rule for the catch-up: a file written in place in bursts is read only
   * once the files have been still for {@link DirectoryWatcher#DEFAULT_SETTLE}, never half-written
   * (HalfWrittenFileTest caught a reload of a first burst). Bounded like the watcher (~2.5 s).
   *
   * @return whether the files still hold what they settled on (the last digests taken after
   *     ~2.5 s; always true when those could not be taken), or null when qcfg stopped or this
   *     thread was interrupted meanwhile
   */
  private java.util.function.BooleanSupplier settled(SortedMap<String, String> last) {
    for (int i = 0; i < 10; i++) {
      try {
        Thread.sleep(DirectoryWatcher.DEFAULT_SETTLE.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
      if (triggers.closed()) {
        return null;
      }
      SortedMap<String, String> again = now.get();
      if (again != null && again.equals(last)) {
        return () -> stillAs(again);
      }
      last = again;
    }
    SortedMap<String, String> unsettled = last;
    return triggers.closed() ? null : unsettled == null ? () -> true : () -> stillAs(unsettled);
  }
}
