package io.qcfg.internal.layer;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import io.qcfg.Origin;
import io.qcfg.Problem;
import io.qcfg.QcfgException;
import io.qcfg.internal.crypto.ForeignText;
import io.qcfg.internal.log.Log;
import io.qcfg.internal.log.StartupTrace;
import io.qcfg.internal.tree.ConfigPaths;
import io.qcfg.internal.tree.LayerKind;
import io.qcfg.internal.tree.Leaves;
import io.qcfg.internal.tree.Origins;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Builds the merged, resolved tree of every layer of DESIGN.md, lowest precedence first: defaults
 * (every {@code reference.conf} on the class path) &lt; {@code application.conf} &lt; {@code
 * environments/<env>.conf} &lt; {@code local.conf} &lt; {@code secrets/} &lt; runtime overrides
 * &lt; JVM system properties &lt; {@code CONFIG_FORCE_*} environment variables.
 *
 * <p>Never calls {@code ConfigFactory.load()}: it would obey the host's {@code -Dconfig.file} and
 * the context class loader. Every file is read explicitly through {@link LayerFileReader}. All
 * problems of all files are collected and thrown together.
 */
public final class LayerStack {
  private static final String ENV_PREFIX = "CONFIG_FORCE_";
  // The pattern is made on a build's first use (holder idiom), not when this class loads: a fast
  // restart loads it for the secret layer alone before its publish (issue 16); so is ParserPool.
  private static final class NumberText {
    static final Pattern PATTERN =
        Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][-+]?[0-9]+)?");
  }

  /** Renders a {@code *.conf.peb} layer template to HOCON text; null when templates are off. */
  public interface TemplateLayers {
    String render(Path configDir, Path template, String env, Map<String, String> vars);
  }

  /**
   * Everything one build of the stack needs.
   *
   * @param dir the configuration directory
   * @param environment the detected environment
   * @param overrides runtime overrides, path to HOCON value text
   * @param systemProperties the JVM's system properties
   * @param envVars the process environment
   * @param substitute allow list for {@code ${NAME}} from the environment: null for the
   *     environment's default, {@code *} for all, else {@code :}-separated names
   * @param defaultsLoader where to look for {@code reference.conf}, or null for none
   */
  public record Request(
      Path dir,
      Environment environment,
      Map<String, String> overrides,
      Properties systemProperties,
      Map<String, String> envVars,
      String substitute,
      ClassLoader defaultsLoader,
      io.qcfg.internal.etcd.EtcdLayer etcd) {

    public Request(Path dir, Environment environment, Map<String, String> overrides,
        Properties systemProperties, Map<String, String> envVars, String substitute,
        ClassLoader defaultsLoader) {
      this(dir, environment, overrides, systemProperties, envVars, substitute, defaultsLoader, null);
    }
  }

  private final LayerFileReader reader;
  private final TemplateLayers templates;
  private volatile SecretLayerMemo secretMemo; // one writer at a time: the building thread
  private final IncrementalMerge merges = new IncrementalMerge();
  private volatile SecretTreeMemo secretTreeMemo; // the building thread's, as secretMemo
  private final SecretLayerScan secretScan = new SecretLayerScan();

  public LayerStack(LayerFileReader reader, TemplateLayers templates) {
    this.reader = reader;
    this.templates = templates;
  }

  public LayerFileReader reader() {
    return reader;
  }

  /** Whether the last {@link #load} merged only the changed paths (for tests and benchmarks). */
  public boolean lastMergeWasIncremental() {
    return merges.lastWasIncremental;
  }

  /**
   * Parses started by {@link #prefetch}, by file, for one {@link #load}: the building thread's.
   */
  public static final class Prefetch {
    static final Prefetch NONE = new Prefetch(Map.of());
    private final Map<Path, Future<LayerFileReader.Parsed>> parses;

    private Prefetch(Map<Path, Future<LayerFileReader.Parsed>> parses) {
      this.parses = parses;
    }
  }

  /**
   * Starts parsing the layer files of {@code req} (not templates) on parser threads, for {@link
   * #secretLayer(Path, Prefetch)} and {@link #load(Request, UnaryOperator, Prefetch)} to take
   * (issue 19): the base, environment and local files parse while the building thread waits for
   * the secret files, whose values it must know before any problem is worded; the secret files
   * parse beside them, so that no file waits for another on a free core. A problem is worded
   * where the parse fails, so a parse that fails here is not used: load parses that file again,
   * after the secrets are known, and reports that parse's problem. A file that changes in between
   * is read as it was here, as if the build had started a moment earlier.
   */
  public Prefetch prefetch(Request req) {
    List<Problem> ignored = new ArrayList<>(); // load finds them again and reports them
    Path realRoot = realRoot(req.dir(), ignored);
    if (realRoot == null) {
      return Prefetch.NONE;
    }
    List<Slot> slots = secretConfSlots(req.dir().resolve("secrets"), ignored);
    slots.addAll(fileSlots(req.dir(), req.environment(), ignored, false));
    Map<Path, Future<LayerFileReader.Parsed>> started = new HashMap<>();
    for (Slot s : slots) {
      if (s.file != null && !s.template) {
        started.put(s.file, ParserPool.POOL.submit(() -> reader.read(s.file, realRoot)));
      }
    }
    return new Prefetch(started);
  }

  /** The base, environment and local slots (no local layer in production). */
  private List<Slot> fileSlots(Path dir, Environment env, List<Problem> problems, boolean warn) {
    List<Slot> slots = new ArrayList<>();
    slots.add(slot(LayerKind.BASE, dir.resolve("application.conf"), problems));
    slots.add(slot(LayerKind.ENVIRONMENT, dir.resolve("environments/" + env.name() + ".conf"), problems));
    Path local = dir.resolve("local.conf");
    if (!env.isProduction()) {
      slots.add(slot(LayerKind.LOCAL, local, problems));
    } else if (warn && Files.exists(local)) {
      Log.warnOnce(
          "local-in-production:" + local,
          "production: ignoring " + Origins.display(local)
              + " (environment isolation: the local layer is for developer machines)");
    }
    return slots;
  }

  /** Runs a parse on this thread, its failure as the pool's would be. */
  private static LayerFileReader.Parsed callParse(
      java.util.concurrent.Callable<LayerFileReader.Parsed> parse)
      throws java.util.concurrent.ExecutionException {
    try {
      return parse.call();
    } catch (Exception | StackOverflowError ex) {
      throw new java.util.concurrent.ExecutionException(ex);
    }
  }

  /**
   * Builds the tree.
   *
   * @throws QcfgException.Invalid with every problem found in every layer
   */
  public LoadedConfig load(Request req) {
    return load(req, UnaryOperator.identity());
  }

  /**
   * Builds the tree; {@code beforeResolve} sees the merged tree of every layer just before the
   * one resolve (the decrypt step uses it to decrypt {@code ENC[...]} values at their own paths
   * before substitutions copy them).
   *
   * @throws QcfgException.Invalid with every problem found in every layer
   */
  public LoadedConfig load(Request req, UnaryOperator<Config> beforeResolve) {
    return load(req, beforeResolve, Prefetch.NONE);
  }

  /**
   * Builds the tree, taking the parses {@code prefetch} started (from {@link #prefetch} with the
   * same request) instead of starting them again.
   *
   * @throws QcfgException.Invalid with every problem found in every layer
   */
  public LoadedConfig load(Request req, UnaryOperator<Config> beforeResolve, Prefetch prefetch) {
    List<Problem> problems = new ArrayList<>();
    Map<String, LayerKind> layerOf = new HashMap<>();
    List<Path> files = new ArrayList<>();
    Environment env = req.environment();
    Path dir = req.dir();

    Path realRoot = realRoot(dir, problems);
    if (!Environment.KNOWN.contains(env.name())
        && !Files.exists(dir.resolve("environments/" + env.name() + ".conf"))
        && !Files.exists(dir.resolve("environments/" + env.name() + ".conf.peb"))) {
      problems.add(
          new Problem(
              "QCFG-1101",
              Origins.display(dir.resolve("environments")),
              "",
              "unknown environment '" + env.name() + "' (from " + env.source() + "): expected one of "
                  + new TreeSet<>(Environment.KNOWN) + " or a file environments/" + env.name()
                  + ".conf"));
    }

    // File layers, parsed in parallel; cached by content hash in the reader.
    List<Slot> slots = new ArrayList<>();
    if (realRoot != null) {
      slots.addAll(fileSlots(dir, env, problems, true));
      slots.addAll(secretConfSlots(dir.resolve("secrets"), problems));
    }
    Map<Path, Future<LayerFileReader.Parsed>> early = new HashMap<>(prefetch.parses);
    Map<Slot, Future<LayerFileReader.Parsed>> futures = new LinkedHashMap<>();
    Set<Slot> prefetched = new java.util.HashSet<>();
    for (Slot s : slots) {
      if (s.file == null) {
        continue;
      }
      layerOf.put(Origins.display(s.file), s.kind);
      files.add(s.file);
      Future<LayerFileReader.Parsed> started = s.template ? null : early.remove(s.file);
      if (started != null) {
        prefetched.add(s);
      }
      futures.put(s, started != null ? started
          : ParserPool.POOL.submit(() -> parseSlot(s, dir, realRoot, env, allowedVariables(req))));
    }
    early.values().forEach(f -> f.cancel(false)); // the slots changed since: not needed
    Map<LayerKind, List<Config>> byLayer = new TreeMap<>();
    long deadline = System.nanoTime() + reader.limits().timeBudget().toNanos();
    for (var e : futures.entrySet()) {
      try {
        LayerFileReader.Parsed parsed;
        try {
          parsed = e.getValue().get(Math.max(0, deadline - System.nanoTime()),
              java.util.concurrent.TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.ExecutionException failed) {
          if (!prefetched.contains(e.getKey())) {
            throw failed;
          }
          // Its problem was worded before the secrets were known: parse again for the words.
          Slot s = e.getKey();
          parsed = callParse(() -> parseSlot(s, dir, realRoot, env, allowedVariables(req)));
        }
        byLayer.computeIfAbsent(e.getKey().kind, k -> new ArrayList<>()).add(parsed.config());
        for (Path inc : parsed.includedFiles()) { // watched, and their values keep their layer
          layerOf.put(Origins.display(inc), e.getKey().kind);
          if (!files.contains(inc)) {
            files.add(inc);
          }
        }
      } catch (java.util.concurrent.ExecutionException ce) {
        collect(ce.getCause(), problems, Origins.display(e.getKey().file));
      } catch (java.util.concurrent.TimeoutException te) {
        e.getValue().cancel(true);
        problems.add(new Problem("QCFG-1022", Origins.display(e.getKey().file), "",
            "reading and parsing took longer than the time budget of "
                + reader.limits().timeBudget().toSeconds() + " s; the candidate is rejected"));
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        throw new QcfgException.Invalid(new Problem("QCFG-1022", Origins.display(dir), "",
            "interrupted while reading the layers"));
      }
    }

    // Secret layer: one file per key, as a Kubernetes Secret volume lays them out.
    Set<String> secretKeyFiles = new TreeSet<>();
    if (realRoot != null) {
      Config perKey = secretKeyFiles(dir.resolve("secrets"), problems, files, layerOf, secretKeyFiles);
      if (!perKey.isEmpty()) {
        byLayer.computeIfAbsent(LayerKind.SECRETS, k -> new ArrayList<>()).add(perKey);
      }
    }

    if (req.etcd() != null) {
      Config fromEtcd = etcdLayer(req.etcd(), problems, layerOf);
      if (!fromEtcd.isEmpty()) {
        byLayer.put(LayerKind.ETCD, List.of(fromEtcd));
      }
    }

    Config defaults = defaults(req.defaultsLoader(), problems, layerOf);
    List<List<Config>> groups = new ArrayList<>();
    for (LayerKind k :
        List.of(LayerKind.BASE, LayerKind.ENVIRONMENT, LayerKind.LOCAL, LayerKind.ETCD,
            LayerKind.SECRETS)) {
      List<Config> c = byLayer.get(k);
      if (c != null) {
        groups.add(c);
      }
    }
    groups.add(List.of(overrides(req.overrides(), problems)));
    groups.add(List.of(systemProperties(req.systemProperties(), rootKeys(defaults, groups))));
    groups.add(List.of(environmentVariables(req.envVars(), problems)));

    if (!problems.isEmpty()) {
      throw new QcfgException.Invalid(problems);
    }
    // Only the paths a changed input touches are merged again (issue 19 item 3).
    Config merged = merges.merge(defaults, groups);
    merged = beforeResolve.apply(merged);
    Map<String, String> vars = allowedVariables(req);
    String hint =
        env.isStrict() && req.substitute() == null
            ? " (in " + env.name() + " no environment variable may be substituted unless the"
                + " option substitute lists it)"
            : null;
    // Bounded before it runs (Typesafe's resolver cannot be interrupted), then once, over the
    // merged tree: Typesafe's semantics (issue 13).
    Set<String> references = ResolveBudget.check(merged, vars, reader.limits());
    Config resolved = resolveWithin(merged, vars, hint, deadline, dir);
    if (resolved.root().isEmpty() && files.isEmpty()) {
      throw new QcfgException.Invalid(
          new Problem(
              "QCFG-1012",
              Origins.display(dir),
              "",
              "no configuration found: expected application.conf or another layer file in this"
                  + " directory"));
    }
    // Secret-layer paths: the leaves the secret layer defines whose winning value still comes
    // from it (a higher layer may override one). Cost: the secret layer's size, not the tree's.
    Set<String> secretPaths = new TreeSet<>();
    List<Config> secretFiles = byLayer.get(LayerKind.SECRETS);
    if (secretFiles != null) {
      SecretTreeMemo memo = secretTreeMemo;
      Config secretTree;
      if (memo != null && memo.matches(secretFiles)) {
        secretTree = memo.tree(); // the same files: the same merge and resolve as last time
      } else {
        try {
          secretTree = IncrementalMerge.fold(secretFiles).resolve(
              ConfigResolveOptions.defaults().setUseSystemEnvironment(false)); // alone; substitutions into other layers fail here
          secretTreeMemo = new SecretTreeMemo(List.copyOf(secretFiles), secretTree);
        } catch (ConfigException e) {
          secretTree = resolved; // then walk the whole tree instead
        }
      }
      secretScan.scan(secretTree.root(), resolved.root(), layerOf, secretPaths);
    }
    return new LoadedConfig(
        resolved, env, secretPaths, files, Map.copyOf(layerOf), merged.isResolved() ? null : merged,
        vars, references);
  }

  /** The root keys of the merge of {@code start} and {@code groups}: every input's, together. */
  private static Set<String> rootKeys(Config start, List<List<Config>> groups) {
    Set<String> keys = new java.util.HashSet<>(start.root().keySet());
    for (List<Config> g : groups) {
      for (Config c : g) {
        keys.addAll(c.root().keySet());
      }
    }
    return keys;
  }

  /**
   * The one resolve, on a parser thread, within what is left of the time budget. Typesafe's
   * resolver never looks at interrupts, so a resolve over the budget is abandoned (its thread
   * finishes in the background; ResolveBudget has bounded how much it can build) and the
   * candidate is rejected with QCFG-1022.
   */
  private static Config resolveWithin(
      Config merged, Map<String, String> vars, String hint, long deadline, Path dir) {
    if (merged.isResolved()) {
      return Resolution.resolve(merged, vars, hint); // nothing to substitute: no thread needed
    }
    java.util.concurrent.Future<Config> f =
        ParserPool.POOL.submit(() -> Resolution.resolve(merged, vars, hint));
    try {
      return f.get(Math.max(0, deadline - System.nanoTime()),
          java.util.concurrent.TimeUnit.NANOSECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof QcfgException.Invalid inv) {
        throw inv;
      }
      throw new QcfgException.Invalid(new Problem("QCFG-1011", Origins.display(dir), "",
          "the substitutions cannot be resolved (" + e.getCause().getClass().getSimpleName()
              + ")"));
    } catch (java.util.concurrent.TimeoutException e) {
      f.cancel(true);
      throw new QcfgException.Invalid(new Problem("QCFG-1022", Origins.display(dir), "",
          "reading, parsing and resolving took longer than the time budget; the candidate is"
              + " rejected"));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new QcfgException.Invalid(new Problem("QCFG-1022", Origins.display(dir), "",
          "interrupted while resolving the layers"));
    }
  }

  /**
   * The secret layer alone ({@code secrets/*.conf} and one file per key), for re-reading
   * secrets that history stores sealed. Problems are ignored: this is a best effort.
   */
  public Config secretLayer(Path dir) {
    return secretLayer(dir, Prefetch.NONE);
  }

  /**
   * The secret layer as {@link #secretLayer(Path)} reads it, unmerged ({@link SecretFiles}), each
   * file first through {@link PlainHocon} (not cached: a build reads them again, through the same
   * plain reader) and through the reader only where that declines: for a fast restart, which needs
   * the secrets before its publish (issue 16). A plain file stays its reader's tree ({@link
   * PlainHocon.Tree}), made Typesafe's only where asked. {@code parsed} is given the scalars of
   * every resolved file as soon as it is read, on the thread that read it (two at once), and of
   * the merged layer when a file needs resolving: so every value of the layer, even one a higher
   * file overrides, reaches it before this returns.
   */
  public SecretFiles secretFilesPlainFirst(Path dir, Consumer<SecretFiles.Scalars> parsed) {
    SecretConfs f = secretConfs(dir, true, Prefetch.NONE, parsed);
    SecretFiles out = SecretFiles.ofParts(f.keyFiles, f.confs == null ? List.of() : f.confs);
    if (out.isMerged()) {
      parsed.accept(SecretFiles.Scalars.of(out.merged()));
    }
    return out;
  }

  /**
   * {@link #secretLayer(Path)}, taking the parses of the secret files that {@code prefetch}
   * started (a failed one is left out, as a failed read is: load reports it).
   */
  public Config secretLayer(Path dir, Prefetch prefetch) {
    SecretConfs f = secretConfs(dir, false, prefetch, c -> { });
    if (f.confs == null) {
      return f.keyFiles; // no real root: the files of one key alone
    }
    List<Config> confs = new ArrayList<>(f.confs.size());
    for (Object c : f.confs) {
      confs.add((Config) c); // not plain first: every file is Typesafe's tree
    }
    Config keyFiles = f.keyFiles;
    // Every build asks for this (to know the secrets before a parse can fail): unchanged files
    // give the cached parses again, so the merge and resolve of last time can be reused.
    SecretLayerMemo last = secretMemo;
    if (last != null && last.matches(dir, keyFiles, confs)) {
      return last.result();
    }
    long t = StartupTrace.begin();
    Config result = SecretFiles.merge(keyFiles, confs);
    StartupTrace.end("secret layer: merge", t);
    secretMemo = new SecretLayerMemo(dir, keyFiles, List.copyOf(confs), result);
    return result;
  }

  /**
   * The secret layer's trees: the files of one key, and the parsed secrets/*.conf (or null), each
   * a Config, or a {@link PlainHocon.Tree} when read plain first.
   */
  private record SecretConfs(Config keyFiles, List<Object> confs) {}

  private SecretConfs secretConfs(Path dir, boolean plainFirst, Prefetch prefetch,
      Consumer<SecretFiles.Scalars> parsed) {
    long t = StartupTrace.begin();
    List<Problem> ignored = new ArrayList<>();
    Path secrets = dir.resolve("secrets");
    Config keyFiles =
        secretKeyFiles(secrets, ignored, new ArrayList<>(), new HashMap<>(), new TreeSet<>());
    StartupTrace.end("secret layer: files of one key", t);
    t = StartupTrace.begin();
    Path realRoot = realRoot(dir, ignored);
    if (realRoot == null) {
      return new SecretConfs(keyFiles, null);
    }
    List<Slot> slots = secretConfSlots(secrets, ignored);
    StartupTrace.end("secret layer: list secrets/*.conf", t);
    PlainHocon.Tree[] plains = plainFirst ? plainOnTwoThreads(slots, realRoot, parsed) : null;
    tellResolved(parsed, keyFiles);
    List<Object> confs = new ArrayList<>();
    for (int i = 0; i < slots.size(); i++) {
      Slot s = slots.get(i);
      Future<LayerFileReader.Parsed> started = prefetch.parses.get(s.file);
      try {
        PlainHocon.Tree plain = plainFirst ? plains[i] : null;
        if (plain != null) {
          confs.add(plain);
          continue;
        }
        Config c = started != null ? started.get().config()
            : reader.read(s.file, realRoot).config(); // cached
        tellResolved(parsed, c);
        confs.add(c);
      } catch (QcfgException.Invalid | java.util.concurrent.ExecutionException e) {
        // best effort
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt(); // load reports it
        break;
      }
    }
    return new SecretConfs(keyFiles, confs);
  }

  private static void tellResolved(Consumer<SecretFiles.Scalars> parsed, Config c) {
    if (c.isResolved()) {
      parsed.accept(SecretFiles.Scalars.of(c));
    }
  }

  /**
   * Each secret file through {@link LayerFileReader#readPlain} (null where it declines), the
   * later half on a thread of its own (qcfg-secrets-parse): a fast restart waits for the secret
   * layer, and its cold parses one after the other were the longest chain before the publish
   * (issue 16). The reader's plain parse keeps no state, so two files parse at once safely.
   */
  private PlainHocon.Tree[] plainOnTwoThreads(List<Slot> slots, Path realRoot,
      Consumer<SecretFiles.Scalars> parsed) {
    PlainHocon.Tree[] out = new PlainHocon.Tree[slots.size()];
    int half = (slots.size() + 1) / 2;
    Thread other = null;
    if (slots.size() > 1) {
      other = new Thread(() -> {
        for (int i = half; i < out.length; i++) {
          out[i] = plainAndTold(slots.get(i).file, realRoot, parsed);
        }
      }, "qcfg-secrets-parse");
      other.setDaemon(true);
      other.start();
    }
    for (int i = 0; i < (other == null ? out.length : half); i++) {
      out[i] = plainAndTold(slots.get(i).file, realRoot, parsed);
    }
    boolean interrupted = false;
    while (other != null && other.isAlive()) {
      try {
        other.join(); // its writes to out happen before join returns; a null is a decline
      } catch (InterruptedException e) {
        interrupted = true; // the parse ends on its own: wait for it, then say so
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    return out;
  }

  private PlainHocon.Tree plainAndTold(Path file, Path realRoot,
      Consumer<SecretFiles.Scalars> parsed) {
    PlainHocon.Tree c = reader.readPlainTree(file, realRoot);
    if (c != null) {
      parsed.accept(c::forEachScalar); // plain trees are resolved
    }
    return c;
  }

  /**
   * The secret layer's files (parsed; the per-key files as one tree) and their merge resolved
   * alone, as the last {@link #load} made it. Parsed files compare by identity (the reader's
   * cache hands out the same object for an unchanged file), the rest by value and origin.
   */
  private record SecretTreeMemo(List<Config> files, Config tree) {
    boolean matches(List<Config> other) {
      if (files.size() != other.size()) {
        return false;
      }
      for (int i = 0; i < files.size(); i++) {
        Config a = files.get(i);
        Config b = other.get(i);
        if (a != b && (!a.isResolved() || !b.isResolved()
            || !IncrementalMerge.same(a.root(), b.root()))) {
          return false;
        }
      }
      return true;
    }
  }

  /** The last {@link #secretLayer}: its inputs (parsed files by identity) and its result. */
  private record SecretLayerMemo(Path dir, Config keyFiles, List<Config> confs, Config result) {
    boolean matches(Path d, Config k, List<Config> c) {
      if (!dir.equals(d) || confs.size() != c.size() || !keyFiles.root().equals(k.root())) {
        return false;
      }
      for (int i = 0; i < c.size(); i++) {
        if (confs.get(i) != c.get(i)) {
          return false;
        }
      }
      return true;
    }
  }

  /**
   * The etcd layer: each key holds one layer file's HOCON text ({@code application.conf}, then
   * {@code environments/<env>.conf}); origins read {@code etcd:<key>@<revision>:line}. Includes
   * are refused: a file in etcd has no directory to stay inside.
   */
  private Config etcdLayer(
      io.qcfg.internal.etcd.EtcdLayer layer, List<Problem> problems, Map<String, LayerKind> layerOf) {
    Config out = ConfigFactory.empty();
    for (io.qcfg.internal.etcd.EtcdFile f : layer.files()) {
      String location = f.location();
      layerOf.put(location, LayerKind.ETCD);
      try {
        Config c =
            ConfigFactory.parseString(
                f.text(),
                ConfigParseOptions.defaults()
                    .setSyntax(ConfigSyntax.CONF)
                    .setOriginDescription(location)
                    .setIncluder(new SafeIncluder(
                        new SafeIncluder.Nowhere("a file in etcd has no directory to include from"),
                        reader, 0, new ArrayList<>())));
        out = c.withFallback(out);
      } catch (ConfigException e) {
        problems.add(ForeignText.problem("QCFG-1021", e, location));
      } catch (StackOverflowError e) {
        problems.add(new Problem("QCFG-1008", location, "", "nesting too deep for the parser"));
      }
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------------

  private record Slot(LayerKind kind, Path file, boolean template) {}

  private Slot slot(LayerKind kind, Path conf, List<Problem> problems) {
    Path peb = conf.resolveSibling(conf.getFileName() + ".peb");
    boolean hasConf = Files.exists(conf, java.nio.file.LinkOption.NOFOLLOW_LINKS) || Files.exists(conf);
    boolean hasPeb = Files.exists(peb);
    if (hasConf && hasPeb) {
      problems.add(
          new Problem(
              "QCFG-1013",
              Origins.display(conf),
              "",
              "both " + conf.getFileName() + " and " + peb.getFileName()
                  + " exist; keep one of them"));
      return new Slot(kind, null, false);
    }
    if (hasPeb) {
      return new Slot(kind, peb, true);
    }
    return new Slot(kind, hasConf ? conf : null, false);
  }

  private LayerFileReader.Parsed parseSlot(
      Slot s, Path dir, Path realRoot, Environment env, Map<String, String> vars) {
    if (!s.template) {
      return reader.read(s.file, realRoot);
    }
    if (templates == null) {
      throw LayerFileReader.invalid(
          "QCFG-1014", Origins.display(s.file), "template layers are not available here");
    }
    LayerFileReader.requireInside(s.file, realRoot, Origins.display(s.file));
    String text = templates.render(dir, s.file, env.name(), vars);
    List<SafeIncluder.Included> includes = new ArrayList<>();
    SafeIncluder includer = new SafeIncluder(
        new SafeIncluder.Directory(realRoot, s.file.toAbsolutePath().getParent()), reader, 0,
        includes);
    Config c;
    try {
      c = reader.parseText(s.file, Origins.display(s.file), text, ConfigSyntax.CONF, includer);
    } catch (QcfgException.Invalid e) {
      List<Problem> out = new ArrayList<>();
      for (Problem p : e.problems()) {
        out.add(p.id().equals("QCFG-1006") || p.id().equals("QCFG-1023")
            ? new Problem("QCFG-1015", p.location(), p.path(),
                "rendered template is not valid HOCON: " + p.reason())
            : p);
      }
      throw new QcfgException.Invalid(out);
    }
    List<Path> inc = new ArrayList<>();
    for (SafeIncluder.Included i : includes) {
      if (i.file() != null && !i.sha256().isEmpty()) {
        inc.add(i.file());
      }
    }
    return new LayerFileReader.Parsed(s.file, Origins.display(s.file), c, List.copyOf(inc));
  }

  private List<Slot> secretConfSlots(Path secrets, List<Problem> problems) {
    List<Slot> out = new ArrayList<>();
    if (!Files.isDirectory(secrets)) {
      return out;
    }
    for (Path p : listSorted(secrets, problems)) {
      String name = p.getFileName().toString();
      if (!name.startsWith(".") && name.endsWith(".conf")) {
        out.add(new Slot(LayerKind.SECRETS, p, false));
      }
    }
    return out;
  }

  private Config secretKeyFiles(
      Path secrets,
      List<Problem> problems,
      List<Path> files,
      Map<String, LayerKind> layerOf,
      Set<String> keys) {
    Config out = ConfigFactory.empty();
    if (!Files.isDirectory(secrets)) {
      return out;
    }
    for (Path p : listSorted(secrets, problems)) {
      String name = p.getFileName().toString();
      // Skip hidden files and the ..data / ..<timestamp> entries of a Kubernetes volume, and
      // editor leftovers (db.password~, #db.password#, 4913...): the watcher ignores them too.
      if (name.startsWith(".") || name.endsWith(".conf") || Files.isDirectory(p)
          || io.qcfg.internal.watch.EditorNoise.matches(name)) {
        continue;
      }
      String display = Origins.display(p);
      try {
        LayerFileReader.requireInside(p, realRoot(secrets.getParent(), new ArrayList<>()), display);
        String text = reader.readTextAllowEmpty(p, display);
        if (text.endsWith("\r\n")) {
          text = text.substring(0, text.length() - 2);
        } else if (text.endsWith("\n")) {
          text = text.substring(0, text.length() - 1);
        }
        layerOf.put(display, LayerKind.SECRETS);
        files.add(p);
        out = out.withValue(name, ConfigValueFactory.fromAnyRef(text, display));
        keys.add(name);
      } catch (QcfgException.Invalid e) {
        problems.addAll(e.problems());
      } catch (ConfigException e) {
        problems.add(
            new Problem(
                "QCFG-1016", display, "", "the file name is not a valid configuration path: " + name));
      }
    }
    return out;
  }

  private static List<Path> listSorted(Path dir, List<Problem> problems) {
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      ds.forEach(out::add);
    } catch (IOException e) {
      problems.add(
          new Problem("QCFG-1001", Origins.display(dir), "", "cannot list the directory: " + e));
    }
    out.sort(null);
    return out;
  }

  private static Path realRoot(Path dir, List<Problem> problems) {
    if (!Files.exists(dir)) {
      problems.add(
          new Problem(
              "QCFG-1012", Origins.display(dir), "", "the configuration directory does not exist"));
      return null;
    }
    if (!Files.isDirectory(dir)) {
      problems.add(
          new Problem("QCFG-1002", Origins.display(dir), "", "expected a directory, found a file"));
      return null;
    }
    try {
      return dir.toRealPath();
    } catch (IOException e) {
      problems.add(new Problem("QCFG-1001", Origins.display(dir), "", "cannot open: " + e));
      return null;
    }
  }

  private static void collect(Throwable t, List<Problem> problems, String display) {
    if (t instanceof QcfgException.Invalid inv) {
      problems.addAll(inv.problems());
    } else if (t instanceof ConfigException ce) {
      problems.add(ForeignText.problem("QCFG-1006", ce, display));
    } else if (t instanceof StackOverflowError) {
      problems.add(new Problem("QCFG-1008", display, "", "nesting too deep for the parser"));
    } else {
      problems.add(new Problem("QCFG-1017", display, "", "cannot load: " + t));
    }
  }

  private Config defaults(ClassLoader loader, List<Problem> problems, Map<String, LayerKind> layerOf) {
    Config out = ConfigFactory.empty();
    if (loader == null) {
      return out;
    }
    try {
      long t = StartupTrace.begin();
      Enumeration<URL> urls = loader.getResources("reference.conf");
      urls.hasMoreElements(); // where the list is made: the class path's jars are opened
      StartupTrace.end("layers: class-path reference.conf (list)", t);
      List<Config> all = new ArrayList<>();
      while (urls.hasMoreElements()) {
        URL url = urls.nextElement();
        String desc = "reference.conf @ " + url;
        layerOf.put(desc, LayerKind.DEFAULTS);
        try {
          String text = reader.readResource(url, "reference.conf");
          // Relative includes of a reference.conf are class-path resources beside it (Typesafe).
          SafeIncluder includer = new SafeIncluder(
              new SafeIncluder.ClassPath(loader, ""), reader, 0, new ArrayList<>());
          all.add(reader.parseText(null, desc, text, ConfigSyntax.CONF, includer));
        } catch (QcfgException.Invalid e) {
          for (Problem p : e.problems()) { // a library's defaults: QCFG-1018, naming jar and line
            problems.add(new Problem("QCFG-1018", p.location(), p.path(), p.reason()));
          }
        }
      }
      for (Config c : all) {
        out = out.withFallback(c);
      }
    } catch (IOException e) {
      problems.add(new Problem("QCFG-1018", "reference.conf", "", "cannot list class path: " + e));
    }
    return out;
  }

  private static Config overrides(Map<String, String> overrides, List<Problem> problems) {
    Config out = ConfigFactory.empty();
    for (var e : new TreeMap<>(overrides).entrySet()) {
      try {
        out = out.withValue(e.getKey(), parseValue(e.getValue(), "runtime override " + e.getKey(), true));
      } catch (ConfigException ex) {
        problems.add(
            new Problem("QCFG-1019", "runtime override", e.getKey(), "not a valid path or value: "
                + ex.getMessage()));
      }
    }
    return out;
  }

  /**
   * System properties take part only below the root keys the lower layers define: the JVM's own
   * {@code java.*}, {@code os.*}, {@code user.*} would otherwise flood every snapshot.
   */
  private static Config systemProperties(Properties props, Set<String> roots) {
    Config out = ConfigFactory.empty();
    for (String name : new TreeSet<>(props.stringPropertyNames())) {
      int dot = name.indexOf('.');
      String root = dot < 0 ? name : name.substring(0, dot);
      if (!roots.contains(root) || name.startsWith("qcfg.")) {
        continue;
      }
      try {
        out = out.withValue(name, parseValue(props.getProperty(name), "system property " + name, false));
      } catch (ConfigException e) {
        // A property name that is not a valid path cannot target a config path; ignore it.
      }
    }
    return out;
  }

  /** {@code CONFIG_FORCE_a_b__c___d=v} sets {@code a.b-c_d} (Typesafe's mangling). */
  private static Config environmentVariables(Map<String, String> env, List<Problem> problems) {
    Config out = ConfigFactory.empty();
    for (var e : new TreeMap<>(env).entrySet()) {
      if (!e.getKey().startsWith(ENV_PREFIX) || e.getKey().length() == ENV_PREFIX.length()) {
        continue;
      }
      String path = ConfigPaths.unmangle(e.getKey().substring(ENV_PREFIX.length()));
      try {
        out = out.withValue(path, parseValue(e.getValue(), "env var " + e.getKey(), false));
      } catch (ConfigException ex) {
        problems.add(
            new Problem(
                "QCFG-1020", "environment variable " + e.getKey(), path, "not a valid path"));
      }
    }
    return out;
  }

  /**
   * A value given as text: numbers and booleans become numbers and booleans (so that a schema
   * saying "integer" accepts {@code CONFIG_FORCE_http_port=9090}); with {@code hocon}, any HOCON
   * value ({@code [1,2]}, {@code {a=1}}); else the string itself.
   */
  static ConfigValue parseValue(String raw, String description, boolean hocon) {
    String t = raw.trim();
    if (NumberText.PATTERN.matcher(t).matches()) {
      Object n = t.contains(".") || t.contains("e") || t.contains("E")
          ? (Object) Double.valueOf(t)
          : (t.length() < 10 ? (Object) Integer.valueOf(t) : (Object) parseLong(t));
      return ConfigValueFactory.fromAnyRef(n, description);
    }
    if (t.equals("true") || t.equals("false")) {
      return ConfigValueFactory.fromAnyRef(Boolean.valueOf(t), description);
    }
    if (hocon && (t.startsWith("[") || t.startsWith("{") || t.startsWith("\""))) {
      Config c =
          ConfigFactory.parseString(
              "v = " + t, ConfigParseOptions.defaults().setOriginDescription(description));
      return c.getValue("v");
    }
    return ConfigValueFactory.fromAnyRef(raw, description);
  }

  private static Object parseLong(String t) {
    try {
      return Long.valueOf(t);
    } catch (NumberFormatException e) {
      return Double.valueOf(t);
    }
  }

  /**
   * Environment variables on the allow list (option {@code substitute}): all in development and
   * testing, none in staging and production unless listed. Templates see the same ones.
   */
  public static Map<String, String> allowedVariables(Request req) {
    String allow = req.substitute();
    if (allow == null) {
      allow = req.environment().isStrict() ? "" : "*";
    }
    Map<String, String> vars = new HashMap<>();
    if (allow.equals("*")) {
      vars.putAll(req.envVars());
    } else if (!allow.isBlank()) {
      for (String name : allow.split(":")) {
        String v = req.envVars().get(name.trim());
        if (v != null) {
          vars.put(name.trim(), v);
        }
      }
    }
    vars.keySet().removeIf(k -> k.startsWith(ENV_PREFIX) || k.isEmpty());
    return vars;
  }

}
