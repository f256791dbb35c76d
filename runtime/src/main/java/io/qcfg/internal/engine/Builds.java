package io.qcfg.internal.engine;

import io.qcfg.Problem;
import io.qcfg.QcfgException;
import io.qcfg.internal.Pipeline;
import io.qcfg.internal.QcfgOptions;
import io.qcfg.internal.bind.FieldBinder;
import io.qcfg.internal.engine.Publisher.Change;
import io.qcfg.internal.etcd.EtcdLayer;
import io.qcfg.internal.events.ChangeEvents;
import io.qcfg.internal.etcd.EtcdSource;
import io.qcfg.internal.history.HistoryEntry;
import io.qcfg.internal.layer.Environment;
import io.qcfg.internal.layer.LayerFileReader;
import io.qcfg.internal.layer.LayerStack;
import io.qcfg.internal.layer.SecretFiles;
import io.qcfg.internal.log.Log;
import io.qcfg.internal.snapshot.ConfigSnapshot;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * Builds candidates: the inputs of a build (files, overrides, etcd, the bound fields at that
 * moment), and the one place where anything a build throws becomes a rejected candidate. An
 * {@code OutOfMemoryError} or {@code StackOverflowError} from a hostile file is a rejection like
 * any other: audited, counted, {@code LastReloadSuccessful=false}, the error named (QCFG-1512).
 *
 * <p>Concurrency: applier thread only, except the volatile revisions, read by anyone.
 */
final class Builds {
  private final QcfgOptions options;
  private final ClassLoader appLoader;
  private final FieldBinder binder;
  private final Publisher publisher;
  private final HistoryRestore restore;
  private final Status status;
  private final Supplier<ConfigSnapshot> active;
  private long lastBuildNanos; // applier only
  private volatile Pipeline pipeline;
  private volatile EtcdSource etcd;
  private volatile long builtEtcdRevision = -1;
  private volatile long appliedEtcdRevision = -1;
  private List<Problem> lastRejection = List.of(); // applier only

  Builds(QcfgOptions options, ClassLoader appLoader, FieldBinder binder, Publisher publisher,
      HistoryRestore restore, Status status, Supplier<ConfigSnapshot> active) {
    this.options = options;
    this.appLoader = appLoader;
    this.binder = binder;
    this.publisher = publisher;
    this.restore = restore;
    this.status = status;
    this.active = active;
  }

  /**
   * Readies the builds (never in premain: the pipeline's classes must not load there). The
   * pipeline itself is made on first use: a fast restart needs none of it before its publish but
   * the secret layer, which {@code qcfg-secrets} reads beside the applier (issue 16).
   */
  void open(EtcdSource source) {
    etcd = source;
    opened = true;
  }

  private volatile boolean opened;

  // The layer reader of the pipeline, made first when a fast restart reads the secret layer
  // before any pipeline exists: the pipeline then reuses those parses instead of parsing again.
  private LayerFileReader reader; // guarded by this

  private synchronized LayerFileReader reader() {
    if (reader == null) {
      reader = io.qcfg.internal.LayerReads.reader(options); // no Pipeline loaded: see the class
    }
    return reader;
  }

  /** The pipeline, made now if {@link #open} was called; null before that. */
  Pipeline pipeline() {
    Pipeline p = pipeline;
    if (p == null && opened) {
      synchronized (this) { // the applier, or qcfg-secrets on a fast restart: one pipeline
        p = pipeline;
        if (p == null) {
          long t = io.qcfg.internal.log.StartupTrace.begin();
          p = new Pipeline(options, appLoader, null, Pipeline.Decryption.STRICT, reader());
          pipeline = p;
          io.qcfg.internal.log.StartupTrace.end("pipeline (open)", t);
        }
      }
    }
    return p;
  }

  /**
   * Lists the class path's {@code reference.conf} files once, on the calling thread, and drops
   * the list: at a first start the JDK's resource lookup is cold (20-50 ms, issue 16), and the
   * build lists them on the applier in the middle of its layers step; done ahead on another
   * thread once the files are digested, the build's own listing finds the class path's loaders
   * open. Reads nothing the build would then take from here.
   */
  void listDefaultsAhead() {
    if (appLoader == null) {
      return;
    }
    long t = io.qcfg.internal.log.StartupTrace.begin();
    try {
      java.util.Enumeration<java.net.URL> urls = appLoader.getResources("reference.conf");
      while (urls.hasMoreElements()) {
        urls.nextElement();
      }
    } catch (java.io.IOException | RuntimeException e) {
      // the build lists them again and reports what is wrong
    }
    io.qcfg.internal.log.StartupTrace.end("class-path reference.conf (list ahead)", t);
  }

  /** The pipeline if it was made, else null (never makes it). */
  Pipeline pipelineIfMade() {
    return pipeline;
  }

  /** The etcd revision of the active snapshot, -1 without the etcd layer. */
  long appliedEtcdRevision() {
    return appliedEtcdRevision;
  }

  /** Called after each successful apply: the active snapshot comes from the last build. */
  void applied() {
    appliedEtcdRevision = builtEtcdRevision;
  }

  /**
   * Builds a candidate from the inputs; throws instead of rejecting (the first build, which
   * has its own policy).
   *
   * @throws QcfgException.Invalid for every way the build can fail
   */
  ConfigSnapshot first(Environment env) {
    Pipeline p = pipeline();
    if (p != null) { // history's check of the first snapshot renders it next (issue 16)
      p.sealNextAhead();
    }
    return quietly(env, Map.of());
  }

  /** Builds a candidate without counting or recording it. @throws QcfgException.Invalid */
  ConfigSnapshot quietly(Environment env, Map<String, String> overrides) {
    return contained(() -> pipeline().build(request(env, overrides), binder.bound()));
  }

  /** Builds a candidate from history; throws like {@link #first}. */
  ConfigSnapshot firstFromHistory(HistoryEntry entry) {
    return contained(() -> restore.fromHistory(entry, pipeline(), binder.bound()));
  }

  /** The fast start's snapshot from history (not validated again); throws like {@link #first}. */
  ConfigSnapshot validatedFromHistory(HistoryEntry entry, List<String> secretPatterns) {
    return contained(() -> restore.fromValidated(entry, pipeline(), binder.bound(),
        secretPatterns));
  }

  /**
   * The fast restart's candidate read from the start tree (issue 16): its secrets made known to
   * the redactor and the bound fields checked, as a build from history does; not validated again.
   *
   * @param layerKnown whether every value of {@code secretLayer} is known to the redactor already
   *     (the read-ahead remembered them on its own thread): then only the start tree's secret
   *     leaves are added
   * @param secretLeaves the secret leaves whose texts the redactor learns: every one of {@code
   *     stored}'s, or, when the layer is known, those the layer's scalars do not give ({@link
   *     io.qcfg.internal.snapshot.StartTreeReader#otherSecretLeaves})
   * @throws QcfgException.Invalid when a bound field cannot take it
   */
  ConfigSnapshot fromStartTree(ConfigSnapshot stored, com.typesafe.config.Config secretLayer,
      boolean layerKnown, List<String> secretLeaves) {
    return contained(() -> {
      long t = io.qcfg.internal.log.StartupTrace.begin();
      List<String> values = secretLayer == null || layerKnown ? new java.util.ArrayList<>()
          : io.qcfg.internal.crypto.ForeignText.secretValuesOf(secretLayer, path -> true);
      // The secret leaves as the start tree lists them: no secret rule asked of every leaf, and
      // no value made but a list's (issue 16). One remember: the redactor is compiled once.
      var leaves = stored.leaves();
      for (String path : secretLeaves) {
        leaves.get(path).addTexts(values);
      }
      io.qcfg.internal.log.StartupTrace.end("secrets: values listed", t);
      t = io.qcfg.internal.log.StartupTrace.begin();
      io.qcfg.internal.crypto.ForeignText.remember(values);
      io.qcfg.internal.log.StartupTrace.end("secrets: redactor knows them", t);
      t = io.qcfg.internal.log.StartupTrace.begin();
      List<Problem> problems = new java.util.ArrayList<>();
      binder.bound().check(stored, problems);
      io.qcfg.internal.log.StartupTrace.end("bound fields: checked", t);
      if (!problems.isEmpty()) {
        throw new QcfgException.Invalid(problems);
      }
      return stored;
    });
  }

  /** The configuration directory. */
  java.nio.file.Path dir() {
    return options.dir();
  }

  /** The secret layer as a build reads it (the fast restart's sealed secrets). */
  SecretFiles secretLayer() {
    Pipeline p = pipelineIfMade();
    return p != null ? SecretFiles.of(p.secretLayer(options.dir()))
        : secretFilesAlone(c -> { });
  }

  /**
   * The secret layer read without the pipeline, as {@link #secretLayer} reads it before one is
   * made, its files unmerged: safe on any thread beside the applier (its own layer stack; the
   * reader's parse cache is thread-safe). {@code parsed} is given each file's scalars as soon as
   * it is read, on the thread that read it.
   */
  SecretFiles secretFilesAlone(java.util.function.Consumer<SecretFiles.Scalars> parsed) {
    return io.qcfg.internal.LayerReads.secretFilesAlone(options, reader(), parsed);
  }

  /** A candidate from the inputs, or null when it was rejected (then recorded and logged). */
  ConfigSnapshot candidate(Environment env, Map<String, String> overrides, Change change) {
    return candidate(env, overrides, change, () -> true);
  }

  /**
   * {@link #candidate(Environment, Map, Change)} for a change the watcher delivered: when the
   * build fails and {@code stillAsSeen} no longer holds, the files were written again while it
   * read them, so the failure is not a rejection (nothing is logged or counted; the write's own
   * event reloads).
   */
  ConfigSnapshot candidate(Environment env, Map<String, String> overrides, Change change,
      java.util.function.BooleanSupplier stillAsSeen) {
    status.attempted();
    return orReject(() -> pipeline().build(request(env, overrides), binder.bound()), change,
        stillAsSeen);
  }

  /** A candidate from a history entry, or null when it no longer validates. */
  ConfigSnapshot fromHistory(HistoryEntry entry, Change change) {
    status.attempted();
    return orReject(() -> restore.fromHistory(entry, pipeline(), binder.bound()), change,
        () -> true);
  }

  void clearRejection() {
    lastRejection = List.of();
  }

  /** The problems of the last rejected candidate of the running change. */
  List<Problem> lastRejection() {
    return lastRejection;
  }

  /** How long the last candidate took to build and validate, in nanoseconds. */
  long lastBuildNanos() {
    return lastBuildNanos;
  }

  private ConfigSnapshot orReject(Callable<ConfigSnapshot> build, Change change,
      java.util.function.BooleanSupplier stillAsSeen) {
    long started = System.nanoTime();
    try {
      ConfigSnapshot s = contained(build);
      lastBuildNanos = System.nanoTime() - started;
      return s;
    } catch (QcfgException.Invalid e) {
      lastBuildNanos = System.nanoTime() - started;
      if (!stillAsSeen.getAsBoolean()) {
        Log.debug("a changed file was written again while the reload read it (" + change.cause()
            + "); its failure is not a rejection, the write's own change event reloads");
        return null;
      }
      reject(e, change);
      return null;
    }
  }

  /**
   * Records a rejected candidate: counted, audited, logged, kept as {@link #lastRejection}. For
   * failed builds, and for built candidates the publisher refuses (history cannot hold them).
   */
  void reject(QcfgException.Invalid e, Change change) {
    lastRejection = e.problems();
    publisher.rejected(e.problems(), change);
    ConfigSnapshot cur = active.get();
    ChangeEvents.rejected(cur == null ? 0 : cur.version(), change.cause(), e.problems().size(),
        lastBuildNanos);
    Log.error("QCFG-1501: rejected a new configuration (" + change.cause() + "); keeping version "
        + (cur == null ? "none" : cur.version()) + ":\n  " + Status.joined(e.problems()));
  }

  /** Runs a build; whatever it throws, {@code Error} included, becomes {@link QcfgException.Invalid}. */
  private ConfigSnapshot contained(Callable<ConfigSnapshot> build) {
    try {
      return build.call();
    } catch (QcfgException.Invalid e) {
      throw e;
    } catch (QcfgException e) {
      throw new QcfgException.Invalid(new Problem(e.id(), options.dir().toString(), "",
          e.getMessage()));
    } catch (Throwable t) { // OutOfMemoryError, StackOverflowError, a bug: never the applier's end
      Log.error("QCFG-1512: building a candidate failed", t);
      throw new QcfgException.Invalid(new Problem("QCFG-1512", options.dir().toString(), "",
          "building the configuration failed with " + t.getClass().getName() + hint(t)
              + "; the candidate is rejected"));
    }
  }

  private static String hint(Throwable t) {
    if (t instanceof StackOverflowError) {
      return " (nesting or substitution too deep)";
    }
    if (t instanceof OutOfMemoryError) {
      return " (the resolved configuration grows too large)";
    }
    return "";
  }

  private LayerStack.Request request(Environment env, Map<String, String> overrides) {
    EtcdLayer fromEtcd = null;
    EtcdSource source = etcd;
    if (source != null) {
      fromEtcd = source.read(env.name()); // throws Invalid (etcd unreachable): keep the last good
      builtEtcdRevision = fromEtcd.revision();
    } else if (options.etcd() != null) {
      throw new QcfgException.Invalid(new Problem("QCFG-1801", "etcd " + options.etcd(), "",
          "the etcd layer is not connected (see the earlier error); keeping the last good"
              + " configuration"));
    }
    return new LayerStack.Request(options.dir(), env, Map.copyOf(overrides),
        System.getProperties(), System.getenv(), options.substitute(), appLoader, fromEtcd);
  }
}
