package io.qcfg.internal;

import io.qcfg.Problem;
import io.qcfg.QcfgException;
import io.qcfg.Snapshot;
import io.qcfg.internal.audit.AuditEvent;
import io.qcfg.internal.audit.AuditLog;
import io.qcfg.internal.bind.FieldBinder;
import io.qcfg.internal.history.HistoryEntry;
import io.qcfg.internal.history.HistoryStore;
import io.qcfg.internal.layer.LayerKind;
import io.qcfg.internal.layer.LoadedConfig;
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
  // Opened on the applier thread by the first load, never in premain.
  private volatile HistoryStore history;
  private volatile AuditLog audit;

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
    Log.configure(options.log());
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
      io.qcfg.internal.jmx.ConfigEndpoint.unregister();
      io.qcfg.internal.http.StatusServer http = r.http;
      if (http != null) {
        http.close();
      }
      io.qcfg.internal.etcd.EtcdSource source = r.etcd;
      if (source != null) {
        source.close();
      }
      r.applier.shutdownNow();
    }
  }

  /**
   * Registers {@code io.qcfg:type=Config}: from the qcfg thread after the first snapshot, never
   * from premain (the platform MBean server starts java.util.logging).
   */
  private void registerMBean() {
    startHttp();
    io.qcfg.internal.metrics.Observability.start(
        io.qcfg.internal.jmx.ConfigOperations.of(this), appLoader);
    if (!options.jmx()) {
      return;
    }
    try {
      io.qcfg.internal.jmx.ConfigEndpoint.register(this);
    } catch (RuntimeException | LinkageError e) {
      Log.error("QCFG-1510: cannot register the MBean; qcfg runs without JMX", e);
    }
  }

  private volatile io.qcfg.internal.http.StatusServer http;

  /**
   * Serves {@code /health}, {@code /metrics}, {@code /status} and {@code /} when the {@code http}
   * option asks for it; from the qcfg thread after the first snapshot, like the MBean. A port
   * that cannot be bound is logged; the application runs on.
   */
  private void startHttp() {
    io.qcfg.internal.http.BindAddress at = options.http();
    if (at == null || http != null) {
      return;
    }
    try {
      http = io.qcfg.internal.http.StatusServer.start(
          at, io.qcfg.internal.jmx.ConfigOperations.of(this));
      Log.info("status endpoint at http://"
          + new io.qcfg.internal.http.BindAddress(at.host(), http.port()) + "/ (/health, /metrics,"
          + " /status)");
    } catch (java.io.IOException | RuntimeException e) {
      Log.error("QCFG-5302: cannot serve the status endpoint on " + at + " ("
          + e.getClass().getSimpleName() + "); qcfg runs without it");
    }
  }

  /** The port of the status endpoint, or -1 without one. */
  public int httpPort() {
    io.qcfg.internal.http.StatusServer h = http;
    return h == null ? -1 : h.port();
  }

  /** Writes every JMX access denial to the audit log, with the principal. */
  public io.qcfg.internal.jmx.AccessDeniedListener accessDeniedListener() {
    return (caller, operation, needed) ->
        auditDenied(caller.principal(), operation,
            "role " + caller.role().name().toLowerCase(java.util.Locale.ROOT) + ", needs "
                + needed.name().toLowerCase(java.util.Locale.ROOT));
  }

  /**
   * The snapshot of a kept version, for diffs: the active one, or one rebuilt from history
   * without validation (secrets sealed, so redacted).
   */
  public ConfigSnapshot snapshotAt(long version) {
    ConfigSnapshot active = current();
    if (active.version() == version) {
      return active;
    }
    HistoryStore h = history;
    HistoryEntry e = h == null ? null : h.get(version).orElse(null);
    if (e == null) {
      throw new QcfgException.Refused(
          "QCFG-1604", "version " + version + " is not in history (kept: "
              + (h == null ? "none" : describeKept(h)) + ")");
    }
    String origin = "history version " + version;
    com.typesafe.config.Config tree =
        com.typesafe.config.ConfigFactory.parseString(
            e.tree(),
            com.typesafe.config.ConfigParseOptions.defaults()
                .setSyntax(com.typesafe.config.ConfigSyntax.JSON)
                .setOriginDescription(origin));
    java.util.Set<String> leaves = new java.util.TreeSet<>();
    LayerStack.collectLeaves(tree.root(), "", (p, v) -> leaves.add(p));
    io.qcfg.internal.crypto.SecretPaths secrets =
        io.qcfg.internal.crypto.SecretPaths.of(sealedPaths(tree), java.util.Set.of(), List.of())
            .withLeaves(leaves);
    return new ConfigSnapshot(tree, e.version(), e.checksum(), e.environment(),
        e.environmentSource(), e.createdAt(), e.cause(), Map.of(origin, LayerKind.HISTORY),
        secrets::isSecret, java.util.Set.of(), java.util.Set.of(), tree);
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
    openState();
    connectEtcd();
    try {
      pipeline = new Pipeline(options, appLoader, binder, null);
      environment = Environment.detect(options.env(), options.envSource(), System.getenv());
      ConfigSnapshot candidate = pipeline.build(inputs(environment, overrides));
      ConfigSnapshot s = publish(candidate, "startup", "qcfg", AuditEvent.Type.STARTUP);
      Log.info(
          "started: version " + s.version() + ", environment " + s.environment() + " (from "
              + s.environmentSource() + "), " + s.paths().size() + " settings from "
              + options.dir());
      first.complete(s);
      registerMBean();
      watchEtcd();
    } catch (QcfgException.Invalid e) {
      recordRejection(e.problems(), "startup", "qcfg");
      Log.error("QCFG-1500: the configuration is invalid at start-up:\n  " + joined(e.problems()));
      ConfigSnapshot fallback = fallback();
      if (fallback != null) {
        first.complete(fallback);
        registerMBean();
        watchEtcd();
        return;
      }
      if (onFailure == StartupFailure.EXIT_78) {
        System.err.println(
            "[qcfg] no last valid configuration in " + options.state()
                + " to fall back to; exiting with status 78 (configuration error)");
        System.err.flush();
        Runtime.getRuntime().halt(78);
      }
      stopAfterFailedStart();
      first.completeExceptionally(e);
    } catch (RuntimeException | Error e) {
      Log.error("QCFG-9999: qcfg failed at start-up", e);
      stopAfterFailedStart();
      first.completeExceptionally(e);
    }
  }

  private void stopAfterFailedStart() {
    RUNNING.compareAndSet(this, null);
    io.qcfg.internal.watch.DirectoryWatcher w = watcher;
    if (w != null) {
      w.close();
    }
    applier.shutdown();
  }

  /** Opens history and audit log; a state directory we cannot use costs features, not the app. */
  private void openState() {
    try {
      history = HistoryStore.open(options.state(), options.history());
      store.setLastVersion(history.lastVersion());
    } catch (RuntimeException e) {
      Log.error("QCFG-1503: cannot open history in " + options.state()
          + "; versions restart at 1 and there is no rollback", e);
    }
    try {
      audit = AuditLog.open(options.state(), 10L * 1024 * 1024, 10);
    } catch (RuntimeException e) {
      Log.error("QCFG-1504: cannot open the audit log in " + options.state(), e);
    }
  }

  /**
   * The start-up fallback: the newest snapshot in history, if it still builds (decrypts and
   * validates). Said loudly: the application runs on an older configuration than its files.
   */
  private ConfigSnapshot fallback() {
    HistoryStore h = history;
    if (h == null || h.latest().isEmpty()) {
      return null;
    }
    HistoryEntry entry = h.latest().get();
    try {
      ConfigSnapshot candidate = fromHistory(entry);
      ConfigSnapshot s =
          publish(candidate, "fallback to version " + entry.version()
              + " (the configuration files are invalid)", "qcfg", AuditEvent.Type.FALLBACK);
      Log.error(
          "QCFG-1505: !!! STARTED ON THE LAST VALID CONFIGURATION (version " + entry.version()
              + " of " + entry.createdAt() + ") because the files are invalid; now version "
              + s.version() + ". Fix the files: qcfg keeps watching and applies them when valid.");
      return s;
    } catch (QcfgException e) {
      Log.error("QCFG-1506: the last valid configuration (version " + entry.version()
          + ") cannot be used either: " + e.getMessage());
      return null;
    }
  }

  /** Rebuilds a snapshot from a history entry: sealed secrets are re-read from the secret layer. */
  private ConfigSnapshot fromHistory(HistoryEntry entry) {
    String origin = "history version " + entry.version();
    com.typesafe.config.Config tree =
        com.typesafe.config.ConfigFactory.parseString(
            entry.tree(),
            com.typesafe.config.ConfigParseOptions.defaults()
                .setSyntax(com.typesafe.config.ConfigSyntax.JSON)
                .setOriginDescription(origin));
    com.typesafe.config.Config secrets = pipeline.secretLayer(options.dir());
    java.util.Set<String> secretPaths = new java.util.TreeSet<>();
    for (String path : sealedPaths(tree)) {
      if (secrets.hasPath(path)) {
        tree = tree.withValue(path, secrets.getValue(path));
        secretPaths.add(path);
      } else {
        tree = tree.withoutPath(path);
        Log.warn("QCFG-1507: " + path + " was a secret in version " + entry.version()
            + " and is no longer in the secret layer; it is left out");
      }
    }
    Environment env = new Environment(entry.environment(), entry.environmentSource());
    java.util.Map<String, LayerKind> layerOf = new java.util.HashMap<>();
    layerOf.put(origin, LayerKind.HISTORY);
    for (String p : secretPaths) {
      layerOf.put(io.qcfg.internal.layer.LayerFiles.fileOf(tree.getValue(p).origin()), LayerKind.SECRETS);
    }
    return pipeline.fromLoaded(
        new LoadedConfig(tree, env, secretPaths, List.of(), Map.copyOf(layerOf)), options.dir());
  }

  private static List<String> sealedPaths(com.typesafe.config.Config tree) {
    List<String> out = new ArrayList<>();
    LayerStack.collectLeaves(tree.root(), "", (path, v) -> {
      if (ConfigSnapshot.SEALED.equals(v.unwrapped())) {
        out.add(path);
      }
    });
    return out;
  }

  /**
   * Publishes a candidate (applier thread only): a new version unless the checksum is unchanged,
   * then history and audit.
   */
  private ConfigSnapshot publish(ConfigSnapshot candidate, String cause, String actor, AuditEvent.Type type) {
    ConfigSnapshot before = store.current();
    ConfigSnapshot after = store.publish(candidate, cause, false);
    lastReloadSuccessful = true;
    appliedEtcdRevision = etcdRevision;
    if (after == before) {
      return after;
    }
    loadedAt = after.createdAt();
    HistoryStore h = history;
    if (h != null) {
      try {
        h.append(new HistoryEntry(after.version(), after.checksum(), after.environment(),
            after.environmentSource(), after.createdAt(), cause, actor, List.of(), after.sealedJson()));
      } catch (RuntimeException e) {
        Log.warnOnce("history-write:" + e.getMessage(),
            "QCFG-1508: cannot write history: " + e.getMessage());
      }
    }
    audit(AuditEvent.of(type, actor, cause)
        .withVersions(before == null ? null : before.version(), after.version())
        .withPaths(List.copyOf(SnapshotStore.changedPaths(before, after))));
    return after;
  }

  private void audit(AuditEvent event) {
    AuditLog a = audit;
    if (a != null) {
      a.append(event);
      if (!a.healthy()) {
        lastError = "QCFG-1509: the audit log cannot be written: "
            + a.lastFailure().orElse("unknown") + " (mutating operations are refused)";
      }
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
    requireAuditable("reload");
    Result r = submitChange(() -> rebuild(environment, overrides, cause + " by " + actor, actor,
        AuditEvent.Type.APPLIED));
    if (!r.ok()) {
      throw new QcfgException.Invalid(r.problems());
    }
    return r.snapshot();
  }

  /** Sets a runtime override; refused if a higher layer pins the path. */
  public Snapshot setOverride(String path, String value, String actor) {
    requireAuditable("setOverride");
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
              Result res = rebuild(environment, next, "override " + path + " by " + actor, actor,
                  AuditEvent.Type.OVERRIDE_SET);
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
    requireAuditable("clearOverride");
    Result r =
        submitChange(
            () -> {
              Map<String, String> next = new HashMap<>(overrides);
              if (next.remove(path) == null) {
                return new Result(store.current(), false, List.of());
              }
              Result res = rebuild(environment, next, "override cleared " + path + " by " + actor,
                  actor, AuditEvent.Type.OVERRIDE_CLEARED);
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
    requireAuditable("switchEnvironment");
    Result r =
        submitChange(
            () -> {
              Environment next = new Environment(name, "switch by " + actor);
              Result res = rebuild(next, overrides, "environment switch to " + name + " by " + actor,
                  actor, AuditEvent.Type.ENVIRONMENT_SWITCH);
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
    return rebuild(env, ovr, cause, "qcfg", AuditEvent.Type.APPLIED);
  }

  private Result rebuild(
      Environment env, Map<String, String> ovr, String cause, String actor, AuditEvent.Type type) {
    reloadCount.incrementAndGet();
    try {
      ConfigSnapshot candidate = pipeline.build(inputs(env, ovr));
      ConfigSnapshot before = store.current();
      ConfigSnapshot after = publish(candidate, cause, actor, type);
      io.qcfg.internal.log.ChangeLog.accepted(
          before == null ? -1 : before.version(), after.version(), cause, rejectedCount.get());
      return new Result(after, after != before, List.of());
    } catch (QcfgException.Invalid e) {
      recordRejection(e.problems(), cause, actor);
      Log.error(
          "QCFG-1501: rejected a new configuration (" + cause + "); keeping version "
              + (store.current() == null ? "none" : store.current().version()) + ":\n  "
              + joined(e.problems()));
      return new Result(store.current(), false, e.problems());
    }
  }

  private void recordRejection(List<Problem> problems, String cause, String actor) {
    rejectedCount.incrementAndGet();
    lastReloadSuccessful = false;
    lastError = joined(problems);
    List<String> texts = new ArrayList<>();
    for (Problem p : problems) {
      texts.add(p.toString());
    }
    ConfigSnapshot cur = store.current();
    audit(AuditEvent.of(AuditEvent.Type.REJECTED, actor, cause)
        .withVersions(cur == null ? null : cur.version(), null)
        .withProblems(texts));
  }

  /**
   * Applies the snapshot of {@code version} from history again, as a new version whose cause
   * names the old one. It stays until the next file change or explicit reload. Refused when the
   * version is no longer kept, or when it no longer validates against today's schema and rules.
   */
  public Snapshot rollback(long version, String actor) {
    requireAuditable("rollback");
    Result r = submitChange(() -> {
      HistoryStore h = history;
      if (h == null) {
        throw new QcfgException.Refused("QCFG-1603", "rollback refused: history is not available");
      }
      HistoryEntry entry = h.get(version).orElseThrow(() -> new QcfgException.Refused(
          "QCFG-1604",
          "rollback to version " + version + " refused: it is not in history (kept: "
              + describeKept(h) + ")"));
      try {
        ConfigSnapshot candidate = fromHistory(entry);
        ConfigSnapshot before = store.current();
        ConfigSnapshot after = publish(
            candidate, "rollback to version " + version + " by " + actor, actor,
            AuditEvent.Type.ROLLBACK);
        io.qcfg.internal.log.ChangeLog.accepted(before == null ? -1 : before.version(),
            after.version(), "rollback to version " + version + " by " + actor,
            rejectedCount.get());
        return new Result(after, after != before, List.of());
      } catch (QcfgException.Invalid e) {
        recordRejection(e.problems(), "rollback to version " + version, actor);
        return new Result(store.current(), false, e.problems());
      }
    });
    if (!r.ok()) {
      throw new QcfgException.Invalid(r.problems());
    }
    return r.snapshot();
  }

  private static String describeKept(HistoryStore h) {
    List<HistoryEntry> all = h.entries();
    if (all.isEmpty()) {
      return "none";
    }
    return "versions " + all.get(0).version() + " to " + all.get(all.size() - 1).version();
  }

  /** The applied snapshots kept in history, oldest first. */
  public List<HistoryEntry> history() {
    HistoryStore h = history;
    return h == null ? List.of() : h.entries();
  }

  /** The audit log, or null when the state directory could not be opened. */
  public AuditLog auditLog() {
    return audit;
  }

  /** Records an access denial (called by the JMX layer). */
  public void auditDenied(String principal, String operation, String reason) {
    audit(AuditEvent.of(AuditEvent.Type.ACCESS_DENIED, principal, operation)
        .withDetails(Map.of("reason", reason)));
  }

  /**
   * Mutating operations are refused while the audit log cannot be written: an unaccountable
   * change is worse than a refused one. File changes still apply (they are the source of truth).
   */
  private void requireAuditable(String operation) {
    AuditLog a = audit;
    if (a != null && !a.healthy() && !a.retry()) {
      throw new QcfgException.Refused(
          "QCFG-1605",
          operation + " refused: the audit log cannot be written ("
              + a.lastFailure().orElse("unknown") + ")");
    }
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

  private LayerStack.Request inputs(Environment env, Map<String, String> ovr) {
    io.qcfg.internal.etcd.EtcdLayer fromEtcd = null;
    io.qcfg.internal.etcd.EtcdSource source = etcd;
    if (source != null) {
      fromEtcd = source.read(env.name()); // throws Invalid (etcd unreachable): keep the last good
      etcdRevision = fromEtcd.revision();
    } else if (options.etcd() != null) {
      throw new QcfgException.Invalid(new Problem("QCFG-1801", "etcd " + options.etcd(), "",
          "the etcd layer is not connected (see the earlier error); keeping the last good"
              + " configuration"));
    }
    return new LayerStack.Request(
        options.dir(), env, Map.copyOf(ovr), System.getProperties(), System.getenv(),
        options.substitute(), appLoader, fromEtcd);
  }

  // The etcd layer (option etcd): connected by the first load, watched after it.
  private volatile io.qcfg.internal.etcd.EtcdSource etcd;
  private volatile long etcdRevision = -1;
  private volatile long appliedEtcdRevision = -1;

  /** The etcd revision the active snapshot was built from, or -1 without the etcd layer. */
  public long etcdRevision() {
    return appliedEtcdRevision;
  }

  /** Connection state of the etcd layer, or null without it. */
  public io.qcfg.internal.etcd.EtcdStatus etcdStatus() {
    io.qcfg.internal.etcd.EtcdSource source = etcd;
    return source == null ? null : source.status();
  }

  private void connectEtcd() {
    if (options.etcd() == null) {
      return;
    }
    try {
      java.util.Optional<io.qcfg.internal.etcd.EtcdCredentials> credentials =
          options.etcdUser() == null
              ? java.util.Optional.empty()
              : java.util.Optional.of(
                  io.qcfg.internal.etcd.EtcdCredentials.fromFile(
                      options.etcdUser(), options.etcdPasswordFile()));
      etcd =
          io.qcfg.internal.etcd.EtcdSource.connect(
              io.qcfg.internal.etcd.EtcdOptions.endpoints(options.etcd()),
              io.qcfg.internal.etcd.EtcdOptions.prefix(options.etcdPrefix()),
              credentials,
              java.time.Duration.ofSeconds(5),
              java.util.Optional.ofNullable(options.etcdCa()));
    } catch (QcfgException e) {
      Log.error("QCFG-1802: cannot connect to etcd: " + e.getMessage());
    }
  }

  /** Watches etcd from the applied revision: a change to this environment's keys is a reload. */
  private void watchEtcd() {
    io.qcfg.internal.etcd.EtcdSource source = etcd;
    if (source == null) {
      return;
    }
    source.watch(
        Math.max(0, appliedEtcdRevision),
        event -> {
          boolean relevant =
              !(event instanceof io.qcfg.internal.etcd.EtcdEvent.Changed c)
                  || c.touchesAny(source.layerKeys(environment.name()));
          if (relevant) {
            filesChanged(java.util.Set.of(java.nio.file.Path.of("etcd@" + event.revision())));
          }
        });
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
