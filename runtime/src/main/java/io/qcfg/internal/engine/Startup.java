package io.qcfg.internal.engine;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.qcfg.Problem;
import io.qcfg.QcfgException;
import io.qcfg.internal.LayerReads;
import io.qcfg.internal.Pipeline;
import io.qcfg.internal.QcfgOptions;
import io.qcfg.internal.audit.AuditEvent;
import io.qcfg.internal.engine.Publisher.Change;
import io.qcfg.internal.history.HistoryEntry;
import io.qcfg.internal.history.StartInputsFile;
import io.qcfg.internal.layer.Environment;
import io.qcfg.internal.log.Log;
import io.qcfg.internal.log.StartupTrace;
import io.qcfg.internal.snapshot.Canonical;
import io.qcfg.internal.snapshot.ConfigSnapshot;
import io.qcfg.internal.snapshot.Provenance;
import io.qcfg.internal.snapshot.SnapshotStore;
import io.qcfg.internal.validate.SchemaValidator;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * The first snapshot and the start-up failure policy. Whatever way the first build fails
 * (invalid files, an {@code Error} in the build, a broken state), the newest valid snapshot in
 * history is used if there is one, said loudly; else {@code on-invalid-start} decides: exit 78
 * (only here, before any snapshot is published), continue on declared defaults, or throw to the
 * API caller. After the first snapshot nothing in qcfg ends the JVM.
 *
 * <p>Concurrency: applier thread only.
 */
final class Startup {
  private final QcfgOptions options;
  private final SnapshotStore store;
  private final Records records;
  private final Builds builds;
  private final Changes changes;
  private final Publisher publisher;
  private final Triggers triggers;
  private final OneShot<ConfigSnapshot> first = new OneShot<>();
  // Completed as soon as the first snapshot is published: the application's first bound field
  // waits for this, not for history, audit and the extensions (issue 16).
  private final OneShot<ConfigSnapshot> published = new OneShot<>();
  private final StartupRecords state;
  private final FastStart fast;
  private final StartQuarantine quarantine;
  private WatchStart watch; // applier only; null: watched in line, or not at all
  private boolean watchAfterFastStart; // applier only: the fast start registers it later
  // The schema's load has begun (prefetchSchemaAhead); set before the applier's first task.
  private boolean schemaAhead;
  // The applier, or a rule thread while the applier waits for it (or has left it behind).
  private final java.util.List<Runnable> atPublish =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  Startup(QcfgOptions options, SnapshotStore store, Records records, Builds builds,
      Changes changes, Publisher publisher, Triggers triggers, FastStart fast) {
    this.fast = fast;
    this.options = options;
    this.store = store;
    this.records = records;
    this.builds = builds;
    this.changes = changes;
    this.publisher = publisher;
    this.triggers = triggers;
    this.state = new StartupRecords(options, records, published::isDone);
    this.quarantine = new StartQuarantine(options, records, builds, publisher);
  }

  /**
   * The first snapshot: from the files, else from history, else per {@code onFailure}.
   *
   * @throws QcfgException.Invalid with {@link StartupFailure#THROW} when nothing could be used
   */
  ConfigSnapshot firstSnapshot(StartupFailure onFailure) {
    state.watchExit();
    try {
      return buildFirst(onFailure);
    } finally {
      state.done();
      if (!watchAfterFastStart) {
        beginWatch(); // after a full build, and after a failure: qcfg keeps watching for a fix
      }
      if (watch != null) {
        watch.firstDone(FileDigests.digestsOf(fast.filesBefore()));
      }
    }
  }

  /**
   * Registers the file watcher on its own thread, once. No edit is lost whenever it registers:
   * {@link WatchStart} digests the files again once registered and queues a reload when they
   * differ from the digests taken before the first snapshot was decided, so an edit before the
   * registration, even one after the full build behind a fast start read the files, is seen.
   */
  private void beginWatch() {
    if (watch == null && options.etcd() == null) {
      watch = WatchStart.of(triggers, () -> FileDigests.digestsOf(fast.filesNow()));
    }
    if (watch != null) {
      watch.register();
    }
  }

  private ConfigSnapshot buildFirst(StartupFailure onFailure) {
    // Only what the first snapshot needs runs in line (issue 16): the schema loads on its own
    // thread while the layers parse, the state directory opens on another, joined before anything
    // is published or recorded.
    // The watcher registers once the first snapshot is out (firstSnapshot's finally), and after
    // a fast restart right before the full build that follows it (issue 16: its 30-90 ms of CPU
    // took a core from the first build, and after a fast restart from the publish; a JVM that
    // ends at once never pays it); WatchStart then compares the files with what the first
    // snapshot was decided on (beginWatch). With etcd, in line.
    long t;
    if (options.etcd() != null) {
      t = StartupTrace.begin();
      triggers.watchFiles();
      StartupTrace.end("file watching (register)", t);
    }
    state.open();
    Environment env = Environment.detect(options.env(), options.envSource(), System.getenv());
    changes.startIn(env);
    // The fast path needs no schema: then it loads for the full build that follows it.
    // A kept quarantine (issue 18) is checked against the full build, which the fast path skips.
    boolean fastPossible = fast.prepare() && !quarantine.kept();
    if (!fastPossible) {
      if (!schemaAhead) {
        prefetchSchema(options);
      }
      fast.afterFilesRead(this::listDefaultsAhead);
    }
    try {
      builds.open(triggers.connectEtcd()); // the pipeline is made on first use
      if (fastPossible) {
        state.fastRestart();
        // History's head decides the fast path; the audit log and the version counter go on
        // opening meanwhile (issue 16), and so does the secret layer's read. The publish needs
        // them: the counter's floor includes the audit log's last version, and a kept version
        // must be the last one handed out (StateDir.versionFor). The log's end is read without
        // jackson-core (PlainAuditLine), so its opening is cheap.
        fast.readSecretsAhead();
        fast.digestOthersAhead(env); // beside history's opening and the files' digests
        fast.decodeTreeAhead(); // so is the start tree's decode, when the inputs agree
        state.joinHistory();
        watch = WatchStart.of(triggers, () -> FileDigests.digestsOf(fast.filesNow()));
        WatchStart late = watch;
        ConfigSnapshot s = fast.start(env, state::join, this::wakeReaders,
            late == null ? () -> { } : late::register);
        watchAfterFastStart = s != null;
        if (s != null) {
          Log.info("started: version " + s.version() + ", environment " + s.environment()
              + " (from " + s.environmentSource() + "), " + s.settingCount() + " settings from "
              + options.dir() + " (fast start: inputs unchanged)");
          return s;
        }
        beginWatch(); // before the full build that follows the refusal
        prefetchSchema(options);
      }
      if (!fastPossible) { // reads no file: made while qcfg-inputs digests them (issue 16)
        builds.pipeline();
      }
      ClassLoads.stop(); // a full build: nothing waits for the application's class loading
      fast.beforeBuildReads(); // the bytes the fingerprint describes are read before the build's
      t = StartupTrace.begin();
      ConfigSnapshot candidate = builds.first(env);
      StartupTrace.end("build (all of it)", t);
      state.join();
      ConfigSnapshot instead = quarantine.check(candidate, this::wakeReaders);
      if (instead != null) {
        return instead;
      }
      // Once published, the start tree is written beside history and audit (writeTreeAhead).
      ConfigSnapshot s = publisher.apply(candidate,
          new Change("startup", "qcfg", AuditEvent.Type.STARTUP), () -> {
            wakeReaders();
            fast.writeTreeAhead(store.current());
          });
      builds.applied();
      fast.remember(s, fast.filesBefore());
      t = StartupTrace.begin();
      Log.info("started: version " + s.version() + ", environment " + s.environment() + " (from "
          + s.environmentSource() + "), " + s.settingCount() + " settings from " + options.dir());
      StartupTrace.end("log line (started)", t);
      return s;
    } catch (QcfgException.Invalid e) {
      state.join();
      publisher.rejected(e.problems(), new Change("startup", "qcfg", AuditEvent.Type.REJECTED));
      Log.error("QCFG-1500: the configuration is invalid at start-up:\n  "
          + Status.joined(e.problems()));
      ConfigSnapshot fallback = fallback();
      return fallback != null ? fallback : failed(e, onFailure, env);
    } catch (RuntimeException | Error e) { // opening the pipeline or etcd: same policy
      Problem p = new Problem("QCFG-1512", options.dir().toString(), "",
          "qcfg could not build the first configuration (" + e.getClass().getName() + ")");
      Log.error("QCFG-1512: qcfg failed at start-up", e);
      state.join();
      QcfgException.Invalid invalid = new QcfgException.Invalid(p);
      publisher.rejected(invalid.problems(), new Change("startup", "qcfg",
          AuditEvent.Type.REJECTED));
      ConfigSnapshot fallback = fallback();
      return fallback != null ? fallback : failed(invalid, onFailure, env);
    }
  }

  /**
   * Lists the class path's reference.conf files ahead ({@link Builds#listDefaultsAhead}) on a
   * thread of its own: not on the digesting thread's completion, whose dependents the applier
   * runs itself when its join of the digests comes first.
   */
  private void listDefaultsAhead() {
    Thread t = new Thread(builds::listDefaultsAhead, "qcfg-defaults");
    t.setDaemon(true);
    t.start();
  }

  /**
   * At a first start here (no fingerprint of the inputs in the state directory, no etcd), begins
   * loading {@code schema.json} on its own thread before the engine is even made (issue 16:
   * everit's load, most of it cold code whatever the schema, was the longest chain of a first
   * start); true when it did. Made without {@link Pipeline} (a large class the applier loads
   * later). Safe before the files are digested: the build reads schema.json again after the
   * digests and takes a load only for the same text (loads are keyed by the text's hash), so the
   * fingerprint never describes a schema newer than the one validated.
   */
  static boolean prefetchSchemaAhead(QcfgOptions options) {
    if (options.etcd() != null
        || java.nio.file.Files.exists(options.state().resolve(StartInputsFile.NAME))) {
      return false;
    }
    prefetchSchema(options);
    return true;
  }

  /** The schema's load has begun ({@link #prefetchSchemaAhead}): the build does not begin it. */
  void schemaAhead() {
    schemaAhead = true;
  }

  private static void prefetchSchema(QcfgOptions options) {
    java.nio.file.Path schema = options.dir().resolve("schema.json");
    if (java.nio.file.Files.exists(schema)) { // else not even the validator's class is loaded
      new SchemaValidator(LayerReads.reader(options)::readText).prefetch(schema);
    }
  }

  /** Runs right after the first snapshot is published, before fields, history and audit. */
  private void wakeReaders() {
    ConfigSnapshot s = store.current();
    if (s != null) {
      for (Runnable task : atPublish) {
        try {
          task.run();
        } catch (RuntimeException e) {
          Log.error("QCFG-1510: a task at the first publish failed", e);
        }
      }
      atPublish.clear();
      published.complete(s);
    }
  }

  /**
   * Queues {@code task} to run at the first publish, before readers wake; false when that has
   * happened (or the caller is not the applier), so the caller runs it otherwise.
   */
  boolean atPublish(Runnable task) {
    if (published.isDone() || !Applier.onAnyApplierThread()) {
      return false;
    }
    atPublish.add(task);
    return true;
  }

  /** The first snapshot is published and the extensions are started: callers may go on. */
  void complete(ConfigSnapshot s) {
    published.complete(s);
    first.complete(s);
  }

  /** The start failed: every waiting caller gets {@code e}. */
  void fail(QcfgException e) {
    published.completeExceptionally(e);
    first.completeExceptionally(e);
  }

  /**
   * Waits for the first snapshot, at most {@link Applier#DEFAULT_WAIT}.
   *
   * @throws QcfgException.Refused on the applier thread before the first snapshot (QCFG-1606), or
   *     when the wait ends (QCFG-1607)
   */
  ConfigSnapshot await(boolean onApplierThread) {
    return await(onApplierThread, published);
  }

  /** {@link #await}, and also for the extensions to start (for {@code Qcfg.start}). */
  ConfigSnapshot awaitStarted(boolean onApplierThread) {
    return await(onApplierThread, first);
  }

  private ConfigSnapshot await(boolean onApplierThread, OneShot<ConfigSnapshot> first) {
    if (onApplierThread && !first.isDone()) {
      throw new QcfgException.Refused("QCFG-1606", "the configuration was read on the "
          + Applier.THREAD_NAME + " thread while it builds the first snapshot (from a ConfigRule"
          + " or a class the build initialises); it does not exist yet");
    }
    try {
      return first.get(Applier.DEFAULT_WAIT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new QcfgException.NotStarted();
    } catch (TimeoutException e) {
      throw new QcfgException.Refused("QCFG-1607", "waited " + Applier.DEFAULT_WAIT.toSeconds()
          + " s for the first snapshot of " + options.dir() + ", which is still being built");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof QcfgException q) {
        throw q;
      }
      throw new QcfgException.BugOrBroken("qcfg failed at start-up", e.getCause());
    }
  }

  /** The newest snapshot in history, if it still validates; null if none. */
  private ConfigSnapshot fallback() {
    // No pipeline made: it failed to open, and history cannot be validated either.
    HistoryEntry entry = builds.pipelineIfMade() == null ? null : latest();
    if (entry == null) {
      return null;
    }
    try {
      ConfigSnapshot s = publisher.apply(builds.firstFromHistory(entry),
          new Change("fallback to version " + entry.version()
              + " (the configuration files are invalid)", "qcfg", AuditEvent.Type.FALLBACK),
          this::wakeReaders);
      Log.error("QCFG-1505: !!! STARTED ON THE LAST VALID CONFIGURATION (version "
          + entry.version() + " of " + entry.createdAt() + ") because the files are invalid; now"
          + " version " + s.version() + ". Fix the files: qcfg keeps watching and applies them"
          + " when valid.");
      return s;
    } catch (QcfgException e) {
      Log.error("QCFG-1506: the last valid configuration (version " + entry.version()
          + ") cannot be used either: " + e.getMessage());
      return null;
    }
  }

  private HistoryEntry latest() {
    var h = records.history();
    return h == null ? null : h.latest().orElse(null);
  }

  private ConfigSnapshot failed(QcfgException.Invalid e, StartupFailure onFailure, Environment env) {
    switch (onFailure) {
      case EXIT -> {
        StartupTrace.print("start-up failed: exiting with status 78");
        System.err.println("[qcfg] no last valid configuration in " + options.state()
            + " to fall back to; exiting with status 78 (configuration error);"
            + " on-invalid-start=continue would run on the declared defaults instead");
        System.err.flush();
        System.exit(78); // shutdown hooks run; nothing was published yet
        throw e; // not reached
      }
      case CONTINUE -> {
        return defaults(env);
      }
      default -> throw e;
    }
  }

  /**
   * on-invalid-start=continue: an empty snapshot, version 0, never recorded, so that every field
   * keeps its declared default and the first valid edit becomes the first real version.
   */
  private ConfigSnapshot defaults(Environment env) {
    Config empty = ConfigFactory.empty("declared defaults");
    ConfigSnapshot s = new ConfigSnapshot(empty,
        new Provenance(0, Canonical.checksum(empty.root()), env.name(), env.source(),
            Instant.now(), "declared defaults (invalid configuration at start-up)"),
        Map.of(), p -> false, Set.of(), Set.of(), empty);
    store.publish(s);
    wakeReaders();
    Log.error("QCFG-1513: on-invalid-start=continue: running on the declared defaults of every"
        + " field (version 0); qcfg keeps watching " + options.dir()
        + " and applies the files when they are valid");
    return s;
  }
}
