package io.qcfg.internal.layer;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SecretFiles#valueAt} against Typesafe's own merge: the same secret files merged with
 * {@code withFallback} and walked key by key give, at every path, an equal value with the same
 * origin (the very object for a scalar or a list), including where a scalar, a list or a null
 * hides a lower file's object, and an object a lower file's scalar. And the fast restart's read
 * of a real {@code secrets/} directory: the same values as the build's merged secret layer, with
 * every file's values (overridden ones too) handed to the redactor's callback.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SecretFilesDifferentialTest {
  private static final String[] KEYS = {"a", "b", "c"};

  @Property(tries = 400)
  void everyPathHasTheMergedLayersValue(@ForAll long seed,
      @ForAll @IntRange(min = 1, max = 4) int fileCount) {
    Random random = new Random(seed);
    List<Config> files = new ArrayList<>();
    for (int i = 0; i < fileCount; i++) {
      StringBuilder text = new StringBuilder();
      object(random, 3, text);
      files.add(ConfigFactory.parseString(text.toString(),
          ConfigParseOptions.defaults().setOriginDescription("file" + i)));
    }
    SecretFiles unmerged = SecretFiles.of(files.get(0), files.subList(1, fileCount));
    Config merged = SecretFiles.merge(files.get(0), files.subList(1, fileCount));
    for (List<String> keys : paths(4)) {
      ConfigValue want = walk(merged.root(), keys);
      ConfigValue got = unmerged.valueAt(keys);
      if (!sameAsMerged(got, want, keys)) {
        continue;
      }
      if (!(want instanceof ConfigObject)) {
        assertThat(got).as("%s: the winning file's own value", keys).isSameAs(want);
      }
    }
    assertThat(unmerged.merged().root()).isEqualTo(merged.root());
    // The lookup that keeps the shared keys' values: the same value objects as valueAt, in the
    // walk's (sorted) order, in a random one, and merged-only.
    for (List<List<String>> order : orders(random)) {
      for (SecretFiles layer : List.of(unmerged, SecretFiles.of(merged))) {
        SecretFiles.Lookup lookup = layer.lookup();
        for (List<String> keys : order) {
          ConfigValue want = layer.valueAt(keys);
          ConfigValue got = lookup.valueAt(List.copyOf(keys)); // equal keys, not the same
          if (want == null || !(want instanceof ConfigObject)) {
            assertThat(got).as("%s", keys).isSameAs(want);
          } else {
            assertThat(got).as("%s", keys).isEqualTo(want);
            assertThat(got.origin().description()).as("%s", keys)
                .isEqualTo(want.origin().description());
          }
        }
      }
    }
  }

  /**
   * The lookup over plain files' own trees ({@link PlainHocon.Tree}, never made Typesafe's but
   * for an object found) against Typesafe's parse and merge of the same texts: an equal value
   * with the same origin at every path (the tree's very scalar or list), in the walk's order and
   * in a random one; the same scalars for the redactor as Typesafe's tree of each file.
   */
  @Property(tries = 400)
  void theLookupOverPlainTreesGivesTypesafesMergedValues(@ForAll long seed,
      @ForAll @IntRange(min = 1, max = 4) int fileCount) {
    Random random = new Random(seed);
    List<Object> parts = new ArrayList<>();
    List<Config> typesafe = new ArrayList<>();
    for (int i = 0; i < fileCount; i++) {
      String text = null;
      PlainHocon.Tree tree = null;
      for (int attempt = 0; tree == null && attempt < 50; attempt++) { // a declined file: another
        StringBuilder out = new StringBuilder();
        plainBlock(random, 3, "", out);
        text = out.toString();
        tree = PlainHocon.parseTree(text, "secrets/f" + i + ".conf", 32);
      }
      assertThat(tree).as("a plain file of the generator is accepted").isNotNull();
      Config parsed = ConfigFactory.parseString(text,
          ConfigParseOptions.defaults().setOriginDescription("secrets/f" + i + ".conf"));
      List<String> told = new ArrayList<>();
      tree.forEachScalar(v -> told.add(v.valueType() + " " + v.unwrapped() + " @ "
          + v.origin().lineNumber()));
      assertThat(told).containsExactlyInAnyOrderElementsOf(
          scalarsWithLines(parsed.root()));
      parts.add(tree);
      typesafe.add(parsed);
    }
    Config keyFiles = ConfigFactory.parseString(random.nextBoolean() ? "" : "b = \"k\"",
        ConfigParseOptions.defaults().setOriginDescription("secrets/b"));
    SecretFiles plain = SecretFiles.ofParts(keyFiles, parts);
    assertThat(plain.isMerged()).isFalse();
    Config merged = SecretFiles.merge(keyFiles, typesafe);
    for (List<List<String>> order : orders(random)) {
      SecretFiles.Lookup lookup = plain.lookup();
      for (List<String> keys : order) {
        ConfigValue want = walk(merged.root(), keys);
        ConfigValue got = lookup.valueAt(List.copyOf(keys));
        if (!sameAsMerged(got, want, keys)) {
          continue;
        }
        assertThat(got.origin().lineNumber()).as("%s", keys)
            .isEqualTo(want.origin().lineNumber());
        if (!(got instanceof ConfigObject)) { // the tree's own value, as the made tree holds it
          assertThat(got).as("%s", keys).isSameAs(plain.valueAt(keys));
        }
      }
    }
    assertThat(plain.merged().root()).isEqualTo(merged.root());
  }

  /**
   * Asserts that {@code got} at {@code keys} is the merged layer's {@code want}: equal, from the
   * same file; both absent when {@code want} is null. @return whether there is a value to check on
   */
  private static boolean sameAsMerged(ConfigValue got, ConfigValue want, List<String> keys) {
    if (want == null) {
      assertThat(got).as("%s", keys).isNull();
      return false;
    }
    assertThat(got).as("%s", keys).isEqualTo(want);
    assertThat(got.origin().description()).as("%s", keys)
        .isEqualTo(want.origin().description());
    return true;
  }

  /** The generated paths in a walk's (sorted) order, then in a random one. */
  private static List<List<List<String>>> orders(Random random) {
    List<List<String>> sorted = new ArrayList<>(paths(4));
    sorted.sort((x, y) -> String.join(".", x).compareTo(String.join(".", y)));
    List<List<String>> shuffled = new ArrayList<>(sorted);
    Collections.shuffle(shuffled, random);
    return List.of(sorted, shuffled);
  }

  private static List<String> scalarsWithLines(ConfigValue root) {
    List<String> out = new ArrayList<>();
    io.qcfg.internal.tree.Leaves.forEachScalar(root, v -> out.add(v.valueType() + " "
        + v.unwrapped() + " @ " + v.origin().lineNumber()));
    return out;
  }

  // A block of the plain subset: settings (some by dotted paths, some repeated) and nested blocks,
  // each on lines of its own, with comments now and then.
  private static void plainBlock(Random random, int depth, String indent, StringBuilder out) {
    int settings = 1 + random.nextInt(5);
    for (int s = 0; s < settings; s++) {
      if (random.nextInt(6) == 0) {
        out.append(indent).append("# note ").append(random.nextInt(3)).append('\n');
      }
      String key = KEYS[random.nextInt(KEYS.length)];
      if (depth > 1 && random.nextInt(3) == 0) {
        key += "." + KEYS[random.nextInt(KEYS.length)];
      }
      if (depth > 0 && random.nextInt(3) == 0) {
        out.append(indent).append(key).append(" {\n");
        plainBlock(random, depth - 1, indent + "  ", out);
        out.append(indent).append("}\n");
      } else {
        out.append(indent).append(key).append(" = ");
        switch (random.nextInt(5)) {
          case 0 -> out.append("\"s").append(random.nextInt(5)).append('"');
          case 1 -> out.append(random.nextInt(100));
          case 2 -> out.append("null");
          case 3 -> out.append("[").append(random.nextInt(3)).append(", \"x\"]");
          default -> out.append(random.nextBoolean());
        }
        out.append('\n');
      }
    }
  }

  @Test
  void theFastRestartsReadGivesTheBuildsValuesAndTellsEveryFilesValues(@TempDir Path dir)
      throws Exception {
    Path secrets = Files.createDirectories(dir.resolve("secrets"));
    Files.writeString(dir.resolve("application.conf"), "a = 1\n");
    Files.writeString(secrets.resolve("db.password"), "from-the-key-file");
    Files.writeString(secrets.resolve("a.conf"), "db { user = alice, password = lower-one }\n"
        + "api { token = token-a, list = [1, 2] }\n");
    Files.writeString(secrets.resolve("b.conf"), "api = hidden-by-a\nextra.key = key-b\n");
    Files.writeString(secrets.resolve("c.conf"), "ref = ${extra.key}\n"); // needs resolving
    LayerFileReader reader = new LayerFileReader(Limits.DEFAULT);
    Config build = new LayerStack(reader, null).secretLayer(dir);
    for (boolean withSubstitution : new boolean[] {true, false}) {
      if (!withSubstitution) {
        Files.delete(secrets.resolve("c.conf"));
        build = new LayerStack(reader, null).secretLayer(dir);
      }
      Set<String> told = ConcurrentHashMap.newKeySet();
      SecretFiles fast = new LayerStack(new LayerFileReader(Limits.DEFAULT), null)
          .secretFilesPlainFirst(dir, c -> c.forEach(v -> told.add(String.valueOf(
              v.unwrapped()))));
      for (List<String> keys : List.of(List.of("db", "password"), List.of("db", "user"),
          List.of("api", "token"), List.of("api", "list"), List.of("extra", "key"),
          List.of("ref"), List.of("api"), List.of("db"), List.of("none"))) {
        assertThat(fast.valueAt(keys)).as("%s", keys).isEqualTo(walk(build.root(), keys));
      }
      assertThat(fast.merged().root()).isEqualTo(build.root());
      assertThat(told).as("every file's values, the overridden ones too")
          .containsAll(scalars(build.root())).contains("lower-one", "token-a");
    }
  }

  private static List<String> scalars(ConfigValue v) {
    List<String> out = new ArrayList<>();
    io.qcfg.internal.tree.Leaves.forEachScalar(v, s -> out.add(String.valueOf(s.unwrapped())));
    return out;
  }

  // The walk down the merged tree that the start tree's reader does (StartTreeReader.valueAt).
  private static ConfigValue walk(ConfigObject root, List<String> keys) {
    return io.qcfg.internal.snapshot.StartTreeReader.valueAt(root, keys);
  }

  private static List<List<String>> paths(int depth) {
    List<List<String>> out = new ArrayList<>();
    List<List<String>> level = List.of(List.of());
    for (int d = 0; d < depth; d++) {
      List<List<String>> next = new ArrayList<>();
      for (List<String> p : level) {
        for (String k : KEYS) {
          List<String> q = new ArrayList<>(p);
          q.add(k);
          next.add(Collections.unmodifiableList(q));
        }
      }
      out.addAll(next);
      level = next;
    }
    return out;
  }

  // An object of some of the keys, one per line (so each value has its own line as origin).
  private static void object(Random random, int depth, StringBuilder out) {
    out.append("{\n");
    for (String k : KEYS) {
      if (random.nextInt(3) != 0) {
        out.append(k).append(" = ");
        value(random, depth, out);
        out.append('\n');
      }
    }
    out.append("}");
  }

  private static void value(Random random, int depth, StringBuilder out) {
    int kind = random.nextInt(depth > 0 ? 7 : 4);
    switch (kind) {
      case 0 -> out.append("\"s").append(random.nextInt(5)).append('"');
      case 1 -> out.append(random.nextInt(100));
      case 2 -> out.append("null");
      case 3 -> out.append("[").append(random.nextInt(3)).append(", x]");
      default -> object(random, depth - 1, out);
    }
  }
}
