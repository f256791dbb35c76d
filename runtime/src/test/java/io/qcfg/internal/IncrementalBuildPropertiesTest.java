package io.qcfg.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.qcfg.Problem;
import io.qcfg.QcfgException;
import io.qcfg.internal.layer.Environment;
import io.qcfg.internal.layer.LayerStack;
import io.qcfg.internal.snapshot.ConfigSnapshot;
import io.qcfg.internal.snapshot.Leaf;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;

/**
 * Issue 19 item 3: an incremental rebuild gives the same snapshot as a full build. Random edits
 * (keys added, removed and changed, types changed, substitutions, {@code +=} and optional
 * environment variables added, whole layer files added and removed, a per-key secret file, the
 * schema edited between decomposable and non-decomposable forms, the environment changed) are
 * applied one after another; after each, a long-lived pipeline (which merges, indexes and
 * validates incrementally) and a fresh one (which does everything in full) build the directory,
 * and must agree on the checksum, every leaf with its value, origin and secret mark, the secret
 * and encrypted paths, or on every problem, in order. 150 tries in {@code verify}; 3,000 under
 * {@code -Pnightly}.
 */
class IncrementalBuildPropertiesTest {
  static final List<String> FILES = List.of("application.conf", "environments/development.conf",
      "local.conf", "secrets/app.conf", "secrets/more.conf");
  static final List<String> PATHS = List.of("a", "a.x", "a.x.p", "a.x.r", "a.y", "b", "b.z",
      "c", "db.password", "db.user", "q.\"k.dot\"", "m.n.o.p");
  static final List<String> VALUES = List.of("1", "2", "7", "-3", "\"s\"", "true", "[1, 2]",
      "{}", "{ q = 3, r = [x, y] }", "30s", "1.50", "null", "${a.x.p}", "${?a.x.p}",
      "${?ENV_A}", "\"pre-\"${?db.password}", "+= 4", "${b}");

  /** One edit: what it does and to which file and path. */
  record Edit(int kind, String file, String path, String value, int schema) {
    @Override
    public String toString() {
      return switch (kind) {
        case 0 -> "set " + file + " " + path + " = " + value;
        case 1 -> "remove " + file + " " + path;
        case 2 -> "drop " + file;
        case 3 -> "schema " + schema;
        case 4 -> "secret file " + value;
        case 6 -> "layout " + (schema % 2 == 0 ? "dotted" : "blocks");
        case 7 -> "set " + file + " path " + path + " (or one it holds) = " + plain(value);
        default -> "env " + schema;
      };
    }
  }

  /**
   * A value a file laid out in blocks can hold and still be parsed again in part (no
   * substitution, {@code +=} or inline object): mostly the value itself.
   */
  static String plain(String value) {
    return value.contains("$") || value.contains("{") || value.startsWith("+=")
        ? Integer.toString(value.length()) : value;
  }

  @Property(tries = 150)
  void incrementalEqualsFull(@ForAll("edits") List<Edit> edits, @ForAll boolean blocks)
      throws Exception {
    check(edits, blocks);
  }

  @Property(tries = 3_000)
  @Tag("nightly")
  void incrementalEqualsFullNightly(@ForAll("edits") List<Edit> edits, @ForAll boolean blocks)
      throws Exception {
    check(edits, blocks);
  }

  /** Found by the property: a substitution in a secret file (the secret layer's memo). */
  @Example
  void aSubstitutionInTheSecretLayer() throws Exception {
    check(List.of(new Edit(0, "application.conf", "a", "1", 0),
        new Edit(0, "secrets/app.conf", "a", "1", 0),
        new Edit(0, "secrets/app.conf", "a", "${?a.x.p}", 0)));
  }

  /** Found by the property in CI: a null over an object over a number, under an object schema. */
  @Example
  void aNullReplacingAnObjectThatOverrodeANumber() throws Exception {
    for (int schema = 0; schema <= 4; schema++) {
      check(List.of(new Edit(0, "application.conf", "a", "1", schema),
          new Edit(0, "application.conf", "a.x", "1", schema),
          new Edit(0, "environments/development.conf", "a.x", "{}", schema),
          new Edit(0, "environments/development.conf", "a.x", "null", schema)));
    }
  }

  /**
   * Found by the property once it edited values in place: a higher layer's object that hides what
   * is below it ({@code a = 1} then {@code a.x.r = 1} in one file: it ignores fallbacks) must keep
   * hiding an edited value of a lower layer under it.
   */
  @Example
  void anEditBelowAnObjectThatIgnoresFallbacks() throws Exception {
    check(List.of(new Edit(0, "application.conf", "a.x.p", "1", 1),
        new Edit(0, "environments/development.conf", "a", "1", 1),
        new Edit(0, "environments/development.conf", "a.x.r", "1", 1),
        new Edit(0, "application.conf", "a.x.p", "7", 1)));
  }

  /**
   * Found by the property with files in blocks: a key added beside a null changes whether the
   * object above merges with the lower layer's, so its origin (which a problem about the null
   * names) changes too.
   */
  @Example
  void aKeyAddedChangesTheOriginOfTheObjectsAbove() throws Exception {
    check(List.of(new Edit(0, "application.conf", "a.x.p", "1", 1),
        new Edit(0, "environments/development.conf", "a.x.r", "null", 1),
        new Edit(0, "environments/development.conf", "a.x.p", "1", 1)), true);
  }

  /**
   * Found by the nightly property: an unchanged secret file holding an unresolved object (a
   * substitution, then a key set under it) above a path another file changed.
   */
  @Example
  void anUnchangedInputWithAnUnresolvedObjectAboveAChangedPath() throws Exception {
    check(List.of(new Edit(0, "secrets/app.conf", "a", "${a.x.p}", 0),
        new Edit(0, "secrets/more.conf", "a", "1", 0),
        new Edit(3, "application.conf", "a", "1", 4),
        new Edit(7, "local.conf", "b.z", "7", 0),
        new Edit(0, "application.conf", "m.n.o.p", "${?ENV_A}", 4),
        new Edit(1, "application.conf", "c", "1", 4),
        new Edit(0, "secrets/app.conf", "a.x.p", "null", 4),
        new Edit(7, "application.conf", "a.x", "2", 4),
        new Edit(0, "local.conf", "db.password", "\"s\"", 4),
        new Edit(7, "application.conf", "m.n.o.p", "1", 4),
        new Edit(7, "application.conf", "db.password", "8", 4)), false);
  }

  @Provide
  Arbitrary<List<Edit>> edits() {
    Arbitrary<String> file = Arbitraries.of(FILES);
    Arbitrary<String> path = Arbitraries.of(PATHS);
    Arbitrary<String> value = Arbitraries.of(VALUES);
    Arbitrary<Integer> kind = Arbitraries.frequency(
        net.jqwik.api.Tuple.of(10, 0), net.jqwik.api.Tuple.of(3, 1),
        net.jqwik.api.Tuple.of(1, 2), net.jqwik.api.Tuple.of(2, 3),
        net.jqwik.api.Tuple.of(1, 4), net.jqwik.api.Tuple.of(1, 5),
        net.jqwik.api.Tuple.of(2, 6), net.jqwik.api.Tuple.of(6, 7));
    Arbitrary<Edit> edit = Combinators.combine(kind, file, path, value,
        Arbitraries.integers().between(0, 4)).as(Edit::new);
    return edit.list().ofMinSize(4).ofMaxSize(14);
  }

  /** The directory as a model: per file, its lines in order (path, value text). */
  static final class Model {
    final Map<String, Map<String, String>> files = new TreeMap<>();
    int schema = 1;
    String secretFile = "s3cret";
    boolean envA = true;
    boolean blocks; // files as nested blocks (the edited file parsed again in part) or dotted

    void apply(Edit e) {
      switch (e.kind()) {
        case 0 -> files.computeIfAbsent(e.file(), f -> new java.util.LinkedHashMap<>())
            .put(e.path(), e.value());
        case 1 -> {
          Map<String, String> lines = files.get(e.file());
          if (lines != null) {
            lines.remove(e.path());
          }
        }
        case 2 -> files.remove(e.file());
        case 3 -> schema = e.schema();
        case 4 -> secretFile = e.value().startsWith("$") ? null : e.value();
        case 6 -> blocks = e.schema() % 2 == 1;
        case 7 -> { // a value edited in place: the file keeps its lines
          Map<String, String> lines = files.computeIfAbsent(e.file(),
              f -> new java.util.LinkedHashMap<>());
          List<String> held = new ArrayList<>(lines.keySet());
          String path = held.isEmpty() || held.contains(e.path()) ? e.path()
              : held.get(PATHS.indexOf(e.path()) % held.size());
          lines.put(path, plain(e.value()));
        }
        default -> envA = !envA;
      }
    }

    void write(Path dir) throws IOException {
      for (String f : FILES) {
        Files.deleteIfExists(dir.resolve(f));
      }
      for (var f : files.entrySet()) {
        StringBuilder text = new StringBuilder("# " + f.getKey() + "\n");
        if (blocks) {
          Map<String, Object> tree = new java.util.LinkedHashMap<>();
          for (var line : f.getValue().entrySet()) {
            place(tree, line.getKey(), line.getValue());
          }
          writeBlocks(text, tree, "");
        } else {
          for (var line : f.getValue().entrySet()) {
            text.append(statement(line.getKey(), line.getValue()));
          }
        }
        Path file = dir.resolve(f.getKey());
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
      }
      Path secret = dir.resolve("secrets/api.token");
      Files.createDirectories(secret.getParent());
      if (secretFile == null) {
        Files.deleteIfExists(secret);
      } else {
        Files.writeString(secret, secretFile);
      }
      Path schemaFile = dir.resolve("schema.json");
      if (schema == 0) {
        Files.deleteIfExists(schemaFile);
      } else {
        Files.writeString(schemaFile, SCHEMAS.get(schema - 1));
      }
    }

    private static String statement(String path, String v) {
      return path + (v.startsWith("+=") ? " " : " = ") + v + "\n";
    }

    /**
     * Puts a statement into nested blocks by its path; where a key already holds a value (or a
     * block) of the other kind, the rest of the path stays one dotted statement, added last.
     */
    @SuppressWarnings("unchecked")
    private static void place(Map<String, Object> block, String path, String value) {
      int dot = path.indexOf('.');
      if (dot < 0 || path.startsWith("\"")) {
        block.put(block.containsKey(path) ? path + "\u0000" + block.size() : path, value);
        return;
      }
      String head = path.substring(0, dot);
      Object there = block.get(head);
      if (there == null) {
        there = new java.util.LinkedHashMap<String, Object>();
        block.put(head, there);
      }
      if (there instanceof Map) {
        place((Map<String, Object>) there, path.substring(dot + 1), value);
      } else {
        block.put(path + "\u0000" + block.size(), value);
      }
    }

    @SuppressWarnings("unchecked")
    private static void writeBlocks(StringBuilder out, Map<String, Object> block, String indent) {
      for (var e : block.entrySet()) {
        String key = e.getKey().replaceFirst("\u0000.*", "");
        if (e.getValue() instanceof Map) {
          out.append(indent).append("# block ").append(key).append('\n');
          out.append(indent).append(key).append(" {\n");
          writeBlocks(out, (Map<String, Object>) e.getValue(), indent + "  ");
          out.append(indent).append("}\n");
        } else {
          out.append(indent).append(statement(key, (String) e.getValue()));
        }
      }
    }

    Map<String, String> env() {
      return envA ? Map.of("ENV_A", "from-env") : Map.of();
    }
  }

  static final String PROPS = """
      "a": {"type": "object", %s "properties": {
         "x": {"type": "object", "properties": {"p": {"type": "integer", "maximum": 5},
                                                "r": {"type": "array"}}},
         "y": {"type": ["integer", "string"]}}},
      "b": {"type": ["object", "integer"]},
      "c": {"type": "integer"},
      "db": {"type": "object", "properties": {"password": {"type": "string", "x-secret": true},
                                              "user": {"type": "string", "minLength": 2}}}
      """;
  static final List<String> SCHEMAS = List.of(
      // decomposable at every level
      "{\"type\": \"object\", \"required\": [\"a\"], \"properties\": {"
          + PROPS.formatted("") + "}}",
      // additionalProperties false at the root and in a
      "{\"type\": \"object\", \"additionalProperties\": false, \"properties\": {"
          + PROPS.formatted("\"additionalProperties\": false,") + ", \"q\": {}, \"m\": {}}}",
      // if/then at the root: validated whole there, decomposed below
      "{\"type\": \"object\", \"if\": {\"required\": [\"c\"]}, \"then\": {\"required\":"
          + " [\"b\"]}, \"properties\": {" + PROPS.formatted("") + "}}",
      // dependencies inside a: a validated whole
      "{\"type\": \"object\", \"properties\": {"
          + PROPS.formatted("\"dependencies\": {\"y\": [\"x\"]},") + "}}");

  void check(List<Edit> edits) throws Exception {
    check(edits, false);
  }

  void check(List<Edit> edits, boolean blocks) throws Exception {
    replay(edits, blocks, (dir, state) -> {
      Pipeline incremental = pipeline(dir, state);
      return (model, done) -> assertThat(outcome(incremental, dir, model)).as("after %s", done)
          .isEqualTo(outcome(pipeline(dir, state), dir, model));
    });
  }

  /** What is checked after each step of {@link #replay}: the model, the edits done so far. */
  interface Step {
    void check(Model model, List<String> done) throws Exception;
  }

  /**
   * Writes a directory whose {@code application.conf} holds {@code a.x.p = 1} (dotted, or in
   * blocks), then applies {@code edits} one by one; {@code start} gets the directory and a state
   * directory (both removed at the end) and gives the check run at the start and after each edit.
   */
  static void replay(List<Edit> edits, boolean blocks,
      java.util.function.BiFunction<Path, Path, Step> start) throws Exception {
    Path dir = Files.createTempDirectory("qcfg-edits-");
    Path state = Files.createTempDirectory("qcfg-edits-state-");
    try {
      Model model = new Model();
      model.blocks = blocks;
      model.files.put("application.conf", new java.util.LinkedHashMap<>(Map.of("a.x.p", "1")));
      model.write(dir);
      Step step = start.apply(dir, state);
      List<String> done = new ArrayList<>();
      step.check(model, done);
      for (Edit e : edits) {
        model.apply(e);
        model.write(dir);
        done.add(e.toString());
        step.check(model, done);
      }
    } finally {
      delete(dir);
      delete(state);
    }
  }

  static Pipeline pipeline(Path dir, Path state) {
    return new Pipeline(QcfgOptions.resolve(Map.of("dir", dir.toString(),
        "state", state.toString()), new Properties(), Map.of()), null, null);
  }

  /** Everything a snapshot says about its leaves, or the problems of a rejected build. */
  static Object outcome(Pipeline p, Path dir, Model model) {
    try {
      return described(p.build(new LayerStack.Request(dir,
          new Environment("development", "option"), Map.of(), new Properties(), model.env(),
          null, null)));
    } catch (QcfgException.Invalid e) {
      return e.problems().stream().map(Problem::toString).toList();
    }
  }

  /** Everything a snapshot says about its leaves: checksum, values, origins, secret marks. */
  static List<Object> described(ConfigSnapshot s) {
    Map<String, Object> leaves = new TreeMap<>();
    for (String path : s.paths()) {
      Leaf leaf = s.leaves().get(path); // the lookup's table (maybe the last build's index)
      leaves.put(path, List.of(s.valueAt(path).render(), String.valueOf(s.origin(path)),
          s.isSecret(path), s.describe(path),
          leaf == null ? "no leaf" : leaf.value().render()));
    }
    leaves.put("(leaf count)", s.leaves().size());
    return List.of(s.checksum(), leaves, s.secretLayerPaths(), s.encryptedPaths(),
        s.render(true));
  }

  static void delete(Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
