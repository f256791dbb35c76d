package io.qcfg.internal.engine;

import io.qcfg.internal.QcfgOptions;
import io.qcfg.internal.audit.AuditEvent;
import io.qcfg.internal.crypto.ChecksumKey;
import io.qcfg.internal.crypto.ForeignText;
import io.qcfg.internal.engine.Publisher.Change;
import io.qcfg.internal.history.HistoryEntry;
import io.qcfg.internal.history.HistoryStore;
import io.qcfg.internal.history.SealedFile;
import io.qcfg.internal.history.StartInputsFile;
import io.qcfg.internal.layer.Environment;
import io.qcfg.internal.log.Log;
import io.qcfg.internal.log.StartupTrace;
import io.qcfg.internal.snapshot.ConfigSnapshot;
import io.qcfg.internal.snapshot.SnapshotStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The validated-inputs fast path (issue 16 item 3). After a snapshot built from the files is
 * applied, the keyed digest of every input that decided it is kept ({@link StartInputs}, {@link
 * StartInputsFile}). At the next start, when every digest matches and the newest history entry is
 * that snapshot, it is published at once from the start tree ({@link FastTree}), else from history
 * (sealed secrets re-read from the secret layer, as the start-up fallback does), and the fields
 * are bound; the full build then runs on the applier as a change ({@link StartCheck}), queued a
 * little later.
 *
 * <p>Concurrency: applier thread only; {@link #path} is read by anyone, {@link #filesNow} called
 * from {@code qcfg-watch-start} too (it reads the volatile {@link #kept}); {@link #readAhead} is
 * set by {@code qcfg-start} before the applier's first task is queued. A first start's files are
 * read on {@code qcfg-inputs-ahead} (or {@code qcfg-inputs}) and handed over through a future.
 */
final class FastStart {
  private static final String PURPOSE = "qcfg start inputs v1";
  // Unchanged since format 2: an older qcfg's intact file is known as such (StartInputsFile).
  static final String FILE_PURPOSE = "qcfg start inputs file v1";

  private final QcfgOptions options;
  private final Records records;
  private final Builds builds;
  private final Publisher publisher;
  private final Changes changes;
  private final Applier applier;
  private final StartInputs inputs;
  private volatile ChecksumKey key; // from prepare(), qcfg-inputs, or filesBefore (first start)
  private OneShot<FileDigests> pending; // applier
  // At a first start, the files as read for the fingerprint, not digested yet (or null when they
  // cannot be read); the applier joins it before the build reads them, and digests them after the
  // publish (filesBefore). Applier.
  private OneShot<StartInputs.Reads> reads;
  private StartInputs.Reads readBefore; // what reads gave, until filesBefore digests it
  // The files read before the engine was made (readAhead), or null; set before the applier starts.
  private OneShot<StartInputs.Reads> readAhead;
  private FileDigests files; // digested before the first build, null: unknown
  private SortedMap<String, String> othersNow; // the other inputs' digests (digestOthers), or null
  // The intact file found at start (or its settled rewrite), or null. Written by the applier.
  private volatile StartInputsFile kept;
  private String notTaken; // why the fast path cannot be taken, null while it can
  private volatile String digestFailure; // why the files could not be digested, or null
  private final StartCheck check;
  private final FastTree tree;
  private final FastHead head;
  private boolean treeServed; // whether the fast start read the start tree
  private volatile String path = "full build (not decided yet)";

  FastStart(QcfgOptions options, ClassLoader appLoader, SnapshotStore store, Records records,
      Builds builds, Publisher publisher, Changes changes, Applier applier) {
    this.options = options;
    this.records = records;
    this.builds = builds;
    this.publisher = publisher;
    this.changes = changes;
    this.applier = applier;
    this.inputs = new StartInputs(options, appLoader, () -> key().derivedMac(PURPOSE));
    this.check = new StartCheck(store, builds, changes, this);
    this.tree = new FastTree(options.state(), builds);
    this.head = new FastHead(options.state());
  }

  /** How the first snapshot was made: the fast path, or a full build and why. */
  String path() {
    return path;
  }

  /**
   * Before the first build (the state directory exists): reads the kept fingerprint and digests
   * the files. Returns whether the fast path may be taken (then the caller defers the schema).
   */
  boolean prepare() {
    long t = StartupTrace.begin();
    if (options.etcd() == null && !Files.exists(file())) { // first start here: nothing to compare
      notTaken = "no fingerprint of the inputs yet (first start here)";
      path = "full build: " + notTaken;
      // The files the fingerprint will describe were read ahead (else are read now on their own
      // thread); the build waits for that read only (beforeBuildReads), and the key and the
      // digests follow after the publish (filesBefore): no CPU of theirs before it (issue 16).
      readFirst();
      StartupTrace.end("fast path: not taken: " + notTaken, t);
      return false;
    }
    readAhead = null; // a fingerprint appeared since (another JVM's): those bytes are not needed
    if (options.etcd() == null) {
      // A fingerprint is kept: most likely a restart on unchanged files. The secret layer's read
      // is its longest chain, so it starts now, before the key and the fingerprint are read
      // (issue 16); a start that then builds in full only wasted the read.
      tree.prefetchSecrets();
    }
    key = ChecksumKey.of(null, options.state());
    StartupTrace.end("fast path: key (state dir)", t);
    t = StartupTrace.begin();
    try {
      if (options.etcd() != null) {
        notTaken = "the etcd layer is a remote input";
      } else if (!key.persistent()) {
        notTaken = "the state directory keeps no key";
      } else {
        kept = StartInputsFile.read(file(), key.derivedMac(FILE_PURPOSE));
        if (kept == null) {
          notTaken = "no fingerprint of the inputs yet (first start here)";
        } else {
          StartupTrace.end("fast path: fingerprint (read)", t);
          t = StartupTrace.begin();
          head.prepare(key);
        }
      }
    } catch (SealedFile.Broken e) {
      Log.warn("QCFG-1530: " + file() + " " + e.getMessage() + "; it is ignored and the"
          + " configuration is built and validated in full");
      notTaken = "the fingerprint file is not intact (QCFG-1530)";
    } catch (StartInputsFile.OlderFormat e) {
      Log.info("QCFG-1538: " + file() + " was written by an older qcfg (" + e.getMessage()
          + "); the configuration is built and validated in full, and a new one is kept");
      notTaken = "the fingerprint file is an older qcfg's (QCFG-1538)";
    } catch (RuntimeException e) { // never a failed start: the full build follows
      notTaken = "the fingerprint cannot be read (" + e.getClass().getSimpleName() + ")";
    }
    if (key.persistent() && options.etcd() == null) { // also for the fingerprint written later
      if (notTaken == null) { // on their own thread, beside the pipeline's opening (issue 16)
        digestInBackground(this::digestKept);
      } else {
        files = digestKept();
      }
    }
    if (notTaken != null) {
      path = "full build: " + notTaken;
      StartupTrace.end("fast path: not taken: " + notTaken, t);
      return false;
    }
    StartupTrace.end("fast path: history head stamp (read)", t);
    return true;
  }

  /**
   * Publishes the kept snapshot when every input is unchanged; null when not (the trace and
   * {@link #path} say which input differed). Call after {@link #prepare} once history is open;
   * {@code stateOpen} waits for the rest of the state directory, which the publish needs;
   * {@code beforeCheck} runs after a fast start, on another thread, right before the full build
   * behind it is queued (the file watcher registers there).
   */
  ConfigSnapshot start(Environment env, Runnable stateOpen, Runnable wakeReaders,
      Runnable beforeCheck) {
    long t = StartupTrace.begin();
    ConfigSnapshot candidate = null;
    try {
      candidate = notTaken == null ? attempt(env) : null;
    } catch (IOException | RuntimeException e) { // never a failed start: the full build follows
      notTaken = "the kept snapshot could not be rebuilt (" + e.getClass().getSimpleName() + ")";
    }
    tree.joinSecrets(); // the pipeline is the applier's alone again
    stateOpen.run(); // the full build that follows a refusal needs it too
    if (candidate == null) {
      path = "full build: " + notTaken;
      StartupTrace.end("fast path: not taken: " + notTaken, t);
      return null;
    }
    path = "fast path: inputs unchanged";
    StartupTrace.end("fast path: inputs unchanged", t); // before publish: an exit prints it too
    ConfigSnapshot s = publisher.apply(candidate, new Change("startup (inputs unchanged: fast"
        + " start)", "qcfg", AuditEvent.Type.STARTUP), wakeReaders);
    builds.applied();
    if (!head.stamped()) { // read from the entry this time (an upgrade, a confirm): not next time
      head.keep(records.history(), key);
    }
    Log.info("QCFG-1533: fast start: every input of version " + s.version() + " is unchanged; it is"
        + " published from the state directory (" + (treeServed ? "its start tree" : "history")
        + "), and the full build follows in the background");
    deferCheck(s, beforeCheck);
    return s;
  }

  /** How long the full build after a fast start waits at least: the application comes first. */
  static final long CHECK_DELAY_MS = 250;
  /** Then it waits until the application has loaded no class for this long ({@link ClassLoads}), */
  static final long CHECK_QUIET_MS = 100;
  /** but no longer than this after the publish. */
  static final long CHECK_MAX_MS = 3_000;

  // Queues the full build on the applier from a qcfg-start-check thread, CHECK_DELAY_MS after the
  // publish and then once the application's class loading has paused for CHECK_QUIET_MS (at most
  // CHECK_MAX_MS after the publish): on two cores the cold build (hundreds of ms of CPU) otherwise
  // competes with the application's own start, and a JVM that ends within the delay (a CLI call,
  // a test) does not pay for a build it would abandon (issue 16); nor for the file watcher's
  // registration, which beforeCheck starts. Edits made meanwhile are not lost: the full build
  // reads the files after the registration, and applies what changed.
  private void deferCheck(ConfigSnapshot s, Runnable beforeCheck) {
    int loadsAtPublish = ClassLoads.count();
    Thread t = new Thread(() -> {
      long waited = CHECK_DELAY_MS;
      try {
        Thread.sleep(CHECK_DELAY_MS);
        waited += ClassLoads.settle(CHECK_QUIET_MS, CHECK_MAX_MS - CHECK_DELAY_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt(); // queued at once; a stopped applier refuses it
        ClassLoads.stop();
      }
      Log.debug("start-up check: the full build is queued about " + waited + " ms after the"
          + " publish; the application loaded " + (ClassLoads.count() - loadsAtPublish)
          + " classes meanwhile");
      beforeCheck.run();
      applier.execute("start-up check (the full build after the fast start)", () -> check.run(s));
    }, "qcfg-start-check");
    t.setDaemon(true);
    t.start();
  }

  /** The kept snapshot when every input is unchanged, else null ({@link #notTaken} says why). */
  /**
   * Starts reading the secret layer on its own thread when the fingerprint was read: the
   * slowest step of a fast restart (a cold parse), so it starts before the wait for history.
   * Safe to read ahead: the start tree keeps a keyed digest of every secret value it expects.
   */
  void readSecretsAhead() {
    if (notTaken == null && kept != null) {
      tree.prefetchSecrets();
    }
  }

  /**
   * Digests the inputs other than the files (environment, options, key ring, class-path
   * defaults, system properties, variables) for {@link #start}, once; called before the wait for
   * history, and before the join of qcfg-inputs' digests of the files, so that the applier does
   * this while those threads work (issue 16: at 10,000 leaves it waited 40-75 ms for the files'
   * digests, then took 30-50 ms for these). Nothing is decided here.
   */
  void digestOthersAhead(Environment env) {
    try {
      digestOthers(env);
    } catch (IOException | RuntimeException e) {
      // taken again by start(), which reports it as before
    }
  }

  /**
   * Decodes the start tree before the wait for history when every input digested so far is
   * unchanged (the files' digests are joined here rather than after that wait): the decode (the
   * file's integrity check and its walk, 60-70 ms at 10,000 leaves) then runs while history
   * opens (issue 16). History's head still decides in {@link #start}; a start that then builds
   * in full only wasted the decode. Call after {@link #digestOthersAhead}.
   */
  void decodeTreeAhead() {
    if (notTaken != null || kept == null || othersNow == null) {
      return;
    }
    try {
      FileDigests f = filesBefore();
      if (f == null) {
        return;
      }
      SortedMap<String, String> now = new TreeMap<>(f.digests());
      now.putAll(othersNow);
      if (firstDifference(kept.digests(), now) == null) {
        tree.decodeAhead(kept, key);
      }
    } catch (RuntimeException e) {
      // start() decides as before
    }
  }

  private SortedMap<String, String> digestOthers(Environment env) throws IOException {
    if (othersNow == null && notTaken == null && kept != null) {
      long t = StartupTrace.begin();
      othersNow = inputs.others(env, Map.of(), kept.roots(), kept.variables());
      StartupTrace.end("fast path: other inputs (digest)", t);
    }
    return othersNow;
  }

  private ConfigSnapshot attempt(Environment env) throws IOException {
    tree.prefetchSecrets(); // if readSecretsAhead did not: beside the history entry and inputs
    long t = StartupTrace.begin();
    HistoryStore h = records.history();
    // Its head only, from the stamp when it still names the newest entry file (no read at all),
    // else with the tree skipped: the start tree usually serves, and then the entry's tree is never
    // needed.
    HistoryStore.Head newest = h == null ? null : head.newest(h);
    StartupTrace.end(head.stamped() ? "fast path: history entry (its head from the stamp)"
        : "fast path: history entry (read its head)", t);
    if (newest == null || newest.version() != kept.version()
        || !newest.checksum().equals(kept.checksum())
        || !newest.environment().equals(kept.environment())) {
      notTaken = "the active version is not the fingerprinted one (a change since, or history"
          + " lost)";
      return null;
    }
    SortedMap<String, String> others = digestOthers(env);
    if (filesBefore() == null) {
      notTaken = digestFailure != null ? digestFailure : "the configuration files cannot be"
          + " digested";
      return null;
    }
    SortedMap<String, String> now = new TreeMap<>(files.digests());
    now.putAll(others);
    String differs = firstDifference(kept.digests(), now);
    if (differs != null) {
      notTaken = differs;
      return null;
    }
    t = StartupTrace.begin();
    ConfigSnapshot candidate = tree.read(kept, key); // no parse: the compact stored form
    treeServed = candidate != null;
    if (candidate != null) {
      StartupTrace.end("fast path: snapshot from the start tree", t);
      return candidate; // its checksum is the fingerprinted one (checked in the reader)
    }
    StartupTrace.end("fast path: start tree not used: " + tree.notServed(), t);
    tree.joinSecrets(); // the pipeline is the applier's alone again
    t = StartupTrace.begin();
    HistoryEntry entry = h.newest().orElse(null);
    if (entry == null || entry.version() != newest.version()
        || !entry.checksum().equals(newest.checksum())) {
      notTaken = "the active version's history entry cannot be read";
      StartupTrace.end("fast path: snapshot from history", t);
      return null;
    }
    candidate = builds.validatedFromHistory(entry, kept.secretPatterns());
    StartupTrace.end("fast path: snapshot from history", t);
    if (!candidate.checksum().equals(kept.checksum())) {
      notTaken = "the snapshot rebuilt from history has another checksum (values derived from"
          + " secrets?)";
      return null;
    }
    return candidate;
  }

  /** The first input that differs, in words; null when none does. */
  static String firstDifference(SortedMap<String, String> kept, SortedMap<String, String> now) {
    for (var e : kept.entrySet()) {
      String other = now.get(e.getKey());
      if (other == null) {
        return describe(e.getKey(), "was removed");
      }
      if (!other.equals(e.getValue())) {
        return describe(e.getKey(), "changed");
      }
    }
    for (String name : now.keySet()) {
      if (!kept.containsKey(name)) {
        return describe(name, "was added");
      }
    }
    return null;
  }

  private static String describe(String input, String what) {
    return input.startsWith("file ")
        ? "the configuration file " + input.substring(5) + " " + what
        : "the input '" + input + "' " + what;
  }

  /**
   * After a full build from the files was applied and validated: keeps its inputs' fingerprint.
   * {@code filesBefore} describe the bytes read before that build read them. Failures cost the
   * next fast start only.
   */
  void remember(ConfigSnapshot s, FileDigests filesBefore) {
    var refs = keepable(s, filesBefore);
    if (refs == null) {
      Log.debug("no fingerprint of the inputs of version " + s.version() + " is kept (files "
          + (filesBefore != null) + ", key " + key + ")");
      othersAhead = null;
      awaitTreeAhead(s); // a tree under way ends before the start counts as recorded
      return;
    }
    long t = StartupTrace.begin();
    try {
      List<String> roots = roots(s);
      boolean templates = false; // a loop: a stream's match spun a JDK lambda (~1.5 ms cold)
      for (String f : filesBefore.digests().keySet()) {
        templates |= f.endsWith(".peb");
      }
      List<String> variables = StartInputs.variableNames(refs.names(), templates);
      SortedMap<String, String> digests = new TreeMap<>(filesBefore.digests());
      SortedMap<String, String> others = othersAhead(s, variables);
      digests.putAll(others != null ? others
          : inputs.others(changes.environment(), changes.overrides(), roots, variables));
      new StartInputsFile(s.version(), s.checksum(), s.environment(), roots, variables,
          refs.secretPatterns(), digests, filesBefore.identities())
          .write(file(), key.derivedMac(FILE_PURPOSE));
      head.keep(records.history(), key);
    } catch (IOException | RuntimeException e) {
      cannotKeep(e, "the next start builds in full");
    }
    StartupTrace.end("fast path: fingerprint (write)", t);
    keepTree(s, refs);
  }

  private static List<String> roots(ConfigSnapshot s) {
    return List.copyOf(new java.util.TreeSet<>(s.config().root().keySet()));
  }

  // The digests of the other inputs taken beside the first publish's history write, for the
  // snapshot and the variable names they were taken for; applier only.
  private OneShot<SortedMap<String, String>> othersAhead;
  private ConfigSnapshot othersAheadOf;
  private List<String> othersAheadVariables;

  /**
   * The other inputs' digests taken ahead for {@code s} and {@code variables}, or null when none
   * were (or they failed: remember takes them again and reports its own failure).
   */
  private SortedMap<String, String> othersAhead(ConfigSnapshot s, List<String> variables) {
    var ahead = othersAhead;
    othersAhead = null;
    if (ahead == null || othersAheadOf != s || !othersAheadVariables.equals(variables)) {
      return null;
    }
    long t = StartupTrace.begin();
    try {
      return ahead.join();
    } catch (java.util.concurrent.CompletionException e) {
      return null;
    } finally {
      StartupTrace.end("fast path: other inputs (wait for them)", t);
    }
  }

  /**
   * The references of the build that decided {@code s} when its inputs' fingerprint can be kept
   * (a full build's snapshot, digested files, a key that outlives the process, no etcd), or null.
   */
  private io.qcfg.internal.Pipeline.References keepable(ConfigSnapshot s,
      FileDigests filesBefore) {
    var refs = deciding(s);
    return refs == null || filesBefore == null || key == null || !key.persistent() ? null : refs;
  }

  /** The references of the full build that decided {@code s} (no etcd), or null. */
  private io.qcfg.internal.Pipeline.References deciding(ConfigSnapshot s) {
    var made = builds.pipelineIfMade();
    var refs = made == null ? null : made.lastReferences();
    if (s == null || refs == null || !refs.checksum().equals(s.checksum())
        || options.etcd() != null) {
      return null;
    }
    return refs;
  }

  // The start tree being written beside the first publish's history and audit writes, and the
  // snapshot it is of; applier only.
  private OneShot<Void> treeAhead;
  private ConfigSnapshot treeAheadOf;

  /**
   * Right after a full build's first snapshot is published: begins writing its start tree on
   * the thread {@code qcfg-start-tree}, beside the history entry and the audit line the applier
   * writes next (other files, one writer each), and {@link #remember} joins it. A first start's
   * exit waits for all of these (a short-lived JVM must leave its start tree behind), so they no
   * longer wait for one another: the 1k tree's write took 40-60 ms after the other two (issue 16).
   */
  void writeTreeAhead(ConfigSnapshot s) {
    // Not the files' digests: a first start takes them after the publish (filesBefore), and
    // remember joins the tree whatever they give.
    var refs = deciding(s);
    if (refs == null || treeAhead != null) {
      return;
    }
    var others = new OneShot<SortedMap<String, String>>();
    List<String> variables = StartInputs.variableNames(refs.names(), false);
    Runnable digestOthers = othersBesideHistory(s, variables, others);
    var done = new OneShot<Void>();
    Thread t = new Thread(() -> {
      digestOthers.run(); // first: the fingerprint, written sooner, waits for them
      long at = StartupTrace.begin();
      try {
        // The key too is made here at a first start (key() is synchronized), not between the
        // publish and the field binding.
        ChecksumKey k = key();
        if (k.persistent()) {
          tree.write(s, refs.secretPatterns(), k); // reports its own failures; never throws them
        }
      } catch (RuntimeException | Error e) { // no key: remember keeps nothing either
        Log.warnOnce("start-tree", "QCFG-1534: cannot keep the start tree in "
            + options.state().resolve(io.qcfg.internal.snapshot.StartTree.NAME) + " (" + io.qcfg.internal.crypto.ForeignText.describe(e)
            + "); the next start cannot read it");
      } finally {
        done.complete(null);
        StartupTrace.end("fast path: start tree (write, own thread)", at);
      }
    }, "qcfg-start-tree");
    t.setDaemon(true);
    try {
      t.start();
    } catch (RuntimeException | OutOfMemoryError e) {
      return; // no thread: remember digests and writes in line
    }
    othersAhead = others;
    othersAheadOf = s;
    othersAheadVariables = variables;
    treeAhead = done;
    treeAheadOf = s;
  }

  /**
   * The other inputs' digests (environment, options, key ring, class path, system properties,
   * variables, qcfg's build) into {@code done}, to run on {@code qcfg-start-tree} before the
   * tree, while the applier writes history: {@link #remember} needed 6-8 ms for them after that
   * write, on a first start's exit path (issue 16). Their own thread cost more than the 2-3 ms of
   * CPU they take: a thread's first allocation takes a whole allocation buffer (about 330 KB
   * before the first collection), one more towards the young collection that a first start of a
   * 1,000-setting configuration was on the edge of. The environment and the overrides are the
   * applier's, read here, right after the publish's commit; the variable names are those of a
   * build without a template layer (remember takes them again in line when a template changes
   * the names).
   */
  private Runnable othersBesideHistory(ConfigSnapshot s, List<String> variables,
      OneShot<SortedMap<String, String>> done) {
    Environment env = changes.environment();
    Map<String, String> overrides = changes.overrides();
    List<String> roots = roots(s);
    return () -> {
      long at = StartupTrace.begin();
      try {
        done.complete(inputs.others(env, overrides, roots, variables));
      } catch (IOException | RuntimeException | Error e) { // remember takes them again
        done.completeExceptionally(e);
      } finally {
        StartupTrace.end("fast path: other inputs (digest, before the start tree)", at);
      }
    };
  }

  /** Waits for the start tree of {@code s} written ahead; false when none is. */
  private boolean awaitTreeAhead(ConfigSnapshot s) {
    var ahead = treeAhead;
    if (ahead == null || treeAheadOf != s) {
      return false;
    }
    treeAhead = null;
    treeAheadOf = null;
    long t = StartupTrace.begin();
    ahead.join(); // always completes: the writer's finally
    StartupTrace.end("fast path: start tree (wait for it)", t);
    return true;
  }

  /** Keeps {@code s}'s start tree: waits for the one written ahead, else writes it here. */
  private void keepTree(ConfigSnapshot s, io.qcfg.internal.Pipeline.References refs) {
    if (awaitTreeAhead(s)) {
      return;
    }
    long t = StartupTrace.begin();
    tree.write(s, refs.secretPatterns(), key);
    StartupTrace.end("fast path: start tree (write)", t);
  }

  private void cannotKeep(Exception e, String consequence) {
    Log.warnOnce("start-inputs", "QCFG-1534: cannot keep the fingerprint of the inputs in "
        + file() + " (" + io.qcfg.internal.crypto.ForeignText.describe(e) + "); " + consequence);
  }

  /**
   * The digests of the files as read before the first build, for {@link #remember}; joins the
   * thread that takes them. Before the build reads the files, call {@link #beforeBuildReads}: at a
   * first start it waits for the read alone.
   */
  FileDigests filesBefore() {
    if (reads != null || readBefore != null) {
      beforeBuildReads(); // a failed start: nothing was built, the read ends all the same
      long t = StartupTrace.begin();
      files = digestRead(readBefore);
      readBefore = null;
      StartupTrace.end("fast path: key and digests of the files read", t);
    }
    if (pending != null) {
      long t = StartupTrace.begin();
      files = pending.join();
      pending = null;
      StartupTrace.end("fast path: inputs (digest, wait for it)", t);
    }
    return files;
  }

  /**
   * Before the build reads the files: waits until the bytes the fingerprint will describe are
   * read (at a first start; their digests may follow later, {@link #filesBefore}), or digested
   * (at a restart that builds in full).
   */
  void beforeBuildReads() {
    if (reads == null) {
      if (readBefore == null) {
        filesBefore();
      }
      return;
    }
    long t = StartupTrace.begin();
    readBefore = reads.join();
    reads = null;
    StartupTrace.end("fast path: inputs (read, wait for it)", t);
  }

  /**
   * Runs {@code task} once the files {@link #filesBefore} describes are read: at once, or on the
   * reading thread (what reads an input for the build must follow that read; other work may wait
   * for a thread that is idle by then).
   */
  void afterFilesRead(Runnable task) {
    if (reads != null) {
      reads.thenRun(task);
    } else if (pending != null) {
      pending.thenRun(task);
    } else {
      task.run();
    }
  }

  /** The most bytes a first start's read keeps undigested until the key is made. */
  static final long KEEP_UNDIGESTED_BYTES = 16L << 20;

  /**
   * At what looks like a first start here (no fingerprint of the inputs, no etcd): begins reading
   * the files the fingerprint will describe on the thread {@code qcfg-inputs-ahead}, before the
   * engine is made, so that the build seldom waits for that read (issue 16). No key is needed for
   * it: the key and the digests follow after the publish ({@link #filesBefore}). Gives null for
   * the result when the files are too many or too large to keep undigested, or cannot be read;
   * the read is then done again after the state directory opens.
   */
  static OneShot<StartInputs.Reads> beginReadAhead(QcfgOptions options) {
    var reads = new OneShot<StartInputs.Reads>(); // completed with a value only, never a failure
    StartInputs early = new StartInputs(options, null, () -> {
      throw new IllegalStateException("over the bytes kept undigested");
    });
    Thread d = new Thread(() -> {
      long t = StartupTrace.begin();
      try {
        reads.complete(early.read(null, KEEP_UNDIGESTED_BYTES));
      } catch (IOException | StartInputs.TooLarge | RuntimeException e) {
        reads.complete(null); // read again, and reported, after the state directory opens
      } finally {
        reads.complete(null); // an Error on the way: never waited for in vain
        StartupTrace.end("fast path: inputs (read ahead)", t);
      }
      // The build remembers the environment's credentials before it parses: done here, the
      // redactor's classes load and its credentials are known before the applier asks.
      t = StartupTrace.begin();
      try {
        ForeignText.rememberEnvironment(System.getenv());
      } catch (RuntimeException e) {
        // the build remembers them itself
      }
      StartupTrace.end("redactor: the environment's credentials (ahead)", t);
    }, "qcfg-inputs-ahead");
    d.setDaemon(true);
    d.start();
    return reads;
  }

  /** The files read by {@link #beginReadAhead}; call before the applier's first task. */
  void readAhead(OneShot<StartInputs.Reads> reads) {
    readAhead = reads;
  }

  // A first start: the files read ahead, else read now on qcfg-inputs (beforeBuildReads joins
  // either); filesBefore digests them.
  // The hand-overs are OneShots, not CompletableFutures: a CompletableFuture's first use
  // initialises the fork-join common pool (about 4 ms of cold CPU on qcfg-start, issue 16).
  private void readFirst() {
    var ahead = readAhead;
    readAhead = null;
    if (ahead == null) {
      reads = readInBackground(new OneShot<>());
      return;
    }
    var read = new OneShot<StartInputs.Reads>();
    // ahead is only ever completed with a value (beginReadAhead), so this always runs.
    ahead.thenRun(() -> {
      StartInputs.Reads r = ahead.join(); // set: returns at once
      try {
        if (r != null) {
          read.complete(r);
        } else {
          readInBackground(read);
        }
      } catch (RuntimeException | Error e) { // no thread for the read: no fingerprint is kept
        read.complete(null);
      }
    });
    reads = read;
  }

  private OneShot<StartInputs.Reads> readInBackground(OneShot<StartInputs.Reads> done) {
    Thread d = new Thread(() -> {
      try {
        done.complete(readFiles());
      } finally { // an Error on the way: the build must not wait forever
        done.complete(null);
      }
    }, "qcfg-inputs");
    d.setDaemon(true);
    d.start();
    return done;
  }

  // The digests of the files on qcfg-inputs; filesBefore() joins them.
  private void digestInBackground(java.util.function.Supplier<FileDigests> digest) {
    var digests = new OneShot<FileDigests>();
    pending = digests;
    Thread d = new Thread(() -> {
      try {
        digests.complete(digest.get());
      } finally {
        digests.complete(null); // an Error on the way: the build must not wait forever
      }
    }, "qcfg-inputs");
    d.setDaemon(true);
    d.start();
  }

  // The digests of the files at a restart (the key is known); null when they cannot be taken.
  // A file whose identity is the kept one is not read (StartInputs.files).
  private FileDigests digestKept() {
    long t = StartupTrace.begin();
    FileDigests now = null;
    try {
      now = inputs.files(kept);
      return now;
    } catch (IOException | StartInputs.TooLarge | RuntimeException e) {
      digestFailure = "the configuration files cannot be digested ("
          + (e instanceof StartInputs.TooLarge ? e.getMessage() : "unreadable") + ")";
      return null;
    } finally {
      StartupTrace.end(now == null || !StartupTrace.ON ? "fast path: inputs (digest)"
          : "fast path: inputs (digest: " + now.read() + " of " + now.digests().size()
              + " files read)", t);
    }
  }

  // On qcfg-inputs, a first start's read of every file; null when they cannot all be read.
  private StartInputs.Reads readFiles() {
    long t = StartupTrace.begin();
    try {
      return inputs.read(null, KEEP_UNDIGESTED_BYTES);
    } catch (IOException | StartInputs.TooLarge | RuntimeException e) {
      return null; // no fingerprint is kept: the next start builds in full
    } finally {
      StartupTrace.end("fast path: inputs (read)", t);
    }
  }

  // The key (made here at a first start) and the digests of what a first start read.
  private FileDigests digestRead(StartInputs.Reads r) {
    if (r == null) {
      return null;
    }
    try {
      return key().persistent() ? inputs.digest(r) : null;
    } catch (RuntimeException e) {
      return null; // no fingerprint is kept: the next start builds in full
    }
  }

  // The key, made here when the first start has not made it yet (on the applier, on
  // qcfg-start-tree, or on qcfg-inputs for the files over the bytes kept undigested); synchronized
  // so that two of them never make two keys.
  private synchronized ChecksumKey key() {
    ChecksumKey k = key;
    if (k == null) {
      k = ChecksumKey.of(null, options.state());
      key = k;
    }
    return k;
  }

  /**
   * The full build after a fast start agreed and {@code s} (with the file origins) is active: when
   * the start tree did not serve (none yet, as after an upgrade, or not intact), it is written now
   * so that the next restart reads it.
   */
  void agreed(ConfigSnapshot s, FileDigests before) {
    if (kept == null || key == null || !key.persistent()) {
      return;
    }
    if (!treeServed) {
      tree.write(s, kept.secretPatterns(), key);
    }
    settle(before);
  }

  /**
   * Keeps beside the fingerprint's digests the identities that {@code before} (taken before the
   * full build that agreed read the files) found settled, where its digest is the kept one: a file
   * written shortly before the start that fingerprinted it (a config map mounted as the pod
   * starts) is then no longer read at every restart. Nothing else in the fingerprint changes.
   */
  private void settle(FileDigests before) {
    if (before == null) {
      return;
    }
    SortedMap<String, String> identities = new TreeMap<>(kept.identities());
    before.identities().forEach((name, identity) -> {
      if (before.digests().get(name).equals(kept.digests().get(name))) {
        identities.put(name, identity);
      }
    });
    if (identities.equals(kept.identities())) {
      return;
    }
    try {
      StartInputsFile settled = new StartInputsFile(kept.version(), kept.checksum(),
          kept.environment(), kept.roots(), kept.variables(), kept.secretPatterns(),
          kept.digests(), identities);
      settled.write(file(), key.derivedMac(FILE_PURPOSE));
      kept = settled;
    } catch (IOException | RuntimeException e) {
      cannotKeep(e, "the next start reads every file");
    }
  }

  /** Whether the full build after the fast start ran (false while it is queued or running). */
  boolean checked() {
    return check.done();
  }

  /** Deletes the fingerprint: the next start builds and validates in full. */
  void forget() {
    tree.forget();
    head.forget();
    try {
      Files.deleteIfExists(file());
    } catch (IOException e) {
      Log.warnOnce("start-inputs", "QCFG-1534: cannot remove " + file());
    }
  }

  /**
   * The digests of the files now, or null when they cannot be taken. A file whose identity is the
   * one the fingerprint found at start keeps is not read: true of its bytes whichever fingerprint
   * is newest (the key is the state directory's), so also after a change was remembered since.
   */
  FileDigests filesNow() {
    try {
      return inputs.files(kept);
    } catch (IOException | StartInputs.TooLarge | RuntimeException e) {
      return null;
    }
  }

  private Path file() {
    return options.state().resolve(StartInputsFile.NAME);
  }
}
