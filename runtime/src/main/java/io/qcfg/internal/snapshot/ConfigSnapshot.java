package io.qcfg.internal.snapshot;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import io.qcfg.Origin;
import io.qcfg.QcfgException;
import io.qcfg.Snapshot;
import io.qcfg.internal.bind.ValueConverter;
import io.qcfg.internal.tree.LayerKind;
import io.qcfg.internal.tree.ConfigPaths;
import io.qcfg.internal.tree.Leaves;
import io.qcfg.internal.tree.Origins;
import java.lang.reflect.Type;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The one {@link Snapshot} implementation: an immutable resolved Typesafe tree plus metadata.
 *
 * <p>Concurrency: the tree is immutable. Lookups need no cache: the leaf map ({@link TreeIndex},
 * built in the same walk as the checksum) holds each leaf with its value unwrapped once, so
 * {@code getInt} is one hash lookup; other conversions are memoised in the {@link Leaf} (a pure
 * conversion, so a race only converts twice) and carry over to the next snapshot for leaves
 * that did not change. The leaf map of a snapshot built elsewhere (history) is built on first
 * use; two threads may both build it, which is harmless.
 */
public final class ConfigSnapshot implements Snapshot {
  public static final String REDACTED = "<redacted>";

  private final Lazy config; // built from the leaves on first use when read from a start tree
  private final Provenance provenance;
  private final Map<String, LayerKind> layerOf;
  private final Predicate<String> secret;
  private final Set<String> encryptedPaths;
  private final Set<String> secretLayerPaths;
  private final Lazy sealedTree;

  private volatile LeafTable leaves;
  private volatile Set<String> paths;
  private volatile List<String> secretLeaves; // computed on first use, or given by the reader
  // The secret leaves' paths as the build's index found them, or null (isSecretLeaf).
  private volatile Set<String> secretLeafSet;
  // sealedJson() being rendered on a thread of its own (renderSealedAhead), or null.
  private volatile java.util.concurrent.FutureTask<String> sealedAhead;
  // sealedJson() as the build's TreeIndex wrote it beside the checksum, or null.
  private volatile String sealedWritten;
  // The leaves that are no secret but hold one, as the build's TreeIndex found them, or null.
  private volatile Set<String> holdingSecrets;

  public ConfigSnapshot(
      Config config,
      Provenance provenance,
      Map<String, LayerKind> layerOf,
      Predicate<String> secret,
      Set<String> encryptedPaths,
      Set<String> secretLayerPaths,
      Config sealedTree) {
    this(config, provenance, layerOf, secret, encryptedPaths, secretLayerPaths, sealedTree, null);
  }

  /** As above, with the leaves of {@link TreeIndex#leaves()} already collected from the tree. */
  public ConfigSnapshot(
      Config config,
      Provenance provenance,
      Map<String, LayerKind> layerOf,
      Predicate<String> secret,
      Set<String> encryptedPaths,
      Set<String> secretLayerPaths,
      Config sealedTree,
      Map<String, Leaf> leaves) {
    this(new Lazy(config, null), provenance, layerOf, secret, encryptedPaths, secretLayerPaths,
        new Lazy(sealedTree, null), leaves);
  }

  /**
   * A snapshot whose Typesafe trees are made on first use (the fast restart's {@link
   * StartTreeReader}): {@code leaves} hold every leaf value, and the suppliers build trees of
   * those very value objects.
   */
  ConfigSnapshot(
      java.util.function.Supplier<Config> config,
      Provenance provenance,
      Map<String, LayerKind> layerOf,
      Predicate<String> secret,
      Set<String> encryptedPaths,
      Set<String> secretLayerPaths,
      java.util.function.Supplier<Config> sealedTree,
      Map<String, Leaf> leaves) {
    this(new Lazy(null, config), provenance, layerOf, secret, encryptedPaths, secretLayerPaths,
        new Lazy(null, sealedTree), java.util.Objects.requireNonNull(leaves));
  }

  private ConfigSnapshot(
      Lazy config,
      Provenance provenance,
      Map<String, LayerKind> layerOf,
      Predicate<String> secret,
      Set<String> encryptedPaths,
      Set<String> secretLayerPaths,
      Lazy sealedTree,
      Map<String, Leaf> leaves) {
    this.leaves = leaves == null ? null : LeafTable.copyOf(leaves);
    this.config = config;
    this.provenance = java.util.Objects.requireNonNull(provenance);
    this.layerOf = layerOf;
    this.secret = secret;
    this.encryptedPaths = Set.copyOf(encryptedPaths);
    this.secretLayerPaths = Set.copyOf(secretLayerPaths);
    this.sealedTree = sealedTree;
  }

  /** The same tree and provenance under another version, time and cause. */
  public ConfigSnapshot withVersion(long newVersion, Instant at, String newCause) {
    ConfigSnapshot s = new ConfigSnapshot(config, provenance.as(newVersion, at, newCause), layerOf,
        secret, encryptedPaths, secretLayerPaths, sealedTree, leaves());
    s.secretLeaves = secretLeaves; // the same leaves under the same rule
    s.sealedWritten = sealedWritten; // the same tree, the same secrets
    s.holdingSecrets = holdingSecrets;
    s.secretLeafSet = secretLeafSet;
    return s;
  }

  // Other spellings of leaf paths ("a"."b" for a.b) seen by lookups, to the canonical spelling
  // the leaf map holds. JVM-wide, not per snapshot: the canonical spelling is a function of the
  // spelling alone, so a reload never makes readers parse them again (issue 19 item 4).
  // Bounded: spellings come from application code; only spellings of existing leaves are kept.
  private static final java.util.concurrent.ConcurrentHashMap<String, String> SPELLINGS =
      new java.util.concurrent.ConcurrentHashMap<>();

  private Leaf leaf(String path) {
    LeafTable all = leaves();
    Leaf leaf = all.leaf(path);
    if (leaf != null) {
      return leaf;
    }
    String canonical = SPELLINGS.get(path);
    if (canonical != null) {
      return all.leaf(canonical);
    }
    if (SPELLINGS.size() >= 10_000) {
      return null;
    }
    try {
      StringBuilder sb = new StringBuilder();
      for (String key : com.typesafe.config.ConfigUtil.splitPath(path)) {
        sb.append(sb.length() == 0 ? "" : ".").append(ConfigPaths.quote(key));
      }
      canonical = sb.toString();
    } catch (ConfigException e) {
      return null; // not a path: the slow way reports it
    }
    leaf = all.leaf(canonical);
    if (leaf != null) {
      SPELLINGS.put(path, canonical);
    }
    return leaf;
  }

  /** Leaf path to leaf; internal (the next build carries memoised conversions over). */
  public LeafTable leaves() {
    LeafTable m = leaves;
    if (m == null) {
      Map<String, Leaf> all = new java.util.HashMap<>();
      Leaves.collectLeaves(config().root(), "", (path, v) -> all.put(path, new Leaf(v)));
      m = LeafTable.copyOf(all);
      leaves = m;
    }
    return m;
  }

  /**
   * The tree as it may be written to disk (history, start-up fallback): ENC[...] values stay
   * ciphertext, every other secret value is replaced by {@link #SEALED}, so no plaintext secret
   * ever reaches the state directory. Canonical JSON.
   */
  public String sealedJson() {
    String written = sealedWritten;
    if (written != null) {
      return written;
    }
    java.util.concurrent.FutureTask<String> ahead = sealedAhead;
    if (ahead != null) {
      try {
        return ahead.get();
      } catch (java.util.concurrent.ExecutionException e) {
        // rendered here below, where a failure reaches the caller
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return renderSealed();
  }

  private String renderSealed() {
    return Canonical.render(Canonical.sealed(sealedTree.get().root(), "", secret, encryptedPaths));
  }

  /**
   * Keeps what the build's one walk ({@link TreeIndex}) found about this candidate's tree, so that
   * nothing walks it again before it is recorded (issue 16): only by the build that made this
   * snapshot, before it is seen.
   * <ul>
   *   <li>the paths of the secret leaves, under the rule this snapshot was made with: {@link
   *       #isSecretLeaf} answers from a set;
   *   <li>the leaves that are no secret but hold one ({@link #leavesHoldingSecrets});
   *   <li>when {@code sealable} (the sealed tree is this tree, and no value is encrypted), the
   *       sealed text that {@link #sealedJson()} would render (the differential TreeIndexTest
   *       keeps the two equal); null from a walk that reused subtrees, which leaves it to the
   *       render.
   * </ul>
   */
  public ConfigSnapshot indexed(TreeIndex index, boolean sealable) {
    secretLeafSet = new java.util.HashSet<>(index.secretLeaves());
    holdingSecrets = index.leavesHoldingSecrets();
    sealedWritten = sealable ? index.sealedJson() : null;
    return this;
  }

  /** Whether {@link #sealedJson()} is known without a render (see {@link #indexed}). */
  public boolean sealedJsonKnown() {
    return sealedWritten != null;
  }

  /**
   * The leaves that are no secret but hold one inside (a list with {@code servers.0.password}),
   * as the build's walk found them; null when not known ({@link Canonical#holdsSecret} asks).
   */
  public Set<String> leavesHoldingSecrets() {
    return holdingSecrets;
  }

  /**
   * Starts rendering {@link #sealedJson()} on a thread of its own ({@code qcfg-seal}, a daemon),
   * which it then waits for: the first start's candidate, whose history check needs it right
   * after the validation that runs meanwhile on the applier, while the other core is idle
   * (issue 16). Everything it reads is immutable.
   */
  public void renderSealedAhead() {
    java.util.concurrent.FutureTask<String> task =
        new java.util.concurrent.FutureTask<>(this::renderSealed);
    Thread t = new Thread(task, "qcfg-seal");
    t.setDaemon(true);
    sealedAhead = task;
    try {
      t.start();
    } catch (RuntimeException | OutOfMemoryError e) { // no thread: rendered in line
      sealedAhead = null;
    }
  }

  /**
   * Whether {@link #renderSealedAhead} started a render of this snapshot (for tests: only the
   * first start's candidate is rendered ahead, never a reload's).
   */
  public boolean sealedRenderedAhead() {
    return sealedAhead != null;
  }

  /** The placeholder of a plaintext secret in {@link #sealedJson()}. */
  public static final String SEALED = "<qcfg:sealed-secret>";

  /** The underlying tree. Internal: never hand it to users (it is a relocated type in qcfg.jar). */
  public Config config() {
    return config.get();
  }

  /** Whether the Typesafe tree exists yet (for tests: a fast restart's lookups need none). */
  boolean treeBuilt() {
    return config.value != null;
  }

  /**
   * A tree given, or made on first use without a lock (readers never block): two readers racing
   * both build it from the same leaf value objects and the first to publish wins, so every caller
   * gets the same immutable object and a leaf's value is the tree's value object.
   */
  private static final class Lazy {
    private static final java.lang.invoke.VarHandle VALUE;

    static {
      try {
        VALUE = java.lang.invoke.MethodHandles.lookup()
            .findVarHandle(Lazy.class, "value", Config.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    private volatile Config value;
    private final java.util.function.Supplier<Config> source; // pure: may run more than once

    Lazy(Config value, java.util.function.Supplier<Config> source) {
      this.value = value;
      this.source = source;
    }

    Config get() {
      Config v = value;
      if (v == null) {
        Config built = source.get();
        v = (Config) VALUE.compareAndExchange(this, null, built);
        if (v == null) {
          v = built;
        }
      }
      return v;
    }
  }

  public Map<String, LayerKind> layerOf() {
    return layerOf;
  }

  public Set<String> encryptedPaths() {
    return encryptedPaths;
  }

  public Set<String> secretLayerPaths() {
    return secretLayerPaths;
  }

  public Predicate<String> secretRule() {
    return secret;
  }

  /** Version, checksum, environment, time and cause: what history records of this snapshot. */
  public Provenance provenance() {
    return provenance;
  }

  @Override
  public long version() {
    return provenance.version();
  }

  @Override
  public String checksum() {
    return provenance.checksum();
  }

  @Override
  public String environment() {
    return provenance.environment();
  }

  @Override
  public String environmentSource() {
    return provenance.environmentSource();
  }

  @Override
  public Instant createdAt() {
    return provenance.createdAt();
  }

  @Override
  public String cause() {
    return provenance.cause();
  }

  @Override
  public boolean hasPath(String path) {
    Leaf leaf = leaves().leaf(path); // a leaf of the canonical spelling: no tree needed
    if (leaf != null) {
      return !leaf.isNull(); // as Typesafe says for a null
    }
    try {
      return config().hasPath(path);
    } catch (ConfigException.BadPath e) {
      return false;
    }
  }

  @Override
  public int getInt(String path) {
    Leaf leaf = leaf(path);
    if (leaf != null && leaf.plain() instanceof Integer i) {
      return i;
    }
    return (Integer) convert(path, int.class);
  }

  @Override
  public long getLong(String path) {
    Leaf leaf = leaf(path);
    if (leaf != null && (leaf.plain() instanceof Long || leaf.plain() instanceof Integer)) {
      return ((Number) leaf.plain()).longValue();
    }
    return (Long) convert(path, long.class);
  }

  @Override
  public double getDouble(String path) {
    Leaf leaf = leaf(path);
    if (leaf != null && (leaf.plain() instanceof Double || leaf.plain() instanceof Integer
        || leaf.plain() instanceof Long)) {
      return ((Number) leaf.plain()).doubleValue();
    }
    return (Double) convert(path, double.class);
  }

  @Override
  public boolean getBoolean(String path) {
    Leaf leaf = leaf(path);
    if (leaf != null && leaf.plain() instanceof Boolean b) {
      return b;
    }
    return (Boolean) convert(path, boolean.class);
  }

  @Override
  public String getString(String path) {
    Leaf leaf = leaf(path);
    if (leaf != null && leaf.plain() instanceof String s) {
      return s;
    }
    return (String) convert(path, String.class);
  }

  @Override
  public Duration getDuration(String path) {
    return (Duration) typed(path, Duration.class);
  }

  @Override
  @SuppressWarnings("unchecked")
  public List<String> getStringList(String path) {
    return (List<String>) get(path, (Type) new ParameterizedListOfString());
  }

  @Override
  public <T> T get(String path, Class<T> type) {
    Object v = typed(path, type);
    if (type.isPrimitive()) {
      @SuppressWarnings("unchecked")
      T t = (T) v;
      return t;
    }
    return type.cast(v);
  }

  @Override
  public Object get(String path, Type type) {
    return typed(path, type);
  }

  /** The conversion memoised in the leaf (the last type asked for); objects are not memoised. */
  private Object typed(String path, Type type) {
    Leaf leaf = leaf(path);
    Object v = leaf == null ? null : leaf.memo(type);
    if (v == null) {
      v = convert(path, type);
      if (leaf != null && v != null && !ValueConverter.isMutable(type)) {
        leaf.memoise(type, v); // a bean is built anew for each caller
      }
    }
    return v;
  }

  /** Converts the value at {@code path} without caching; null-valued paths give null. */
  public Object convert(String path, Type type) {
    ConfigValue value = valueAt(path);
    String location = origin(path).map(Origin::location).orElse("(merged configuration)");
    try {
      return ValueConverter.convert(value, type, path, location);
    } catch (QcfgException.WrongType e) {
      if (isSecret(path)) {
        throw new QcfgException.WrongType(
            location, path, "a value of type " + type.getTypeName(), REDACTED + " (a secret)");
      }
      throw e;
    }
  }

  /** The raw value at a path; throws {@link QcfgException.Missing} if absent. */
  public ConfigValue valueAt(String path) {
    Leaf leaf = leaves().leaf(path); // the very object the tree holds there
    if (leaf != null) {
      return !leaf.isNull() ? leaf.value()
          : ConfigValueFactory.fromAnyRef(null); // what the tree's null gives below
    }
    Config config = config();
    try {
      if (!config.hasPathOrNull(path)) {
        throw new QcfgException.Missing("(merged configuration)", path);
      }
      return config.getValue(path);
    } catch (ConfigException.BadPath e) {
      throw new QcfgException.Missing("(invalid path)", path);
    } catch (ConfigException.Null e) {
      return ConfigValueFactory.fromAnyRef(null);
    }
  }

  @Override
  public Snapshot subtree(String path) {
    return SubtreeSnapshot.of(this, path);
  }

  @Override
  public Optional<Origin> origin(String path) {
    Leaf leaf = leaves().leaf(path);
    if (leaf != null) { // a null has no origin, as below
      return leaf.isNull() ? Optional.empty()
          : Optional.of(Origins.originOf(leaf.value().origin(), layerOf));
    }
    Config config = config();
    try {
      if (!config.hasPathOrNull(path)) {
        return Optional.empty();
      }
      ConfigValue v = config.hasPath(path) ? config.getValue(path) : null;
      if (v == null) {
        return Optional.empty();
      }
      return Optional.of(Origins.originOf(v.origin(), layerOf));
    } catch (ConfigException e) {
      return Optional.empty();
    }
  }

  /**
   * How many settings (leaves) it has, as {@code paths().size()} without sorting them: the start-up
   * log says it right after the publish, before an exit may end the JVM, and sorting 10,000 paths
   * cold there kept the JIT compiling at the exit (issue 16).
   */
  public int settingCount() {
    return leaves().size();
  }

  @Override
  public Set<String> paths() {
    Set<String> p = paths;
    if (p == null) {
      p = Collections.unmodifiableSet(new TreeSet<>(leaves().keySet()));
      paths = p;
    }
    return p;
  }

  /**
   * The paths of the leaves {@link #isSecret} marks. A start tree's snapshot knows them from its
   * file (the fast restart then asks no secret rule about every leaf); others test each leaf once.
   */
  public List<String> secretLeaves() {
    List<String> s = secretLeaves;
    if (s == null) {
      s = paths().stream().filter(this::isSecret).toList();
      secretLeaves = s;
    }
    return s;
  }

  /** Gives {@link #secretLeaves}: only by the reader that made this snapshot, before it is seen. */
  ConfigSnapshot knownSecretLeaves(List<String> paths) {
    secretLeaves = List.copyOf(paths);
    return this;
  }

  /**
   * {@link #isSecret} of a leaf's path (as {@link #paths()} spells it): from the set the build's
   * index found when it gave one ({@link #indexed}), else from the rule. The start
   * tree's writer asks it of every leaf, on a short-lived JVM's exit path: the rule cuts each path
   * into segments (issue 16).
   */
  public boolean isSecretLeaf(String leafPath) {
    Set<String> known = secretLeafSet;
    return known != null ? known.contains(leafPath) : isSecret(leafPath);
  }

  @Override
  public boolean isSecret(String path) {
    return secret.test(path); // the rule already covers parents of secret leaves
  }

  @Override
  public String describe(String path) {
    ConfigValue v = valueAt(path);
    if (isSecret(path) && v.valueType() != ConfigValueType.OBJECT) {
      return REDACTED;
    }
    return Canonical.redacted(v, path, secret).render(ConfigRenderOptions.concise().setJson(false));
  }

  @Override
  public String render(boolean json) {
    ConfigRenderOptions opts =
        json
            ? ConfigRenderOptions.concise().setFormatted(true)
            : ConfigRenderOptions.defaults().setOriginComments(false).setJson(false);
    return Canonical.redacted(config().root(), "", secret).render(opts);
  }

  /** Never shows a value: values may be secrets. */
  @Override
  public String toString() {
    return "Snapshot{version=" + version() + ", environment=" + environment() + ", checksum="
        + checksum().substring(0, Math.min(12, checksum().length())) + ", cause=" + cause() + "}";
  }

  /** {@code List<String>} as a {@link java.lang.reflect.ParameterizedType}. */
  private static final class ParameterizedListOfString implements java.lang.reflect.ParameterizedType {
    @Override
    public Type[] getActualTypeArguments() {
      return new Type[] {String.class};
    }

    @Override
    public Type getRawType() {
      return List.class;
    }

    @Override
    public Type getOwnerType() {
      return null;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ParameterizedListOfString;
    }

    @Override
    public int hashCode() {
      return 31;
    }
  }
}
