package io.qcfg.internal.engine;

import io.qcfg.internal.QcfgOptions;
import io.qcfg.internal.log.Log;
import io.qcfg.internal.log.StartupTrace;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The state directory around the first snapshot (issue 16): opened on its own thread while the
 * first snapshot builds, joined before anything is published or recorded; and, because readers
 * go on at publish, an exit in the gap before history and the audit line are written waits for
 * them (bounded), so that a short-lived JVM's version is durable and the next start on unchanged
 * files keeps it. A JVM that ends before the first snapshot is published waits for nothing.
 *
 * <p>Concurrency: created and driven by the applier; the exit hook runs on its own thread and
 * only reads the latch and {@code published}.
 */
final class StartupRecords {
  /** The longest an exit waits for the first snapshot's history and audit writes. */
  static final long RECORD_AT_EXIT_MILLIS = 3_000;

  private final QcfgOptions options;
  private final Records records;
  private final BooleanSupplier published;
  private final CountDownLatch recorded = new CountDownLatch(1);
  private final Thread atExit = new Thread(this::finishAtExit, "qcfg-startup-exit");
  private OneShot<Void> opened; // applier only
  // History is open (or will not be): completed on qcfg-state before the audit log opens.
  private OneShot<Void> historyOpened; // applier only

  StartupRecords(QcfgOptions options, Records records, BooleanSupplier published) {
    this.options = options;
    this.records = records;
    this.published = published;
  }

  /** Registers the exit wait; called before anything can be published. */
  void watchExit() {
    atExit.setDaemon(true);
    try {
      Runtime.getRuntime().addShutdownHook(atExit);
    } catch (IllegalStateException e) {
      // already exiting
    }
  }

  /** The first snapshot is recorded, or the start failed: an exit waits no longer. */
  void done() {
    if (StartupTrace.ON && published.getAsBoolean()) {
      long t = StartupTrace.begin();
      StartupTrace.end("first start recorded: an exit waits no longer", t);
    }
    recorded.countDown();
    try {
      Runtime.getRuntime().removeShutdownHook(atExit);
    } catch (IllegalStateException e) {
      // the JVM is exiting: the hook sees the latch
    }
  }

  private void finishAtExit() {
    if (!published.getAsBoolean()) {
      return;
    }
    try {
      recorded.await(RECORD_AT_EXIT_MILLIS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Opens the state directory (lock, identity, history, audit log, version counter) on the thread
   * {@code qcfg-state}. The directory itself is created first, in line: the build's checksum key
   * lives in it, and a build that found no state directory would use a key of this process only.
   */
  void open() {
    try {
      if (!java.nio.file.Files.isDirectory(options.state())) { // else it throws and catches two
        java.nio.file.Files.createDirectories(options.state()); // exceptions (issue 16)
      }
    } catch (java.io.IOException | RuntimeException e) {
      // reported by the state thread (read-only or broken directory: features, not the app)
    }
    OneShot<Void> done = new OneShot<>();
    OneShot<Void> history = new OneShot<>();
    Thread t = new Thread(() -> {
      long began = StartupTrace.begin();
      makeChecksumKey();
      try {
        records.open(options, () -> history.complete(null));
        done.complete(null);
      } catch (Throwable e) {
        done.completeExceptionally(e);
        return;
      } finally {
        history.complete(null); // not owned, or failed: nobody waits for it any longer
        StartupTrace.end("state dir (lock, identity, history, audit, counter)", began);
      }
      boolean fast = fastPathTried();
      warmWriters(fast);
      warmValuePath(fast);
      long w = StartupTrace.begin();
      Log.warmClock(); // the started line's time stamp, written after the publish
      StartupTrace.end("log (the time zone, warm)", w);
    }, "qcfg-state");
    t.setDaemon(true);
    opened = done;
    historyOpened = history;
    t.start();
  }

  /**
   * Makes (or reads) the state directory's checksum key here, first on {@code qcfg-state}, when no
   * key ring is configured: at a first start the key file is created (random bytes, a file made
   * and renamed, ~4 ms cold), which the build's index otherwise did on the applier, in the middle
   * of its critical path (issue 16). {@link ChecksumKey#of} keeps one key per directory in the
   * JVM, made once: the applier asking meanwhile waits for this one and gets the same key. With
   * a key ring (the {@code key} option) the checksum key derives from the ring: nothing to make.
   * When the key file exists already (a restart), the applier reads it as before, and this
   * thread goes straight on to history, which a fast restart waits for.
   */
  private void makeChecksumKey() {
    if (options.key() != null || java.nio.file.Files.exists(
        options.state().resolve(io.qcfg.internal.crypto.ChecksumKey.FILE))) {
      return;
    }
    long t = StartupTrace.begin();
    try {
      io.qcfg.internal.crypto.ChecksumKey.of(null, options.state());
    } catch (RuntimeException e) {
      // the build makes it again and reports what is wrong
    }
    StartupTrace.end("checksum key (state dir)", t);
  }

  // Set by the applier when the fast path will be tried, read by qcfg-state before it warms the
  // history writer; a late set only warms in vain.
  private volatile boolean fastRestart;

  /** The fast path will be tried: its restart writes no history entry, so none is warmed. */
  void fastRestart() {
    fastRestart = true;
  }

  /**
   * Runs the history and audit writers' cold code (jackson-core) while the applier builds, when
   * a restart's history reading loads it before the publish anyway (the history writer only
   * when the fast path will not be tried: a restart that keeps its version writes no entry). A first start (no entry
   * yet) needs none of it before its publish (the entry tree check proves the limits without
   * it): there it would only take CPU from the build on a busy machine, so the writes right
   * after the publish load it (issue 16).
   */
  private void warmWriters(boolean fast) {
    var h = records.history();
    if (h == null || h.lastVersion() == 0) {
      return;
    }
    long w = StartupTrace.begin();
    if (!fast) { // a fast restart keeps its version: it writes no history entry
      io.qcfg.internal.history.HistoryStore.warm();
    }
    io.qcfg.internal.audit.AuditLog.warm();
    StartupTrace.end("history and audit (warm the writers)", w);
  }

  /**
   * Whether the fast path will be tried. The applier says so once it has read the fingerprint,
   * which may be after this point on a busy machine: a state dir that holds a fingerprint is
   * taken as a fast restart too, so that jackson-core's parser is never loaded before a fast
   * restart's publish (NoJcaBeforePublishIT failed 1 run in 8 under load). A refused fast path
   * then writes its entry cold, as a first start does.
   */
  private boolean fastPathTried() {
    return fastRestart || java.nio.file.Files.exists(
        options.state().resolve(io.qcfg.internal.history.StartInputsFile.NAME));
  }

  /**
   * At a restart that holds a fingerprint (the fast path will be tried), runs the bound values'
   * cold code here ({@link io.qcfg.internal.snapshot.ValuePathWarmUp}) while the applier reads
   * the start tree: the first bound class would run it on the application's main thread right
   * after the publish. A full build initialises the same classes itself before it publishes.
   */
  private void warmValuePath(boolean fast) {
    if (!fast) {
      return;
    }
    long w = StartupTrace.begin();
    io.qcfg.internal.snapshot.ValuePathWarmUp.run();
    StartupTrace.end("bound values (warm the value path)", w);
  }

  /**
   * Waits until history is open under the lock (or known not to open); the audit log and the
   * version counter may still be opening. A fast restart reads history's head after this and
   * calls {@link #join} only right before it publishes (issue 16).
   */
  void joinHistory() {
    OneShot<Void> h = historyOpened;
    if (h == null) {
      return;
    }
    long t = StartupTrace.begin();
    awaitKeepingInterrupt(h); // never completed exceptionally: join() reports a failure
    StartupTrace.end("state dir (wait for history)", t);
  }

  /** Waits for the state directory; a failure to open it is logged, never fatal (as before). */
  void join() {
    OneShot<Void> state = opened;
    if (state == null) {
      return;
    }
    long t = StartupTrace.begin();
    Throwable failed = awaitKeepingInterrupt(state);
    if (failed != null) {
      Log.error("QCFG-1503: cannot open the state directory; no history, audit or fallback",
          failed);
    }
    StartupTrace.end("state dir (wait for it)", t);
  }

  /**
   * Waits for {@code f}, which the state thread always completes; an interrupt meanwhile is kept
   * for the caller's later waits. @return the cause it failed with, or null
   */
  private static Throwable awaitKeepingInterrupt(OneShot<Void> f) {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          f.get();
          return null;
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          return e.getCause();
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
