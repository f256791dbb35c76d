package io.qcfg.internal;

import io.qcfg.Problem;
import io.qcfg.QcfgException;
import io.qcfg.internal.bind.FieldBinder;
import io.qcfg.internal.layer.Environment;
import io.qcfg.internal.layer.LayerFileReader;
import io.qcfg.internal.layer.LayerStack;
import io.qcfg.internal.layer.LoadedConfig;
import io.qcfg.internal.snapshot.ConfigSnapshot;
import io.qcfg.internal.snapshot.Provenance;
import io.qcfg.internal.snapshot.IndexMemo;
import io.qcfg.internal.snapshot.Leaf;
import io.qcfg.internal.snapshot.TreeIndex;
import io.qcfg.internal.tree.Origins;
import io.qcfg.internal.validate.DeclarativeRules;
import io.qcfg.internal.validate.RuleRunner;
import io.qcfg.internal.validate.SchemaValidator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Predicate;
import com.typesafe.config.Config;
import io.qcfg.internal.crypto.ChecksumKey;
import io.qcfg.internal.crypto.ConfigDecryptor;
import io.qcfg.internal.crypto.EncFreeSubtrees;
import io.qcfg.internal.crypto.ForeignText;
import io.qcfg.internal.crypto.KeyRing;
import io.qcfg.internal.crypto.SecretPaths;
import io.qcfg.internal.crypto.DirectorySigner;
import io.qcfg.internal.migrate.MigrationPlan;
import java.nio.file.Files;
import io.qcfg.internal.log.StartupTrace;

/**
 * The whole way from files to a validated candidate snapshot: read and parse every layer, merge,
 * resolve, decrypt, migrate, validate against the schema, the declarative rules and the user's
 * rule classes, and check that every bound field converts. Nothing is applied here; a candidate
 * that fails any step throws {@link QcfgException.Invalid} with every problem found.
 *
 * <p>Used by the running agent and by the CLI alike, so that {@code qcfg validate} says exactly
 * what a running JVM would say.
 */
public final class Pipeline {
  private final LayerStack layers;
  private final SchemaValidator schemas;
  private final RuleRunner rules;
  private final QcfgOptions options;
  private final Decryption decryption;

  /**
   * What a build does with {@code ENC[...]} values when no key is configured.
   *
   * <ul>
   *   <li>{@code STRICT}: each one is a problem (QCFG-4020): a JVM never runs on ciphertext.
   *   <li>{@code OPAQUE_WITHOUT_KEY}: each one is checked for shape, format version and key id
   *       and otherwise kept as an opaque (secret) string; the schema's value rules are not
   *       applied to it (they concern the plaintext). For the offline CLI, so that CI can validate
   *       and render production without the production key. With a key, decryption is strict.
   * </ul>
   */
  public enum Decryption {
    STRICT,
    OPAQUE_WITHOUT_KEY
  }

  public Pipeline(QcfgOptions options, ClassLoader appLoader,
      LayerStack.TemplateLayers templates) {
    this(options, appLoader, templates, Decryption.STRICT);
  }

  /** A pipeline with the given handling of {@code ENC[...]} values when no key is configured. */
  public Pipeline(QcfgOptions options, ClassLoader appLoader,
      LayerStack.TemplateLayers templates, Decryption decryption) {
    this(options, appLoader, templates, decryption, reader(options));
  }

  /**
   * As above, parsing through {@code reader} (from {@link #reader}): a reader that already read
   * the secret layer ({@link #secretLayerAlone}) hands its parses on, so the build does not parse
   * those files again.
   */
  public Pipeline(QcfgOptions options, ClassLoader appLoader,
      LayerStack.TemplateLayers templates, Decryption decryption, LayerFileReader reader) {
    this.decryption = decryption;
    LayerStack.TemplateLayers layerTemplates = templates;
    if (layerTemplates == null) {
      layerTemplates =
          (dir, file, env, vars) ->
              new io.qcfg.internal.template.TemplateRenderer(Path.of("").toAbsolutePath())
                  .renderLayer(dir, file, env, vars);
    }
    this.layers = new LayerStack(reader, layerTemplates);
    this.schemas = new SchemaValidator(reader::readText);
    this.rules = new RuleRunner(appLoader);
    this.options = options;
  }

  /** A layer file reader with the limits of {@code options}; its parse cache is thread-safe. */
  public static LayerFileReader reader(QcfgOptions options) {
    return LayerReads.reader(options);
  }

  /**
   * The key ring for ENC[...] values: the {@code key} option names a key file; {@code QCFG_KEY}
   * may name a file or hold the key ring text itself. Null when none is configured.
   */
  private KeyRing keyRing(List<Problem> problems) {
    Path key = options.key();
    if (key == null) {
      return null;
    }
    try {
      String raw = System.getenv("QCFG_KEY");
      if (!Files.exists(key) && raw != null && raw.contains(":")) {
        return KeyRing.parse(raw, "QCFG_KEY"); // the raw text: a Path would fold "//" in base64
      }
      return KeyRing.load(key);
    } catch (QcfgException.Invalid e) {
      problems.addAll(e.problems());
      return null;
    }
  }

  private volatile boolean sealNextAhead;

  /**
   * The next build renders its candidate's sealed tree beside its validation ({@link
   * ConfigSnapshot#renderSealedAhead}): for the first start, whose history check needs it next.
   */
  public void sealNextAhead() {
    sealNextAhead = true;
  }

  /** The highest signature sequence accepted so far: an older signed directory is a replay. */
  private long minSignatureSequence = -1;

  /**
   * With {@code verify=required} (or {@code auto} in production with a public key), every layer
   * file must be covered by a valid signature of {@code public-key}: an unsigned, changed, added
   * or removed file makes the candidate invalid, and so does replaying an older signed
   * directory. (A rollback re-applies a snapshot from history and does not read the files.)
   */
  private synchronized void verifySignature(Path dir, Environment env) {
    boolean required =
        options.verify().equals("required")
            || (options.verify().equals("auto") && options.publicKey() != null
                && env.isProduction());
    if (!required) {
      return;
    }
    if (options.publicKey() == null) {
      throw new QcfgException.Invalid(new Problem("QCFG-1701", "option verify", "",
          "verify=required needs the public-key option (an Ed25519 public key file)"));
    }
    java.security.PublicKey key;
    try {
      key = DirectorySigner.readPublic(options.publicKey());
    } catch (QcfgException.Invalid e) {
      throw e;
    }
    Path seqFile = options.state().resolve("signature-sequence");
    if (minSignatureSequence < 0) {
      try {
        minSignatureSequence =
            Files.exists(seqFile) ? Long.parseLong(Files.readString(seqFile).trim()) : 0;
      } catch (java.io.IOException | NumberFormatException e) {
        minSignatureSequence = 0;
      }
    }
    DirectorySigner.Verification v = DirectorySigner.verify(dir, key, minSignatureSequence);
    if (!v.ok()) {
      throw new QcfgException.Invalid(v.problems());
    }
    if (v.sequence() > minSignatureSequence) {
      minSignatureSequence = v.sequence();
      try {
        Files.createDirectories(options.state());
        io.qcfg.internal.history.DurableFiles.replace(
            seqFile, Long.toString(v.sequence()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      } catch (java.io.IOException e) {
        io.qcfg.internal.log.Log.warnOnce("sigseq", "QCFG-1702: cannot record the signature"
            + " sequence in " + options.state() + ": " + ForeignText.describe(e));
      }
    }
  }

  /**
   * Brings an old config format up to the one the application needs: the {@code format} option,
   * else {@code qcfg.format-required} (from the application's {@code reference.conf}). In
   * memory only; values keep their origins. No declared need: no migration.
   */
  private Config migrate(Config tree, Path dir) {
    int target = options.format();
    if (target <= 0 && tree.hasPath("qcfg.format-required")) {
      try {
        target = tree.getInt("qcfg.format-required");
      } catch (com.typesafe.config.ConfigException e) {
        throw new QcfgException.Invalid(
            new Problem("QCFG-1401", Origins.location(
                tree.getValue("qcfg.format-required").origin()), "qcfg.format-required",
                "expected a whole number"));
      }
    }
    if (target <= 0) {
      return tree;
    }
    return MigrationPlan.load(dir).migrate(tree, target);
  }

  /** The secret layer of {@code dir} alone (for secrets that history keeps sealed). */
  public Config secretLayer(Path dir) {
    return layers.secretLayer(dir);
  }

  /**
   * The secret layer of {@code options.dir()}, read as {@link #secretLayer} reads it but without
   * making a pipeline (issue 16): a fast restart re-reads the secrets before its publish and needs
   * none of the rest (schema validator, rule runner, templates), and a short-lived JVM then never
   * makes one. Files in {@link io.qcfg.internal.layer.PlainHocon}'s subset are read without
   * Typesafe's parser and not cached (the full build after the publish reads them again, as it
   * reads every layer file: plain first); the others are parsed by {@code reader}, and a
   * pipeline made later with it reuses those parses (files unchanged).
   */
  public static Config secretLayerAlone(QcfgOptions options, LayerFileReader reader) {
    return LayerReads.secretFilesAlone(options, reader, c -> { }).merged();
  }

  /**
   * Builds a candidate (version 0, not yet applied) with no bound fields to check.
   *
   * @throws QcfgException.Invalid with every problem of the candidate
   */
  public ConfigSnapshot build(LayerStack.Request in) {
    return build(in, FieldBinder.BoundFields.NONE);
  }

  /**
   * Builds a candidate that every field in {@code bound} can bind to.
   *
   * @throws QcfgException.Invalid with every problem of the candidate
   */
  public ConfigSnapshot build(LayerStack.Request in, FieldBinder.BoundFields bound) {
    verifySignature(in.dir(), in.environment());
    // Known before parsing, so that a failed parse or resolve cannot show them.
    ForeignText.rememberEnvironment(in.envVars());
    // Every file parses on parser threads, the secret files too (issue 19: their parse was a
    // serial step of every cold build); load redoes a failed one, secrets known.
    LayerStack.Prefetch prefetch = layers.prefetch(in);
    ForeignText.rememberAllLeavesOf(layers.secretLayer(in.dir(), prefetch));
    List<Problem> keyProblems = new ArrayList<>();
    KeyRing ring = keyRing(keyProblems);
    ConfigDecryptor.Early[] early = {null};
    try {
      // ENC values are decrypted at their own paths before the one resolve, so that a
      // substitution copies or concatenates the plaintext (issue 13 item 6); history is sealed
      // with the ciphertexts kept here.
      long t = StartupTrace.begin();
      LoadedConfig loaded = layers.load(in, merged -> {
        early[0] = ConfigDecryptor.decryptBeforeResolve(
            merged, ring, Origins::location);
        ForeignText.remember(early[0].plaintexts()); // a failed resolve cannot show them
        return early[0].config();
      }, prefetch);
      StartupTrace.end("layers (read, parse, merge, resolve)", t);
      ConfigSnapshot built = fromLoaded(loaded, in.dir(), early[0], bound, true, null);
      SecretRuleMemo rule = lastRule;
      @SuppressWarnings("unchecked") // inputs are (secret layer, encrypted, schema patterns)
      List<String> patterns = rule == null ? List.of() : (List<String>) rule.inputs().get(2);
      lastReferences = new References(built.checksum(), Set.copyOf(loaded.references()),
          patterns);
      return built;
    } catch (QcfgException.Invalid e) {
      throw withMissingBase(e, in.dir());
    }
  }

  /**
   * The substitution references of the build that gave {@code checksum}, and the secret patterns
   * its {@code schema.json} declared (the fast start keeps them: no schema read on its path).
   */
  public record References(String checksum, Set<String> names, List<String> secretPatterns) {
    public References {
      secretPatterns = List.copyOf(secretPatterns);
    }
  }

  private volatile References lastReferences; // written by the building thread

  /**
   * The names the last successful build's substitutions refer to (which environment variables
   * it could have read), with the checksum of its candidate; null before one.
   */
  public References lastReferences() {
    return lastReferences;
  }

  /**
   * A failure while the base file is gone (deleted, renamed) names that file first: the problems
   * other layers report (a substitution of a value it defined) follow from it. A configuration
   * without a base file that is otherwise valid stays valid.
   */
  private static QcfgException.Invalid withMissingBase(QcfgException.Invalid e, Path dir) {
    Path base = dir.resolve("application.conf");
    Path template = dir.resolve("application.conf.peb");
    if (Files.exists(base) || Files.exists(template) || !Files.isDirectory(dir)
        || e.problems().stream().anyMatch(p -> p.id().equals("QCFG-1012"))) {
      return e; // present, or "no configuration found" already says it
    }
    List<Problem> problems = new ArrayList<>();
    problems.add(new Problem("QCFG-1040", Origins.display(base), "",
        "the base layer file does not exist (deleted or renamed?); the problems after this one"
            + " may follow from it"));
    problems.addAll(e.problems());
    return new QcfgException.Invalid(problems);
  }

  // The leaves of the last build: their memoised conversions carry over to equal leaves of the
  // next snapshot, so readers do not start cold after a reload. Written by the building thread.
  private volatile Map<String, Leaf> lastLeaves;
  private volatile IndexMemo lastIndex; // the building thread's, as lastLeaves

  // The last secret rule, the inputs it was made from (compared by value) and the same rule with
  // the secret leaves of the tree: immutable, so a build with equal inputs takes them as they are
  // instead of splitting every secret path again. The building thread's, as lastLeaves.
  private record SecretRuleMemo(List<Object> inputs, SecretPaths rule, List<String> leaves,
      SecretPaths withLeaves) {}

  private volatile SecretRuleMemo lastRule;

  // The subtrees of the last build's tree that hold no "ENC[": a reload walks only new objects.
  private final EncFreeSubtrees encFree = new EncFreeSubtrees();

  private SecretPaths secretPathsFor(List<Object> inputs, Set<String> secretLayer,
      Set<String> encrypted, SchemaValidator.Pending schemaFile) {
    SecretRuleMemo last = lastRule;
    return last != null && last.inputs().equals(inputs) ? last.rule()
        : SecretPaths.of(secretLayer, encrypted, schemaFile.secretPatterns());
  }

  // The last tree the schema passed: the schema (by identity: one object per schema text in the
  // JVM-wide cache) and the tree's checksum. A rebuild that gives the same tree under the same
  // schema (a touch, a re-save, an unrelated file, an explicit reload) skips everit: its verdict
  // is a function of the two. Only a pass is remembered; a failing tree is validated again, to
  // report its problems. Written by the building thread.
  private record SchemaPass(Object schema, String checksum) {
    boolean covers(Object otherSchema, String otherChecksum) {
      return schema == otherSchema && checksum.equals(otherChecksum);
    }
  }

  private volatile SchemaPass lastSchemaPass;
  long schemaValidations; // building thread; read by tests
  long lastReusedSubtrees; // building thread; read by tests

  /** Whether the last build merged only the changed paths; for tests. */
  boolean lastMergeWasIncremental() {
    return layers.lastMergeWasIncremental();
  }

  /** Objects the last build's {@code ENC[} question walked (not known free of it); for tests. */
  long lastEncWalkedObjects() {
    return encFree.walkedObjects();
  }

  /** Schema validations settled by the quick check, without everit; for tests. */
  long schemaQuickPasses() {
    return schemas.quickPasses();
  }

  /** Objects everit validated afresh in the last schema validation; for tests. */
  long lastValidatedObjects() {
    return schemas.lastValidatedObjects();
  }

  /**
   * Decrypts, migrates and validates an already merged tree (from the layers, or from history
   * for a rollback or the start-up fallback) against the schema and rules in {@code dir}.
   */
  public ConfigSnapshot fromLoaded(LoadedConfig loaded, Path dir) {
    return fromLoaded(loaded, dir, FieldBinder.BoundFields.NONE);
  }

  /** {@link #fromLoaded(LoadedConfig, Path)}, also checking that every field in {@code bound} binds. */
  public ConfigSnapshot fromLoaded(LoadedConfig loaded, Path dir, FieldBinder.BoundFields bound) {
    return fromLoaded(loaded, dir, null, bound, true, null);
  }

  /**
   * The fast start (issue 16): a tree from history whose every input is unchanged since it was
   * validated, decrypted and indexed like any other, checked against the bound fields, but not
   * validated again against the schema and the rules (the full build that follows in the
   * background does that). Never for a tree whose inputs are not known to be unchanged.
   * {@code secretPatterns}: those of the unchanged {@code schema.json}, as kept with the
   * fingerprint; null reads the schema for them.
   *
   * @throws QcfgException.Invalid when it cannot be decrypted, indexed or bound
   */
  public ConfigSnapshot fromValidated(LoadedConfig loaded, Path dir, FieldBinder.BoundFields bound,
      List<String> secretPatterns) {
    return fromLoaded(loaded, dir, null, bound, false, secretPatterns);
  }

  private ConfigSnapshot fromLoaded(LoadedConfig loaded, Path dir, ConfigDecryptor.Early early,
      FieldBinder.BoundFields bound, boolean validate, List<String> knownPatterns) {
    Environment environment = loaded.environment();
    long t = StartupTrace.begin();
    Set<String> secretLayer = new java.util.TreeSet<>(loaded.secretLayerPaths());
    List<Problem> problems = new ArrayList<>();
    KeyRing ring = keyRing(problems);
    boolean opaque = ring == null && problems.isEmpty() && options.key() == null
        && decryption == Decryption.OPAQUE_WITHOUT_KEY;
    ConfigDecryptor.Result decrypted = opaque
        ? ConfigDecryptor.checkShapes(loaded.config(), Origins::location, encFree)
        : ConfigDecryptor.decrypt(loaded.config(), ring, Origins::location, encFree);
    problems.addAll(decrypted.problems());
    // Without a key a concatenation of an ENC value holds ciphertext; at run time it holds the
    // plaintext. Offline it is a secret made from a secret, not a problem.
    Set<String> undecrypted = new java.util.TreeSet<>();
    for (Problem p : ConfigDecryptor.embeddedCiphertexts(
        decrypted.config(), Origins::location, encFree)) {
      if (opaque) {
        undecrypted.add(p.path());
        secretLayer.add(p.path()); // made from a secret: redacted like one
      } else {
        problems.add(p);
      }
    }
    if (opaque) {
      undecrypted.addAll(decrypted.encryptedPaths());
    }
    ForeignText.remember(decrypted.ciphertexts());
    if (!problems.isEmpty()) {
      throw new QcfgException.Invalid(problems);
    }
    // Paths decrypted before the resolve: history keeps their ciphertext where the resolved
    // value is still that one; elsewhere their plaintext was copied and is sealed as derived.
    Set<String> encrypted = new java.util.TreeSet<>(decrypted.encryptedPaths());
    Config sealedTree = loaded.config();
    if (early != null) {
      for (var e : early.ciphertexts().entrySet()) {
        if (loaded.config().hasPath(e.getKey())
            && loaded.config().getValue(e.getKey()).origin().equals(e.getValue().origin())) {
          sealedTree = sealedTree.withValue(e.getKey(), e.getValue());
          encrypted.add(e.getKey());
        } else {
          secretLayer.add(e.getKey()); // a secret even where a substitution replaced it
        }
      }
    }
    Config tree = migrate(decrypted.config(), dir);
    StartupTrace.end("decrypt and migrate", t);
    t = StartupTrace.begin();
    // Read once per build: the schema validates the tree and marks secret paths. The paths come
    // first: the tree is indexed while another thread may still be loading the schema itself.
    SchemaValidator.Pending schemaFile = validate
        ? schemas.begin(dir.resolve("schema.json"), problems)
        : SchemaValidator.Pending.of(new SchemaValidator.Loaded(null, knownPatterns != null
            ? List.copyOf(knownPatterns) : schemas.secretPatterns(dir.resolve("schema.json"))));
    StartupTrace.end("schema (secret paths)", t);
    t = StartupTrace.begin();
    // Values made from a secret by substitution are secret too (issue 13 item 6).
    List<Object> secretRule = List.of(List.copyOf(secretLayer), List.copyOf(encrypted),
        schemaFile.secretPatterns());
    SecretPaths sources = secretPathsFor(secretRule, secretLayer, encrypted, schemaFile);
    Set<String> derived = io.qcfg.internal.layer.SecretDerivation.derived(
        loaded, sources::isSecret, SecretPaths::namesCredential);
    SecretPaths secretPaths = sources;
    if (!derived.isEmpty()) {
      secretLayer.addAll(derived);
      secretRule = List.of(List.copyOf(secretLayer), List.copyOf(encrypted),
          schemaFile.secretPatterns());
      secretPaths = secretPathsFor(secretRule, secretLayer, encrypted, schemaFile);
    }
    // One walk: leaves, secret leaves and values, the keyed checksum (secrets enter through a
    // keyed hash: the checksum is no oracle for guesses), 1e400 (it would silently be infinity),
    // and the org.json tree when there is a schema.
    // Subtrees the last build walked and that are still the same objects are taken from its
    // memo (issue 19 item 3), when the secret rule is made from the same inputs.
    TreeIndex index = TreeIndex.of(tree.root(), secretPaths,
        ChecksumKey.of(ring, options.state()), schemaFile.schemaExpected(), lastLeaves,
        lastIndex, secretRule);
    problems.addAll(index.nonFinite());
    StartupTrace.end("index and checksum", t);
    SecretRuleMemo known = lastRule;
    SecretPaths withLeaves =
        known != null && known.rule() == secretPaths && known.leaves().equals(index.secretLeaves())
            ? known.withLeaves() : secretPaths.withSecretLeaves(index.secretLeaves());
    lastRule = new SecretRuleMemo(secretRule, secretPaths, List.copyOf(index.secretLeaves()),
        withLeaves);
    Predicate<String> secret = withLeaves::isSecret;
    ForeignText.remember(index.secretValues());
    ConfigSnapshot candidate =
        new ConfigSnapshot(
            tree,
            Provenance.candidate(index.checksum(), environment.name(), environment.source()),
            loaded.layerOf(),
            secret,
            encrypted,
            secretLayer,
            sealedTree,
            index.leaves())
            .indexed(index, encrypted.isEmpty() && sealedTree.root() == tree.root());
    if (sealNextAhead) {
      sealNextAhead = false;
      if (!candidate.sealedJsonKnown()) { // the walk wrote it otherwise: nothing to render
        candidate.renderSealedAhead();
      }
    }
    lastLeaves = index.leaves();
    lastIndex = index.memo();
    lastReusedSubtrees = index.reusedSubtrees();

    t = StartupTrace.begin();
    SchemaValidator.Loaded schema = schemaFile.loaded();
    StartupTrace.end("schema (load, or wait for it)", t);
    t = StartupTrace.begin();
    if (schema.present()) {
      SchemaPass last = lastSchemaPass;
      if (last == null || !last.covers(schema, index.checksum())) {
        int before = problems.size();
        schemaValidations++;
        schemas.validate(schema, index.json(), candidate, problems);
        // The schema's value rules concern the plaintext, which an undecrypted value does not show.
        problems.removeIf(p -> p.id().equals("QCFG-1204") && undecrypted.contains(p.path()));
        lastSchemaPass = problems.size() == before && undecrypted.isEmpty()
            ? new SchemaPass(schema, index.checksum()) : null;
      }
    }
    StartupTrace.end("validation (schema)", t);
    t = StartupTrace.begin();
    if (validate) {
      List<DeclarativeRules.Rule> declared =
          DeclarativeRules.load(dir.resolve("rules.conf"), this::parseRules, problems);
      DeclarativeRules.check(declared, candidate, problems);
      rules.check(candidate, problems);
    }
    bound.check(candidate, problems);
    StartupTrace.end("validation (rules, bound fields)", t);
    if (!problems.isEmpty()) {
      throw new QcfgException.Invalid(problems);
    }
    return candidate;
  }

  /** {@code rules.conf} read as a layer file is: its directory is the root it may not leave. */
  private Config parseRules(Path file) throws java.io.IOException {
    return layers.reader().read(file, file.toAbsolutePath().getParent().toRealPath()).config();
  }
}
