package io.qcfg.internal;

import io.qcfg.Problem;
import io.qcfg.QcfgException;
import io.qcfg.Snapshot;
import io.qcfg.internal.bind.FieldBinder;
import io.qcfg.internal.layer.Environment;
import io.qcfg.internal.layer.LayerStack;
import io.qcfg.internal.log.Log;
import io.qcfg.internal.snapshot.ConfigSnapshot;
import io.qcfg.internal.snapshot.SnapshotStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The one running qcfg instance of a JVM: options, the pipeline, the active snapshot, the field
 * binder and the applier thread.
 *
 * <p>Concurrency: every change (start-up, file change, reload, override, rollback, environment
 * switch) runs as a task on the single {@code qcfg-applier} thread, so changes are serialised
 * and versions never repeat. The fields marked "applier only" are touched by that thread alone.
 * Readers go through {@link SnapshotStore#current()}, one volatile read. Callers of mutating
 * operations (JMX threads, the API) wait for their task's result.
 */
public final class QcfgRuntime {
  private static final AtomicReference<QcfgRuntime> RUNNING = new AtomicReference<>();

  /** What happens when the first snapshot cannot be built and there is nothing to fall back to. */
  public enum StartupFailure {
    /** Throw {@link QcfgException.Invalid} to the caller of {@link #start}. */
    THROW,
    /** Print the reasons and exit the JVM with status 78 (the agent's contract). */
    EXIT_78
  }

  /** The outcome of one change request. */
  public record Result(Snapshot snapshot, boolean applied, List<Problem> problems) {
    public boolean ok() {
      return problems.isEmpty();
    }
  }

  private final QcfgOptions options;
  // Built by the applier before the first snapshot: its classes (Typesafe Config, Caffeine,
  // which starts the JDK's System.Logger) must not load on the thread that runs premain.
  private volatile Pipeline pipeline;
  private final SnapshotStore store;
  private final FieldBinder binder;
  private final ExecutorService applier;
  private final CompletableFuture<ConfigSnapshot> first = new CompletableFuture<>();
  private final ClassLoader appLoader;
  private final java.util.concurrent.atomic.AtomicBoolean reloadQueued =
      new java.util.concurrent.atomic.AtomicBoolean();
  private volatile io.qcfg.internal.watch.DirectoryWatcher watcher;

  // Applier only.
  private final Map<String, String> overrides = new HashMap<>();
  private Environment environment;

  // Written by the applier, read by anyone (JMX).
  private volatile String lastError = "";
  private volatile boolean lastReloadSuccessful = true;
  private volatile Instant loadedAt;
  private final AtomicLong reloadCount = new AtomicLong();
  private final AtomicLong rejectedCount = new AtomicLong();

  private QcfgRuntime(QcfgOptions options, ClassLoader appLoader) {
    this.options = options;
    this.appLoader = appLoader;
    this.store = new SnapshotStore(0);
    this.binder = new FieldBinder(this::current);
    this.applier =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "qcfg-applier");
              t.setDaemon(true);
              return t;
            });
    store.addFirstListener(binder::apply);
  }

  /** The running instance, or null. */
  public static QcfgRuntime running() {
    return RUNNING.get();
  }

  /** The running instance. @throws QcfgException.NotStarted when there is none */
  public static QcfgRuntime require() {
    QcfgRuntime r = RUNNING.get();
    if (r == null) {
      throw new QcfgException.NotStarted();
    }
    return r;
  }

  /** Starts qcfg and waits for the first snapshot (programmatic use). */
  public static QcfgRuntime start(QcfgOptions options) {
    QcfgRuntime r = startAsync(options, StartupFailure.THROW, ClassLoader.getSystemClassLoader());
    r.current();
    return r;
  }

  /**
   * Starts qcfg and returns at once; the first snapshot is built on the applier thread, in
   * parallel with the application's own start-up. {@link #current()} waits for it.
   */
  public static QcfgRuntime startAsync(QcfgOptions options, StartupFailure onFailure, ClassLoader appLoader) {
    QcfgRuntime fresh = new QcfgRuntime(options, appLoader);
    if (!RUNNING.compareAndSet(null, fresh)) {
      fresh.applier.shutdownNow();
      return RUNNING.get();
    }
    fresh.applier.execute(() -> fresh.initialLoad(onFailure));
    return fresh;
  }

  /** Stops the running instance, if any. */
  public static void stopRunning() {
    QcfgRuntime r = RUNNING.getAndSet(null);
    if (r != null) {
      io.qcfg.internal.watch.DirectoryWatcher w = r.watcher;
      if (w != null) {
        w.close();
      }
      r.applier.shutdownNow();
    }
  }

  /** Starts the file watcher (option watch); its events become one queued reload each burst. */
  private void startWatching() {
    io.qcfg.internal.watch.WatchMode mode = io.qcfg.internal.watch.WatchMode.parse(options.watch());
    if (mode == io.qcfg.internal.watch.WatchMode.OFF) {
      return;
    }
    try {
      watcher =
          io.qcfg.internal.watch.DirectoryWatcher.start(
              options.dir(),
              mode,
              io.qcfg.internal.watch.DirectoryWatcher.DEFAULT_QUIET_WINDOW,
              this::filesChanged);
    } catch (RuntimeException e) {
      Log.error("QCFG-1502: cannot watch " + options.dir() + "; live reload is off", e);
    }
  }

  /**
   * Called on the watcher thread: queue one reload unless one is already queued. A change that
   * arrives while a reload is being built queues the next one, so nothing is lost.
   */
  private void filesChanged(java.util.Set<java.nio.file.Path> paths) {
    if (!reloadQueued.compareAndSet(false, true)) {
      return;
    }
    String files = paths.size() == 1 && paths.iterator().next().toString().isEmpty()
        ? options.dir().toString()
        : paths.stream().map(java.nio.file.Path::toString).sorted()
            .collect(java.util.stream.Collectors.joining(", "));
    try {
      applier.execute(() -> {
        reloadQueued.set(false);
        rebuild(environment, overrides, "file-change: " + files);
      });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      reloadQueued.set(false); // stopped
    }
  }

  private void initialLoad(StartupFailure onFailure) {
    // Watch before the first read, so that no edit between the read and the watch is lost.
    startWatching();
    try {
      pipeline = new Pipeline(options, appLoader, binder, null);
      environment = Environment.detect(options.env(), options.envSource(), System.getenv());
      ConfigSnapshot candidate = pipeline.build(inputs(environment, overrides));
      ConfigSnapshot s = store.publish(candidate, "startup", false);
      loadedAt = s.createdAt();
      Log.info(
          "started: version " + s.version() + ", environment " + s.environment() + " (from "
              + s.environmentSource() + "), " + s.paths().size() + " settings from "
              + options.dir());
      first.complete(s);
    } catch (QcfgException.Invalid e) {
      recordRejection(e.problems());
      Log.error("QCFG-1500: the configuration is invalid at start-up:\n  " + joined(e.problems()));
      if (onFailure == StartupFailure.EXIT_78) {
        System.err.println("[qcfg] exiting with status 78 (configuration error)");
        System.err.flush();
        Runtime.getRuntime().halt(78);
      }
      first.completeExceptionally(e);
      RUNNING.compareAndSet(this, null);
      applier.shutdown();
    } catch (RuntimeException | Error e) {
      Log.error("QCFG-9999: qcfg failed at start-up", e);
      first.completeExceptionally(e);
      RUNNING.compareAndSet(this, null);
      applier.shutdown();
    }
  }

  /**
   * The active snapshot. A single volatile read once the first snapshot exists; before that, the
   * caller waits for it (only an application that touches configuration during qcfg's own
   * start-up ever waits).
   */
  public ConfigSnapshot current() {
    ConfigSnapshot s = store.current();
    if (s != null) {
      return s;
    }
    try {
      return first.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new QcfgException.NotStarted();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof QcfgException q) {
        throw q;
      }
      throw new QcfgException.BugOrBroken("qcfg failed at start-up", e.getCause());
    }
  }

  public SnapshotStore store() {
    return store;
  }

  public FieldBinder binder() {
    return binder;
  }

  public QcfgOptions options() {
    return options;
  }

  /** The pipeline; waits for the first snapshot if it is still being built. */
  public Pipeline pipeline() {
    Pipeline p = pipeline;
    if (p == null) {
      current();
      p = pipeline;
    }
    return p;
  }

  /** Re-reads every layer; throws {@link QcfgException.Invalid} if the result is rejected. */
  public Snapshot reload(String actor, String cause) {
    Result r = submitChange(() -> rebuild(environment, overrides, cause));
    if (!r.ok()) {
      throw new QcfgException.Invalid(r.problems());
    }
    return r.snapshot();
  }

  /** Re-reads every layer without throwing: for the watcher. */
  public Result reloadQuietly(String cause) {
    return submitChange(() -> rebuild(environment, overrides, cause));
  }

  /** Sets a runtime override; refused if a higher layer pins the path. */
  public Snapshot setOverride(String path, String value, String actor) {
    Result r =
        submitChange(
            () -> {
              String pin = pinningLayer(path);
              if (pin != null) {
                throw new QcfgException.Refused(
                    "QCFG-1601",
                    "override of " + path + " refused: the " + pin
                        + " layer sets this path and would hide the override");
              }
              Map<String, String> next = new HashMap<>(overrides);
              next.put(path, value);
              Result res = rebuild(environment, next, "override " + path + " by " + actor);
              if (res.ok()) {
                overrides.put(path, value);
              }
              return res;
            });
    if (!r.ok()) {
      throw new QcfgException.Invalid(r.problems());
    }
    return r.snapshot();
  }

  /** Removes a runtime override. */
  public Snapshot clearOverride(String path, String actor) {
    Result r =
        submitChange(
            () -> {
              Map<String, String> next = new HashMap<>(overrides);
              if (next.remove(path) == null) {
                return new Result(store.current(), false, List.of());
              }
              Result res = rebuild(environment, next, "override cleared " + path + " by " + actor);
              if (res.ok()) {
                overrides.remove(path);
              }
              return res;
            });
    if (!r.ok()) {
      throw new QcfgException.Invalid(r.problems());
    }
    return r.snapshot();
  }

  /** Rebuilds the whole stack for another environment; applied atomically or not at all. */
  public Snapshot switchEnvironment(String name, String actor) {
    Result r =
        submitChange(
            () -> {
              Environment next = new Environment(name, "switch by " + actor);
              Result res = rebuild(next, overrides, "environment switch to " + name + " by " + actor);
              if (res.ok()) {
                environment = next;
              }
              return res;
            });
    if (!r.ok()) {
      throw new QcfgException.Invalid(r.problems());
    }
    return r.snapshot();
  }

  /** The layer above overrides that sets {@code path}, or null. */
  private String pinningLayer(String path) {
    Properties props = System.getProperties();
    for (String name : props.stringPropertyNames()) {
      if (name.equals(path) || name.startsWith(path + ".")) {
        return "system-properties (-D" + name + ")";
      }
    }
    for (String name : System.getenv().keySet()) {
      if (name.startsWith("CONFIG_FORCE_")) {
        String p = LayerStack.unmangle(name.substring("CONFIG_FORCE_".length()));
        if (p.equals(path) || p.startsWith(path + ".") || path.startsWith(p + ".")) {
          return "environment-variables (" + name + ")";
        }
      }
    }
    return null;
  }

  private Result rebuild(Environment env, Map<String, String> ovr, String cause) {
    reloadCount.incrementAndGet();
    try {
      ConfigSnapshot candidate = pipeline.build(inputs(env, ovr));
      ConfigSnapshot before = store.current();
      ConfigSnapshot after = store.publish(candidate, cause, false);
      lastReloadSuccessful = true;
      if (after != before) {
        loadedAt = after.createdAt();
        Log.info("applied version " + after.version() + " (" + cause + ")");
      }
      return new Result(after, after != before, List.of());
    } catch (QcfgException.Invalid e) {
      recordRejection(e.problems());
      Log.error(
          "QCFG-1501: rejected a new configuration (" + cause + "); keeping version "
              + (store.current() == null ? "none" : store.current().version()) + ":\n  "
              + joined(e.problems()));
      return new Result(store.current(), false, e.problems());
    }
  }

  private void recordRejection(List<Problem> problems) {
    rejectedCount.incrementAndGet();
    lastReloadSuccessful = false;
    lastError = joined(problems);
  }

  private Result submitChange(java.util.concurrent.Callable<Result> task) {
    Future<Result> f = applier.submit(task);
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new QcfgException.Refused("QCFG-1602", "interrupted while waiting for the change");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof QcfgException q) {
        throw q;
      }
      throw new QcfgException.BugOrBroken("a change failed", e.getCause());
    }
  }

  /** Runs {@code task} on the applier thread (for watchers: never blocks the caller). */
  public void submit(Runnable task) {
    applier.execute(task);
  }

  private Pipeline.Inputs inputs(Environment env, Map<String, String> ovr) {
    return new Pipeline.Inputs(
        options.dir(), env, Map.copyOf(ovr), System.getProperties(), System.getenv(),
        options.substitute(), appLoader);
  }

  public String lastError() {
    return lastError;
  }

  public boolean lastReloadSuccessful() {
    return lastReloadSuccessful;
  }

  public Instant loadedAt() {
    return loadedAt;
  }

  public long reloadCount() {
    return reloadCount.get();
  }

  public long rejectedCount() {
    return rejectedCount.get();
  }

  public Map<String, String> overrides() {
    return Map.copyOf(overrides);
  }

  /** Adds a listener for applied changes (fields are written before it is called). */
  public AutoCloseable addListener(Consumer<io.qcfg.ConfigChange> l) {
    return store.addListener(l);
  }

  static String joined(List<Problem> problems) {
    List<String> lines = new ArrayList<>();
    for (Problem p : problems) {
      lines.add(p.toString());
    }
    return String.join("\n  ", lines);
  }
}
