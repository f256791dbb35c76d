package io.qcfg.internal.engine;

import io.qcfg.ConfigChange;
import io.qcfg.QcfgException;
import io.qcfg.internal.QcfgOptions;
import io.qcfg.internal.audit.AuditEvent;
import io.qcfg.internal.audit.AuditLog;
import io.qcfg.internal.bind.FieldBinder;
import io.qcfg.internal.etcd.EtcdStatus;
import io.qcfg.internal.history.HistoryEntry;
import io.qcfg.internal.log.Log;
import io.qcfg.internal.log.StartupTrace;
import io.qcfg.internal.snapshot.ConfigSnapshot;
import io.qcfg.internal.snapshot.SnapshotStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The one running qcfg instance of a JVM: its lifecycle and the singleton. The work is done by
 * {@link Applier} (the serial thread), {@link Changes}, {@link Builds}, {@link Publisher},
 * {@link HistoryRestore} and {@link Triggers}; JMX and other endpoints plug in from outside as
 * {@link Extension}s, started after the first snapshot and before {@link #start} returns.
 *
 * <p>Concurrency: every change runs on the applier thread. Readers go through {@link
 * #current()}, one volatile read once the first snapshot exists.
 */
public final class Engine {
  private static final AtomicReference<Engine> RUNNING = new AtomicReference<>();
  private static volatile java.util.concurrent.CountDownLatch starting; // see startInBackground

  private final QcfgOptions options;
  // Made on the applier after the first snapshot: premain loads none of their classes (issue 16).
  private final java.util.function.Supplier<List<Extension>> extensionSource;
  private List<Extension> extensions = List.of(); // the started ones; guarded by lifecycle
  private final ClassLoader appLoader;
  private final SnapshotStore store = new SnapshotStore(0);
  private final FieldBinder binder = new FieldBinder(this::current);
  private final Status status = new Status();
  private final Records records = new Records(status);
  private final Listeners listeners =
      new Listeners(binder, store, status, Listeners.CALLBACK_TIME_LIMIT);
  private final Applier applier;
  private final HistoryRestore restore;
  private final Publisher publisher;
  private final Builds builds;
  private final Changes changes;
  private final Triggers triggers;
  private final Startup startup;
  private final FastStart fast;
  private final Object lifecycle = new Object();
  private boolean stopped; // guarded by lifecycle

  private Engine(QcfgOptions options, ClassLoader appLoader,
      java.util.function.Supplier<List<Extension>> extensions, Duration wait) {
    this.options = options;
    this.appLoader = appLoader;
    this.extensionSource = extensions;
    this.applier = new Applier(wait);
    this.restore = new HistoryRestore(records, options.dir());
    this.publisher = new Publisher(store, binder, records, status, listeners);
    this.builds = new Builds(options, appLoader, binder, publisher, restore, status, store::current);
    this.changes = new Changes(builds, publisher, applier, records, restore, store::current,
        status::rejectedCount, listeners);
    this.triggers = new Triggers(options, applier, changes::inputsChangedNow);
    this.fast = new FastStart(options, appLoader, store, records, builds, publisher, changes,
        applier);
    this.startup = new Startup(options, store, records, builds, changes, publisher, triggers,
        fast);
  }

  /** The running instance, or null; waits (bounded) while {@link #startInBackground} makes it. */
  public static Engine running() {
    Engine e = RUNNING.get();
    return e != null ? e : awaitStarting();
  }

  /** The running instance. @throws QcfgException.NotStarted when there is none */
  public static Engine require() {
    Engine e = running();
    if (e == null) {
      throw new QcfgException.NotStarted();
    }
    return e;
  }

  /** Starts qcfg and waits (bounded) for the first snapshot and the extensions. */
  public static Engine start(QcfgOptions options, StartupFailure onFailure, List<Extension> ext) {
    Engine e = startAsync(options, onFailure, ClassLoader.getSystemClassLoader(), ext);
    e.startup.awaitStarted(e.applier.onApplierThread());
    return e;
  }

  /**
   * Starts qcfg and returns at once; the first snapshot is built on the applier thread, in
   * parallel with the application's own start-up. {@link #current()} waits for it.
   */
  public static Engine startAsync(QcfgOptions options, StartupFailure onFailure,
      ClassLoader appLoader, List<Extension> ext) {
    List<Extension> copy = List.copyOf(ext);
    return startAsync(options, onFailure, appLoader, () -> copy);
  }

  /**
   * As {@link #startAsync(QcfgOptions, StartupFailure, ClassLoader, List)}, with the extensions
   * made by {@code ext} on the applier thread once the first snapshot is published (the agent's
   * premain then loads none of their classes).
   */
  public static Engine startAsync(QcfgOptions options, StartupFailure onFailure,
      ClassLoader appLoader, java.util.function.Supplier<List<Extension>> ext) {
    if (RUNNING.get() != null) {
      return RUNNING.get();
    }
    boolean schemaAhead = Startup.prefetchSchemaAhead(options); // before the engine's classes
    // At a first start here, the files the fingerprint will describe are read meanwhile too.
    var readAhead = schemaAhead ? FastStart.beginReadAhead(options) : null;
    Engine fresh = new Engine(options, appLoader, ext, Applier.DEFAULT_WAIT);
    if (!RUNNING.compareAndSet(null, fresh)) {
      return RUNNING.get();
    }
    if (schemaAhead) {
      fresh.startup.schemaAhead();
      fresh.fast.readAhead(readAhead);
    }
    Log.configure(options.log());
    if (options.traceStartup()) {
      if (!StartupTrace.ON) {
        StartupTrace.enable(System.nanoTime()); // Qcfg.start: the agent enabled it in premain
      }
      // A JVM that ends before the start-up is recorded still shows what it got to.
      Thread t = new Thread(() -> {
        StartupTrace.print("the JVM is exiting; the start-up had not finished");
        try { // a print under way on the applier finishes before the JVM halts
          StartupTrace.awaitPrinted(1_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "qcfg-trace-exit");
      t.setDaemon(true);
      Runtime.getRuntime().addShutdownHook(t);
    }
    fresh.applier.execute("start-up", () -> fresh.initialLoad(onFailure));
    return fresh;
  }

  /**
   * {@link #startAsync} on the thread {@code qcfg-start}, so that the agent's premain returns
   * without making the engine (issue 16); until it exists, {@link #running()} and {@link
   * #require()} wait for it, at most {@link Applier#DEFAULT_WAIT}. A failure is logged
   * (QCFG-5010) and the application runs without qcfg.
   */
  public static void startInBackground(QcfgOptions options, StartupFailure onFailure,
      ClassLoader appLoader, java.util.function.Supplier<List<Extension>> ext) {
    java.util.concurrent.CountDownLatch made = new java.util.concurrent.CountDownLatch(1);
    starting = made;
    Thread t = new Thread(() -> {
      long began = StartupTrace.begin();
      try {
        startAsync(options, onFailure, appLoader, ext);
      } catch (Throwable e) {
        Log.error("QCFG-5010: qcfg failed to start; the application runs without it", e);
      } finally {
        starting = null;
        made.countDown();
        StartupTrace.end("engine (make it, start the applier)", began);
      }
    }, "qcfg-start");
    t.setDaemon(true);
    try {
      t.start();
    } catch (RuntimeException | Error e) { // no thread: nobody may wait for an engine
      starting = null;
      made.countDown();
      throw e;
    }
  }

  private static Engine awaitStarting() {
    java.util.concurrent.CountDownLatch made = starting;
    if (made != null) {
      try {
        made.await(Applier.DEFAULT_WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return RUNNING.get();
  }

  /** Stops the running instance, if any. */
  public static void stopRunning() {
    awaitStarting(); // one being made in the background is stopped too
    Engine e = RUNNING.getAndSet(null);
    if (e != null) {
      e.stop();
    }
  }

  private void initialLoad(StartupFailure onFailure) {
    ConfigSnapshot s;
    try {
      s = startup.firstSnapshot(onFailure);
    } catch (QcfgException e) {
      StartupTrace.print("start-up failed: " + e.getMessage());
      stop();
      RUNNING.compareAndSet(this, null);
      startup.fail(e);
      return;
    }
    long began = StartupTrace.begin();
    synchronized (lifecycle) {
      if (!stopped) {
        try {
          extensions = List.copyOf(extensionSource.get());
        } catch (RuntimeException | LinkageError e) {
          Log.error("QCFG-1510: qcfg's extensions could not be made", e);
        }
      }
      for (Extension x : stopped ? List.<Extension>of() : extensions) {
        try {
          x.started(this);
        } catch (Throwable t) {
          Log.error("QCFG-1510: " + x.getClass().getName() + " failed to start", t);
        }
      }
    }
    StartupTrace.end("extensions (http, metrics, JMX)", began);
    startup.complete(s);
    StartupTrace.print("first snapshot: version " + s.version() + ", " + s.settingCount()
        + " settings, published, bound and recorded");
    triggers.watchEtcd(builds.appliedEtcdRevision(), () -> changes.environment().name());
  }

  private void stop() {
    synchronized (lifecycle) {
      if (stopped) {
        return;
      }
      stopped = true;
      for (Extension x : extensions) {
        try {
          x.stopped(this);
        } catch (Throwable t) {
          Log.error("QCFG-1510: " + x.getClass().getName() + " failed to stop", t);
        }
      }
    }
    triggers.close();
    applier.stop();
    listeners.stop();
    records.close();
  }

  /**
   * The active snapshot. A single volatile read once the first snapshot exists; before that, the
   * caller waits for it, at most {@link Applier#DEFAULT_WAIT}.
   *
   * @throws QcfgException.Refused on the applier thread before the first snapshot (QCFG-1606), or
   *     when the wait ends (QCFG-1607)
   */
  public ConfigSnapshot current() {
    ConfigSnapshot s = store.current();
    return s != null ? s : awaitFirst();
  }

  private ConfigSnapshot awaitFirst() {
    return startup.await(applier.onApplierThread());
  }

  /** Whether the first snapshot (or the defaults of on-invalid-start=continue) is published. */
  public boolean hasSnapshot() {
    return store.current() != null;
  }

  /** Whether the caller runs on a qcfg applier thread. */
  public static boolean onApplierThread() {
    return Applier.onAnyApplierThread();
  }

  /**
   * Runs {@code task} on the applier thread right after the first snapshot is published, before
   * any waiting reader goes on (the statics of classes the first build initialised, such as rule
   * classes); once it is published, as {@link #submit}.
   */
  public void atFirstPublish(Runnable task) {
    if (!startup.atPublish(task)) {
      submit(task);
    }
  }

  /** Runs {@code task} on the applier thread after what is queued; never blocks. */
  public void submit(Runnable task) {
    applier.execute("a queued task", task);
  }

  /** What the file watcher does when {@code file} changes (for tests: no watcher needed). */
  void inputsChanged(java.nio.file.Path file) {
    triggers.changed(java.util.Set.of(file));
  }

  /**
   * What the file watcher does when it delivers {@code file} with its check that the file still
   * holds what it saw ({@link io.qcfg.internal.watch.ChangeListener}); for tests.
   */
  void inputsChanged(java.nio.file.Path file, java.util.function.BooleanSupplier stillAsSeen) {
    triggers.changed(java.util.Set.of(file), stillAsSeen);
  }

  /** Re-reads every layer. @throws QcfgException.Invalid if the result is rejected */
  public ConfigSnapshot reload(String actor, String cause) {
    return changes.reload(actor, cause);
  }

  /** Sets a runtime override; refused if a higher layer pins the path. */
  public ConfigSnapshot setOverride(String path, String value, String actor) {
    return changes.setOverride(path, value, actor);
  }

  /** Removes a runtime override. */
  public ConfigSnapshot clearOverride(String path, String actor) {
    return changes.clearOverride(path, actor);
  }

  /** Rebuilds the whole stack for another environment; applied atomically or not at all. */
  public ConfigSnapshot switchEnvironment(String name, String actor) {
    return changes.switchEnvironment(name, actor);
  }

  /** Rolls back to a kept version of this JVM's environment. */
  public ConfigSnapshot rollback(long version, String actor) {
    return changes.rollback(version, actor, false, null);
  }

  /** Rolls back to a kept version; another environment's only when {@code allowEnvironmentChange}. */
  public ConfigSnapshot rollback(long version, String actor, boolean allowEnvironmentChange) {
    return changes.rollback(version, actor, allowEnvironmentChange, null);
  }

  // --- issue 18: probation (internal.guard) ----------------------------------------------------

  /**
   * The automatic rollback of probation: to {@code version} (a confirmed one, of any environment),
   * with {@code reason} in its cause. It does not enter probation.
   */
  public ConfigSnapshot rollbackAutomatically(long version, String actor, String reason) {
    return changes.rollback(version, actor, true, reason);
  }

  /**
   * After {@code release-quarantine}: the automatic rollback away from {@code checksum} no longer
   * holds against the inputs, so their next event applies it (on probation). Never blocks.
   */
  public void releaseHold(String checksum) {
    applier.execute("release-quarantine", () -> changes.endHold(checksum));
  }

  /** Installs the probation guard (null: none). */
  public void guard(ChangeGuard guard) {
    status.guard(guard);
  }

  /** Appends {@code event} to the audit log (an unwritable log shows in {@code LastError}). */
  public void audit(AuditEvent event) {
    records.audit(event);
  }

  /** Marks {@code version} confirmed in history; false when it is not kept or not writable. */
  public boolean confirm(long version) {
    return records.confirm(version);
  }

  /** The snapshot of a kept version (the active one, or one rebuilt from history). */
  public ConfigSnapshot snapshotAt(long version) {
    ConfigSnapshot active = current();
    return active.version() == version ? active : restore.snapshotAt(version);
  }

  /** The applied snapshots kept in history, oldest first. */
  public List<HistoryEntry> history() {
    return records.entries();
  }

  /** The audit log, or null when the state directory could not be opened. */
  public AuditLog auditLog() {
    return records.audit();
  }

  /** Records an access denial (called by the JMX layer). */
  public void auditDenied(String principal, String operation, String reason) {
    records.audit(AuditEvent.of(AuditEvent.Type.ACCESS_DENIED, principal, operation)
        .withDetails(Map.of("reason", reason)));
  }

  /**
   * How the first snapshot was made: {@code fast path: inputs unchanged}, or {@code full build: }
   * and why the fast path was not taken (issue 16).
   */
  public String startPath() {
    return fast.path();
  }

  /** Whether the full build after a fast start has run (for tests). */
  boolean fastStartChecked() {
    return fast.checked();
  }

  /** Counters and the last outcome. */
  public Status status() {
    return status;
  }

  /** The runtime overrides of the active snapshot (an immutable view). */
  public Map<String, String> overrides() {
    return changes.overrides();
  }

  /** The etcd revision the active snapshot was built from, or -1 without the etcd layer. */
  public long etcdRevision() {
    return builds.appliedEtcdRevision();
  }

  /** Connection state of the etcd layer, or null without it. */
  public EtcdStatus etcdStatus() {
    return triggers.etcdStatus();
  }

  /** Adds a listener for applied changes (fields are written and the version recorded first). */
  public io.qcfg.Subscription addListener(Consumer<ConfigChange> l) {
    return store.addListener(l);
  }

  public FieldBinder binder() {
    return binder;
  }

  /** The application's class loader (for the optional integrations: Micrometer). */
  public ClassLoader appLoader() {
    return appLoader;
  }

  public QcfgOptions options() {
    return options;
  }

  /** How many times the applier thread died and was replaced. */
  public long applierDeaths() {
    return applier.deaths();
  }
}
