package io.qcfg.internal.validate;

import io.qcfg.Problem;
import io.qcfg.Snapshot;
import io.qcfg.internal.crypto.ForeignText;
import io.qcfg.internal.crypto.SecretPaths;
import io.qcfg.internal.snapshot.ConfigSnapshot;
import io.qcfg.internal.tree.ConfigPaths;
import io.qcfg.internal.tree.Origins;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.everit.json.schema.Schema;
import org.everit.json.schema.SchemaException;
import org.everit.json.schema.loader.SchemaClient;
import org.everit.json.schema.loader.SchemaLoader;
import org.everit.json.schema.regexp.RE2JRegexpFactory;
import org.json.JSONException;
import org.json.JSONObject;
import org.json.JSONTokener;

/**
 * Validates a candidate against {@code schema.json} (JSON Schema draft-07) with
 * everit-json-schema.
 *
 * <p>A schema of the keywords configuration schemas use is built without everit's loader
 * ({@link DirectSchemas}); any other goes through it. Either is slow the first time (class
 * loading), so a loaded schema is cached by the SHA-256 of its text and reused until the file
 * changes. The loader never fetches
 * anything: its {@link SchemaClient} refuses every {@code $ref} to another document, and regular
 * expressions run on RE2J, whose matching time is linear, so a hostile {@code pattern} cannot
 * hang a reload.
 */
public final class SchemaValidator {
  private static final SchemaClient NO_FETCH =
      url -> {
        throw new SchemaException(
            "schema refers to " + url + ": qcfg never fetches schemas (keep it in one file)");
      };

  // JVM-wide, keyed by the schema text (keyOf): loading is slow (class loading, ~0.4 s the
  // first time) and a loaded schema is immutable, so every pipeline shares it until the text
  // changes.
  // An LRU map of 8 under its own lock (no Caffeine on the start-up path, issue 16).
  private static final java.util.Map<String, Loaded> SCHEMAS =
      java.util.Collections.synchronizedMap(
          new java.util.LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(java.util.Map.Entry<String, Loaded> eldest) {
              return size() > 8;
            }
          });

  /**
   * A loaded {@code schema.json}: its quick check (when {@link SchemaCheck} compiles it), the
   * everit schema (null when absent or broken; behind a quick check, built when first asked for)
   * and the path patterns it marks {@code x-secret} or {@code writeOnly}. Immutable but for that
   * one deferred build, which {@link #schema()} does under the object's lock.
   */
  public static final class Loaded {
    static final Loaded NONE = new Loaded(null, List.of());
    private final List<String> secretPatterns;
    private final SchemaCheck check;
    private final boolean present;
    private final String display; // the file, for a problem of the deferred build
    private Object raw; // the document, until everit's schema is built from it; guarded by this
    private Schema schema; // guarded by this

    /** {@code schema} (null: absent or broken) and the patterns it marks secret. */
    public Loaded(Schema schema, List<String> secretPatterns) {
      this.schema = schema;
      this.secretPatterns = secretPatterns;
      this.check = null;
      this.present = schema != null;
      this.display = null;
    }

    /** A document {@code check} answers for; everit's schema is built when first asked for. */
    private Loaded(Object raw, SchemaCheck check, List<String> secretPatterns, String display) {
      this.raw = raw;
      this.display = display;
      this.check = check;
      this.secretPatterns = secretPatterns;
      this.present = true;
    }

    /** The path patterns the schema marks {@code x-secret} or {@code writeOnly}. */
    public List<String> secretPatterns() {
      return secretPatterns;
    }

    /** Whether there is a schema to validate against (the file exists and loads). */
    public boolean present() {
      return present;
    }

    /** The quick check ({@link SchemaCheck}), or null: everit's schema alone. */
    public SchemaCheck check() {
      return check;
    }

    /**
     * everit's schema; null when absent or broken. Behind a quick check it is built at the first
     * call (issue 16): only a tree the check does not accept needs it.
     */
    public synchronized Schema schema() {
      if (raw != null) {
        Object document = raw;
        raw = null;
        try {
          schema = loadSchema(document);
        } catch (RuntimeException e) {
          schema = null; // SchemaCheck compiles only what the loader builds: not expected
        }
      }
      return schema;
    }
  }
  /**
   * Reads {@code schema.json} as text, within the limits and checks layer files get; throws
   * {@link io.qcfg.QcfgException.Invalid} naming the file ({@code display}) when it cannot.
   */
  @FunctionalInterface
  public interface TextSource {
    String read(Path file, String display);
  }

  private final TextSource reader;
  // Verdicts of the last validation per subtree (issue 19 item 3); the building thread's.
  // Made at the first validation: its class initialisation loads ~30 everit classes, which a
  // configuration without schema.json never needs before its first publish (issue 16).
  private volatile SubtreeValidation subtrees;

  private synchronized SubtreeValidation subtrees() {
    if (subtrees == null) {
      subtrees = new SubtreeValidation();
    }
    return subtrees;
  }

  public SchemaValidator(TextSource reader) {
    this.reader = reader;
  }

  // Loads under way, by the text (keyOf): a build that needs a schema the start-up is already
  // loading on its own thread waits for it instead of loading it twice. Its secret patterns are
  // known (or null: the JSON is broken) before everit's load, which takes most of the time.
  private record Loading(CompletableFuture<List<String>> patterns,
      CompletableFuture<Loaded> done) {}

  private static final java.util.concurrent.ConcurrentHashMap<String, Loading> LOADING =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * A schema as a build needs it (issue 16): first the paths it marks secret, which the tree's
   * index and checksum need, then the everit schema, which only validation needs. A first start
   * indexes its tree while {@code qcfg-schema} finishes everit's load. The building thread's.
   */
  public static final class Pending {
    private final List<String> secretPatterns;
    private final boolean schemaExpected;
    private Supplier<Loaded> rest; // null once loaded
    private Loaded loaded;

    private Pending(List<String> secretPatterns, boolean schemaExpected, Supplier<Loaded> rest) {
      this.secretPatterns = secretPatterns;
      this.schemaExpected = schemaExpected;
      this.rest = rest;
    }

    /** A schema already loaded (or absent, or broken). */
    public static Pending of(Loaded loaded) {
      Pending p = new Pending(loaded.secretPatterns(), loaded.present(), null);
      p.loaded = loaded;
      return p;
    }

    /** The path patterns the schema marks secret: the same as {@link #loaded()}'s. */
    public List<String> secretPatterns() {
      return secretPatterns;
    }

    /** Whether {@link #loaded()} will very likely hold a schema (its JSON is a schema document). */
    public boolean schemaExpected() {
      return schemaExpected;
    }

    /** The loaded schema, waiting for the thread that loads it; its problems go to the build's. */
    public Loaded loaded() {
      if (loaded == null) {
        loaded = rest.get();
        rest = null;
      }
      return loaded;
    }
  }

  /**
   * Starts loading {@code schemaFile} on a thread of its own ({@code qcfg-schema}, a daemon), so
   * that the first build finds it loaded, or being loaded, while the layers parse (issue 16).
   * Problems are not reported here: the build that needs the schema reports them.
   */
  public void prefetch(Path schemaFile) {
    if (!Files.exists(schemaFile)) {
      return;
    }
    Thread t = new Thread(() -> {
      try {
        long began = io.qcfg.internal.log.StartupTrace.begin();
        Loaded loaded = load(schemaFile, new java.util.ArrayList<>());
        io.qcfg.internal.log.StartupTrace.end("schema load (own thread)", began);
        if (loaded.check() == null && loaded.schema() != null) { // else everit waits for a no
          began = io.qcfg.internal.log.StartupTrace.begin();
          // while the layers parse, not on the applier's path
          SubtreeValidation.prepare(loaded.schema());
          SubtreeValidation.warmUp();
          io.qcfg.internal.log.StartupTrace.end("schema: prepare validation", began);
        }
      } catch (RuntimeException | LinkageError e) {
        // the build loads it again and reports what is wrong
      }
    }, "qcfg-schema");
    t.setDaemon(true);
    t.start();
  }

  /**
   * The paths {@code schemaFile} marks secret, without building the everit schema: for the fast
   * start (issue 16), which publishes a snapshot whose inputs were validated before.
   *
   * @throws io.qcfg.QcfgException.Invalid when the file cannot be read
   * @throws RuntimeException when it is not JSON (the caller then builds in full)
   */
  public List<String> secretPatterns(Path schemaFile) {
    if (!Files.exists(schemaFile)) {
      return List.of();
    }
    String text = reader.read(schemaFile, Origins.display(schemaFile));
    Loaded cached = SCHEMAS.get(keyOf(text));
    if (cached != null) {
      return cached.secretPatterns();
    }
    return io.qcfg.internal.crypto.SchemaSecretWalk.patterns(parseSchemaJson(text));
  }

  // Schemas are keyed by their text itself, not by its SHA-256 (issue 16): a first start hashed
  // its 65 KB schema.json on qcfg-schema before the publish only to look it up in an empty cache.
  // A lookup hashes the text with String.hashCode (kept in the String; the reader gives the same
  // String again while the file's bytes are unchanged) and compares it with the cached one, a
  // memory compare. The cache holds at most 8 texts, each beside its everit schema, which is
  // larger.
  private static String keyOf(String text) {
    return text;
  }

  /** Loads (or takes from cache) the schema file; {@link Loaded#NONE} when it does not exist. */
  public Loaded load(Path schemaFile, List<Problem> problems) {
    return begin(schemaFile, problems).loaded();
  }

  /**
   * {@link #load}, whose everit schema may still be loading on another thread when this returns:
   * its secret patterns are known. Problems reach {@code problems} by {@link Pending#loaded()}.
   */
  public Pending begin(Path schemaFile, List<Problem> problems) {
    if (!Files.exists(schemaFile)) {
      return Pending.of(Loaded.NONE);
    }
    String display = Origins.display(schemaFile);
    String text;
    try {
      text = reader.read(schemaFile, display);
    } catch (io.qcfg.QcfgException.Invalid e) {
      problems.addAll(e.problems());
      return Pending.of(Loaded.NONE);
    }
    String key = keyOf(text);
    Loaded cached = SCHEMAS.get(key);
    if (cached != null) {
      return Pending.of(cached);
    }
    Loading mine = new Loading(new CompletableFuture<>(), new CompletableFuture<>());
    Loading running = LOADING.putIfAbsent(key, mine);
    if (running != null) {
      Supplier<Loaded> rest = () -> {
        Loaded other = running.done().join(); // completed in a finally below
        return other.present() ? other : loadText(text, display, key, problems, null);
      };
      List<String> early = running.patterns().join(); // null: not JSON, loaded again for problems
      return early == null ? Pending.of(rest.get()) : new Pending(early, true, rest);
    }
    Loaded result = Loaded.NONE;
    try {
      result = loadText(text, display, key, problems, mine.patterns());
      return Pending.of(result);
    } finally {
      mine.patterns().complete(null); // no effect once the patterns were given
      mine.done().complete(result);
      LOADING.remove(key, mine);
    }
  }

  private Loaded loadText(String text, String display, String key, List<Problem> problems,
      CompletableFuture<List<String>> patternsKnown) {
    List<String> secretPatterns = List.of();
    Object raw;
    try {
      long t = io.qcfg.internal.log.StartupTrace.begin();
      raw = parseSchemaJson(text);
      io.qcfg.internal.log.StartupTrace.end("schema: parse JSON", t);
      // On the tree everit loads from: no second parse, no jackson-databind (issue 16).
      secretPatterns = io.qcfg.internal.crypto.SchemaSecretWalk.patterns(raw);
      if (patternsKnown != null) {
        patternsKnown.complete(secretPatterns); // a waiting build indexes its tree meanwhile
      }
    } catch (RuntimeException e) {
      try {
        secretPatterns = SecretPaths.schemaPatterns(text, display); // more lenient than org.json
      } catch (RuntimeException again) {
        secretPatterns = List.of(); // reported below, as the schema's own problem
      }
      raw = null;
    }
    try {
      if (raw == null) {
        raw = parseSchemaJson(text); // throws the problem reported below
      }
      long t = io.qcfg.internal.log.StartupTrace.begin();
      SchemaCheck check = SchemaCheck.compile(raw);
      io.qcfg.internal.log.StartupTrace.end("schema: quick check (compile)", t);
      Loaded loaded = check != null ? new Loaded(raw, check, secretPatterns, display)
          : new Loaded(loadSchema(raw), secretPatterns);
      SCHEMAS.put(key, loaded);
      return loaded;
    } catch (JSONException e) {
      problems.add(new Problem("QCFG-1201", display, "", "the schema is not valid JSON: " + io.qcfg.internal.crypto.ForeignText.describe(e)));
    } catch (SchemaException e) {
      problems.add(new Problem("QCFG-1202", display, "", "the schema is invalid: " + io.qcfg.internal.crypto.ForeignText.describe(e)));
    } catch (RuntimeException e) {
      problems.add(new Problem("QCFG-1202", display, "", "the schema is invalid: " + io.qcfg.internal.crypto.ForeignText.describe(e)));
    }
    return new Loaded(null, secretPatterns);
  }

  /**
   * The everit schema of {@code raw}: built directly ({@link DirectSchemas}, issue 16) when every
   * keyword of the document is one it builds, else loaded by everit's loader ({@link
   * #loadShared}), whose errors name what is wrong with the schema.
   */
  static Schema loadSchema(Object raw) {
    long t = io.qcfg.internal.log.StartupTrace.begin();
    Schema direct = DirectSchemas.build(raw);
    if (direct != null) {
      io.qcfg.internal.log.StartupTrace.end("schema: direct build", t);
      return direct;
    }
    return loadShared(raw);
  }

  /**
   * Loads {@code raw} with everit, its repeated subschemas loaded once ({@link SharedSubschemas},
   * issue 16). A document everit refuses is loaded again as written, so that its problem names
   * the place in the file, not the shared copy.
   */
  static Schema loadShared(Object raw) {
    long t = io.qcfg.internal.log.StartupTrace.begin();
    org.json.JSONObject shared = SharedSubschemas.rewrite(raw);
    io.qcfg.internal.log.StartupTrace.end("schema: share repeated subschemas", t);
    if (shared != null) {
      try {
        t = io.qcfg.internal.log.StartupTrace.begin();
        Schema s = loadEverit(shared);
        io.qcfg.internal.log.StartupTrace.end("schema: everit load", t);
        return s;
      } catch (RuntimeException e) {
        // reported below, in the words of the document as written
      }
    }
    return loadEverit(raw);
  }

  /** everit's loader as qcfg configures it: draft-07, no fetching, RE2J patterns. */
  static Schema loadEverit(Object raw) {
    return SchemaLoader.builder()
        .schemaJson(raw)
        .draftV7Support()
        .schemaClient(NO_FETCH)
        .regexpFactory(new RE2JRegexpFactory())
        .build()
        .load()
        .build();
  }

  /**
   * The schema document: an object, or {@code true}/{@code false} (draft-07 boolean schemas).
   *
   * @throws JSONException when it is neither, or has text after the value
   */
  static Object parseSchemaJson(String text) {
    JSONObject plain = PlainSchemaJson.read(text); // org.json's tree, cheaper cold (issue 16)
    if (plain != null) {
      return plain;
    }
    JSONTokener tokener = new JSONTokener(text);
    Object raw = tokener.nextValue();
    if (!(raw instanceof JSONObject) && !(raw instanceof Boolean)) {
      throw new JSONException("a schema is a JSON object, true or false");
    }
    if (tokener.nextClean() != 0) {
      throw new JSONException("text after the schema's closing brace" + tokener);
    }
    return raw;
  }

  /** Validates {@code candidate}; every violation becomes one problem, located at its origin. */
  public void validate(Schema schema, ConfigSnapshot candidate, List<Problem> problems) {
    validate(schema, (JSONObject) toJson(candidate.config().root()), candidate, problems);
  }

  /**
   * Validates {@code json}, the tree of {@code candidate} as org.json values (built in the
   * build's one walk, {@link io.qcfg.internal.snapshot.TreeIndex#json()}).
   */
  public void validate(Schema schema, JSONObject json, ConfigSnapshot candidate,
      List<Problem> problems) {
    for (SubtreeValidation.Failure f : subtrees().validate(schema, json)) {
      problems.add(toProblem(f, candidate));
    }
  }

  /**
   * Validates {@code json} against {@code loaded} (present): its quick check first, whose yes is
   * everit's (issue 16); everit's own validation for a no, or without a check, so that every
   * problem is worded from everit's report.
   */
  public void validate(Loaded loaded, JSONObject json, ConfigSnapshot candidate,
      List<Problem> problems) {
    SchemaCheck check = loaded.check();
    if (check != null && check.accepts(json)) {
      quickPasses++;
      return;
    }
    Schema schema = loaded.schema();
    if (schema == null) {
      problems.add(new Problem("QCFG-1202", String.valueOf(loaded.display), "",
          "the schema is invalid: everit could not build it"));
      return;
    }
    validate(schema, json, candidate, problems);
  }

  private long quickPasses; // the building thread's; read by tests

  /** Validations the quick check settled without everit; for tests. */
  public long quickPasses() {
    return quickPasses;
  }

  /** Objects validated afresh (not reused) by the last {@link #validate}; for tests. */
  public long lastValidatedObjects() {
    SubtreeValidation s = subtrees;
    return s == null ? 0 : s.validatedNodes;
  }

  /** The tree as org.json values, directly: no rendering to text and parsing it back. */
  static Object toJson(com.typesafe.config.ConfigValue v) {
    switch (v.valueType()) {
      case OBJECT: {
        com.typesafe.config.ConfigObject o = (com.typesafe.config.ConfigObject) v;
        JSONObject out = new JSONObject();
        for (var e : o.entrySet()) {
          out.put(e.getKey(), toJson(e.getValue()));
        }
        return out;
      }
      case LIST: {
        org.json.JSONArray out = new org.json.JSONArray();
        for (com.typesafe.config.ConfigValue item : (com.typesafe.config.ConfigList) v) {
          out.put(toJson(item));
        }
        return out;
      }
      case NULL:
        return JSONObject.NULL;
      default: {
        // Exact numbers: big integers and precise decimals reach the schema as written.
        Number exact = ExactNumbers.exact(v);
        return exact != null ? exact : v.unwrapped();
      }
    }
  }

  private static Problem toProblem(SubtreeValidation.Failure v, Snapshot candidate) {
    String path = pointerToPath(v.pointer());
    String keyword = v.keyword() == null ? "schema" : v.keyword();
    String reason = v.message();
    if ("required".equals(keyword)) {
      // everit reports the parent; name the missing key itself.
      String missing = reason.replaceAll("^required key \\[(.*)\\] not found$", "$1");
      String full = path.isEmpty() ? missing : path + "." + missing;
      String location = nearestOrigin(candidate, path);
      return new Problem("QCFG-1203", location, full, "required by the schema, but missing");
    }
    if ("additionalProperties".equals(keyword) && reason.startsWith("extraneous key [")) {
      String extra = reason.replaceAll("^extraneous key \\[(.*)\\] is not permitted$", "$1");
      String full = path.isEmpty() ? extra : path + "." + extra;
      return new Problem(
          "QCFG-1205",
          nearestOrigin(candidate, full),
          full,
          "not a setting the schema knows (additionalProperties is false at "
              + (path.isEmpty() ? "the root" : path) + "); "
              + nearestKnown(v, path, extra).map(n -> "did you mean " + n + "?")
                  .orElse("a typo?"));
    }
    if (candidate.isSecret(path) || reason.contains(ConfigSnapshot.REDACTED)) {
      reason = "value violates the schema's '" + keyword + "' rule (value redacted: a secret)";
    }
    return new Problem("QCFG-1204", nearestOrigin(candidate, path), path, reason + " (schema: " + keyword + ")");
  }

  /**
   * The path of the property the schema declares beside {@code extra} whose name is nearest to it
   * ({@code greeter.workers} for {@code greeter.wokers}), if one is close enough to be a typo.
   */
  private static java.util.Optional<String> nearestKnown(
      SubtreeValidation.Failure v, String path, String extra) {
    if (!(v.violatedSchema() instanceof org.everit.json.schema.ObjectSchema object)) {
      return java.util.Optional.empty();
    }
    return io.qcfg.internal.text.NearestName.of(extra, object.getPropertySchemas().keySet())
        .map(name -> path.isEmpty() ? name : path + "." + name);
  }

  private static String nearestOrigin(Snapshot candidate, String path) {
    String p = path;
    while (!p.isEmpty()) {
      var o = candidate.origin(p);
      if (o.isPresent()) {
        return o.get().location();
      }
      int dot = p.lastIndexOf('.');
      p = dot < 0 ? "" : p.substring(0, dot);
    }
    return "(merged configuration)";
  }

  /** {@code #/http/port} → {@code http.port}; list indices stay numbers. */
  static String pointerToPath(String pointer) {
    if (pointer == null || pointer.equals("#") || pointer.isEmpty()) {
      return "";
    }
    String p = pointer.startsWith("#/") ? pointer.substring(2) : pointer;
    StringBuilder sb = new StringBuilder();
    for (String seg : p.split("/")) {
      String key = seg.replace("~1", "/").replace("~0", "~");
      if (sb.length() > 0) {
        sb.append('.');
      }
      sb.append(ConfigPaths.quote(key));
    }
    return sb.toString();
  }

}
