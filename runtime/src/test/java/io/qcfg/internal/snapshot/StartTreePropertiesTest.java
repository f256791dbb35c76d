package io.qcfg.internal.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigRenderOptions;
import io.qcfg.internal.Pipeline;
import io.qcfg.internal.QcfgOptions;
import io.qcfg.internal.crypto.Hmac;
import io.qcfg.internal.layer.Environment;
import io.qcfg.internal.layer.LayerStack;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Issue 16: the snapshot the fast restart reads from the start tree ({@link StartTree}, {@link
 * StartTreeReader}) equals the one the full pipeline built, differentially, on generated trees
 * (ints, longs, doubles, strings, booleans, durations, lists, nested and empty objects, nulls,
 * unicode keys and quoted keys with dots, secrets from per-key files, secret {@code .conf} files
 * and schema marks): every leaf's value, origin, secret mark, description and rendering, the
 * whole tree's rendering, the sealed history form and the checksum. Plaintext secrets never
 * appear in the file, and the bound-field lookups need no Typesafe tree; {@code hasPath} and
 * the plain getters need no Typesafe value either (the leaves hold the file's plain values).
 */
class StartTreePropertiesTest {
  static final List<String> KEYS = List.of("a", "b", "port", "\"k.dot\"", "ключ", "password",
      "t");
  static final List<String> VALUES = List.of("1", "-7", "3000000000", "2.5", "\"s\"",
      "\"ünï ☃\"", "true", "false", "30s", "null", "[1, 2]", "[\"x\", {q = 1}]", "[]", "{}", "1.50",
      "1e3", "[1.0, 2]", "0.1",
      "{ q = 3, r = [x, y] }", "\"a.b\"", "\"\"");
  static final List<String> FILES = List.of("application.conf", "environments/development.conf",
      "secrets/app.conf");
  static final String SCHEMA = "{\"type\": \"object\", \"properties\": {\"a\": {\"type\":"
      + " \"object\", \"properties\": {\"t\": {\"x-secret\": true}}}}}";

  record Line(String file, String path, String value) {}

  @Provide
  Arbitrary<List<Line>> lines() {
    Arbitrary<String> path = KEYS.isEmpty() ? null : Arbitraries.of(KEYS).list().ofMinSize(1)
        .ofMaxSize(3).map(l -> String.join(".", l));
    return Combinators.combine(Arbitraries.of(FILES), path, Arbitraries.of(VALUES))
        .as(Line::new).list().ofMinSize(1).ofMaxSize(20);
  }

  @Property(tries = 100)
  void theStartTreeGivesWhatTheFullBuildGave(@ForAll("lines") List<Line> lines,
      @ForAll boolean schema, @ForAll boolean keyFile) throws Exception {
    Path dir = Files.createTempDirectory("qcfg-start-tree-");
    Path state = Files.createTempDirectory("qcfg-start-tree-state-");
    try {
      Map<String, StringBuilder> text = new TreeMap<>();
      for (Line l : lines) {
        text.computeIfAbsent(l.file(), f -> new StringBuilder()).append(l.path()).append(" = ")
            .append(l.value()).append('\n');
      }
      text.computeIfAbsent("application.conf", f -> new StringBuilder()).append("base = 1\n");
      for (var e : text.entrySet()) {
        Path f = dir.resolve(e.getKey());
        Files.createDirectories(f.getParent());
        Files.writeString(f, e.getValue());
      }
      if (keyFile) {
        Files.createDirectories(dir.resolve("secrets"));
        Files.writeString(dir.resolve("secrets/db.password"), "s3cret-value");
      }
      if (schema) {
        Files.writeString(dir.resolve("schema.json"), SCHEMA);
      }
      check(dir, state, schema ? List.of("a.t") : List.of());
    } finally {
      delete(dir);
      delete(state);
    }
  }

  /** A secret in an ordinary layer is sealed and cannot come back: the tree does not serve. */
  @Example
  void aSecretOutsideTheSecretLayerIsNotServed() throws Exception {
    Path dir = Files.createTempDirectory("qcfg-start-tree-");
    Path state = Files.createTempDirectory("qcfg-start-tree-state-");
    try {
      Files.writeString(dir.resolve("application.conf"), "db.password = hunter2-long\n");
      Pipeline p = pipeline(dir, state);
      ConfigSnapshot full = build(p, dir);
      Path file = state.resolve(StartTree.NAME);
      StartTree.write(full, List.of(), file, mac("t"), mac("s"));
      assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1))
          .doesNotContain("hunter2");
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> StartTreeReader.read(file,
          mac("t"), mac("s"), full.version(), full.checksum(),
          path -> StartTreeReader.valueAt(p.secretLayer(dir).root(), path)))
          .isInstanceOf(StartTreeReader.NotServed.class);
    } finally {
      delete(dir);
      delete(state);
    }
  }

  /**
   * The digest of the secret values leaves their paths out (format 3): two secrets whose values
   * changed places, or a value that moved between two secrets, are still a change.
   */
  @Example
  void secretValuesThatChangedPlacesAreNotServed() throws Exception {
    Path dir = Files.createTempDirectory("qcfg-start-tree-");
    Path state = Files.createTempDirectory("qcfg-start-tree-state-");
    try {
      Files.writeString(dir.resolve("application.conf"), "base = 1\n");
      Files.createDirectories(dir.resolve("secrets"));
      Files.writeString(dir.resolve("secrets/app.conf"), "a.p = \"xy\"\nb.p = \"z\"\n");
      Pipeline p = pipeline(dir, state);
      ConfigSnapshot full = build(p, dir);
      Path file = state.resolve(StartTree.NAME);
      StartTree.write(full, List.of(), file, mac("t"), mac("s"));
      for (String moved : List.of("a.p = \"z\"\nb.p = \"xy\"\n", "a.p = \"x\"\nb.p = \"yz\"\n",
          "a.p = \"xyz\"\nb.p = \"\"\n", "a.p = 1\nb.p = \"z\"\n")) {
        com.typesafe.config.Config live = com.typesafe.config.ConfigFactory.parseString(moved);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> StartTreeReader.read(file,
            mac("t"), mac("s"), full.version(), full.checksum(),
            path -> StartTreeReader.valueAt(live.root(), path)))
            .as(moved).isInstanceOf(StartTreeReader.NotServed.class);
      }
      com.typesafe.config.Config same = com.typesafe.config.ConfigFactory.parseString(
          "a.p = \"xy\"\nb.p = \"z\"\n");
      assertThat(StartTreeReader.read(file, mac("t"), mac("s"), full.version(), full.checksum(),
          path -> StartTreeReader.valueAt(same.root(), path)).valueAt("a.p").unwrapped())
          .isEqualTo("xy");
    } finally {
      delete(dir);
      delete(state);
    }
  }

  /**
   * Whatever bytes a file holds under a valid MAC (a writer's bug, a key that leaked), the reader
   * ends in a snapshot whose trees can be made, or in one of its own refusals: never another
   * exception, never a hang (its counts are bounded by the bytes left).
   */
  @Property(tries = 300)
  void anyBytesUnderAValidMacEndInASnapshotOrARefusal(
      @ForAll @Size(min = 1, max = 2) List<@IntRange(min = 0, max = 1_000_000) Integer> at,
      @ForAll @Size(min = 1, max = 6) List<Byte> values,
      @ForAll @IntRange(min = 0, max = 100) int keepPercent)
      throws Exception {
    Fixture f = Fixture.get();
    int body = f.bytes.length - StartTree.MAC_BYTES;
    // Half the tries keep the whole body; changes fall mostly past the header (a third in).
    byte[] b = java.util.Arrays.copyOf(f.bytes, keepPercent >= 50 ? body
        : Math.max(1, body * keepPercent / 50));
    int from = b.length / 3;
    for (int i = 0; i < at.size(); i++) {
      b[from + at.get(i) % (b.length - from)] = values.get(i % values.size());
    }
    byte[] signed = java.util.Arrays.copyOf(b, b.length + StartTree.MAC_BYTES);
    System.arraycopy(mac("t").doFinal(b), 0, signed, b.length, StartTree.MAC_BYTES);
    Path file = Files.createTempFile("qcfg-start-tree-fuzz-", "");
    try {
      Files.write(file, signed);
      ConfigSnapshot read = StartTreeReader.read(file, mac("t"), mac("s"), f.full.version(),
          f.full.checksum(), path -> StartTreeReader.valueAt(f.secrets.root(), path));
      read.config().root().render();
      read.render(true);
      net.jqwik.api.statistics.Statistics.collect("served");
    } catch (StartTreeReader.Broken | StartTreeReader.NotServed | StartTreeReader.OlderFormat e) {
      net.jqwik.api.statistics.Statistics.collect(e.getClass().getSimpleName());
    } finally {
      Files.deleteIfExists(file);
    }
  }

  /** One tree of every kind of value, with sealed secrets, written once for the fuzz property. */
  record Fixture(byte[] bytes, ConfigSnapshot full, com.typesafe.config.Config secrets) {
    private static Fixture made;

    static synchronized Fixture get() throws Exception {
      if (made == null) {
        Path dir = Files.createTempDirectory("qcfg-start-tree-");
        Path state = Files.createTempDirectory("qcfg-start-tree-state-");
        try {
          StringBuilder app = new StringBuilder();
          for (int i = 0; i < VALUES.size(); i++) {
            app.append("s").append(i % 3).append(".").append(KEYS.get(i % KEYS.size()))
                .append(i).append(" = ").append(VALUES.get(i)).append('\n');
          }
          Files.writeString(dir.resolve("application.conf"), app);
          Files.createDirectories(dir.resolve("secrets"));
          Files.writeString(dir.resolve("secrets/db.password"), "s3cret-value");
          Files.writeString(dir.resolve("secrets/app.conf"), "api.token = \"t0ken\"\n");
          Pipeline p = pipeline(dir, state);
          ConfigSnapshot full = build(p, dir);
          Path file = state.resolve(StartTree.NAME);
          StartTree.write(full, List.of(), file, mac("t"), mac("s"));
          made = new Fixture(Files.readAllBytes(file), full, p.secretLayer(dir));
        } finally {
          delete(dir);
          delete(state);
        }
      }
      return made;
    }
  }

  static void check(Path dir, Path state, List<String> patterns) throws Exception {
    Pipeline p = pipeline(dir, state);
    ConfigSnapshot full;
    try {
      full = build(p, dir);
    } catch (io.qcfg.QcfgException.Invalid e) {
      net.jqwik.api.statistics.Statistics.collect("invalid");
      return; // an invalid tree is never kept
    }
    // The writer takes each leaf's secret mark from the set the build's index found: for every
    // leaf it is what the snapshot's rule says (credential names, secret layer, schema marks).
    for (String path : full.paths()) {
      assertThat(full.isSecretLeaf(path)).as(path).isEqualTo(full.isSecret(path));
    }
    Path file = state.resolve(StartTree.NAME);
    StartTree.write(full, patterns, file, mac("t"), mac("s"));
    String raw = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    assertThat(raw).doesNotContain("s3cret-value");
    ConfigSnapshot read;
    try {
      read = StartTreeReader.read(file, mac("t"), mac("s"), full.version(), full.checksum(),
          path -> StartTreeReader.valueAt(p.secretLayer(dir).root(), path));
    } catch (StartTreeReader.NotServed e) {
      // Only a sealed secret outside the secret layer (credential names, schema marks) is lost.
      assertThat(full.paths()).anyMatch(path -> full.isSecret(path)
          && !full.secretLayerPaths().contains(path));
      net.jqwik.api.statistics.Statistics.collect("not served (a sealed secret outside the layer)");
      return;
    }
    // hasPath and the plain getters make no Typesafe value (only the secrets read from the
    // secret layer are values from the start), and give what the full build gives.
    for (String path : full.paths()) {
      assertThat(read.hasPath(path)).as(path).isEqualTo(full.hasPath(path));
      Object plain = read.leaves().get(path).plain();
      Object got = plain instanceof Integer ? (Object) read.getInt(path)
          : plain instanceof Long ? (Object) read.getLong(path)
          : plain instanceof Double ? (Object) read.getDouble(path)
          : plain instanceof Boolean ? (Object) read.getBoolean(path)
          : plain instanceof String ? read.getString(path) : null;
      assertThat(got).as(path).isEqualTo(plain);
      assertThat(plain).as(path).isEqualTo(full.leaves().get(path).plain());
      assertThat(read.leaves().get(path).isNull()).as(path)
          .isEqualTo(full.leaves().get(path).isNull());
      assertThat(read.leaves().get(path).made() && !read.isSecret(path)).as(path).isFalse();
    }
    assertThat(new java.util.TreeSet<>(read.secretLeaves()))
        .isEqualTo(new java.util.TreeSet<>(full.secretLeaves()));
    // The lookups a bound field makes need no Typesafe tree.
    for (String path : full.paths()) {
      read.hasPath(path);
      read.origin(path);
      if (read.leaves().get(path).value().valueType()
          == com.typesafe.config.ConfigValueType.STRING) {
        read.getString(path);
      }
    }
    assertThat(read.treeBuilt()).isFalse();
    // What the redactor learns of a leaf: the same texts as from the full build's value.
    for (String path : full.paths()) {
      List<String> texts = new ArrayList<>();
      read.leaves().get(path).addTexts(texts);
      Object v = full.leaves().get(path).value().unwrapped();
      List<String> expected = new ArrayList<>();
      if (v instanceof List<?> l) {
        l.forEach(e -> expected.add(String.valueOf(e)));
      } else if (v != null) {
        expected.add(String.valueOf(v));
      }
      assertThat(texts).as(path).isEqualTo(expected);
    }
    net.jqwik.api.statistics.Statistics.collect(full.secretLayerPaths().isEmpty() ? "served"
        : "served, with secrets");
    assertThat(outcome(read)).isEqualTo(outcome(full));
    assertThat(read.treeBuilt()).isTrue();
    for (ConfigSnapshot s : List.of(full, read)) { // the leaf-first lookups say what the tree says
      for (String path : full.paths()) {
        assertThat(s.hasPath(path)).as(path).isEqualTo(s.config().hasPath(path));
        if (s.config().hasPath(path)) {
          assertThat(s.valueAt(path)).as(path).isSameAs(s.config().getValue(path));
          assertThat(s.origin(path).orElseThrow().location()).as(path).isEqualTo(
              io.qcfg.internal.tree.Origins.originOf(s.config().getValue(path).origin(),
                  s.layerOf()).location());
        }
      }
    }
  }

  static Object outcome(ConfigSnapshot s) {
    Map<String, Object> leaves = new TreeMap<>();
    for (String path : s.paths()) {
      List<Object> parents = new ArrayList<>();
      for (String q = path; q.contains("."); q = q.substring(0, q.lastIndexOf('.'))) {
        parents.add(s.isSecret(q.substring(0, q.lastIndexOf('.'))));
      }
      Object duration;
      try {
        duration = s.get(path, Duration.class);
      } catch (RuntimeException e) {
        duration = e.getClass().getSimpleName();
      }
      leaves.put(path, java.util.Arrays.asList(s.valueAt(path).render(), String.valueOf(s.valueAt(path)
          .unwrapped()), String.valueOf(s.origin(path)), s.isSecret(path), s.describe(path),
          s.leaves().get(path).value().render(), s.hasPath(path), parents, duration));
    }
    return List.of(s.checksum(), leaves, s.leaves().size(), s.secretLayerPaths(),
        s.encryptedPaths(), s.render(true), s.render(false), s.sealedJson(),
        s.config().root().render(ConfigRenderOptions.concise()), s.environment(),
        s.environmentSource());
  }

  static ConfigSnapshot build(Pipeline p, Path dir) {
    return p.build(new LayerStack.Request(dir, new Environment("development", "option"),
        Map.of(), new Properties(), Map.of(), null, null));
  }

  static Pipeline pipeline(Path dir, Path state) {
    return new Pipeline(QcfgOptions.resolve(Map.of("dir", dir.toString(),
        "state", state.toString()), new Properties(), Map.of()), null, null);
  }

  static Hmac mac(String purpose) {
    return new Hmac(("test key " + purpose).getBytes(StandardCharsets.UTF_8));
  }

  static void delete(Path dir) throws java.io.IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path x : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(x);
      }
    }
  }
}
