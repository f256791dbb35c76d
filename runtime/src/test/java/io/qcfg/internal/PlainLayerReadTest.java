package io.qcfg.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.qcfg.Problem;
import io.qcfg.QcfgException;
import io.qcfg.internal.IncrementalBuildPropertiesTest.Edit;
import io.qcfg.internal.layer.Environment;
import io.qcfg.internal.layer.LayerFileReader;
import io.qcfg.internal.layer.LayerStack;
import io.qcfg.internal.snapshot.ConfigSnapshot;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19: the build reads a layer file in {@link io.qcfg.internal.layer.PlainHocon}'s subset
 * without Typesafe's parser, and the snapshot must not tell. The same directories are built by a
 * pipeline that reads plain first (as every pipeline does) and by one whose reader is {@link
 * LayerFileReader#typesafeOnly}; they must agree on the checksum, every leaf with its value,
 * origin and secret mark, the secret and encrypted paths, the tree rendered with its origin
 * comments, or on every problem, in order (the problem of a bad file comes from Typesafe's parse
 * either way). On random edits (those of {@link IncrementalBuildPropertiesTest}: plain values and
 * substitutions, {@code +=}, inline objects, doubles; files dotted or in blocks, so that an edit
 * also goes through the re-parse of the edited blocks), on the sample's and the golden fixtures'
 * directories, on includes, templates and {@code reference.conf}, and on a nesting over the
 * limit.
 */
class PlainLayerReadTest {
  @TempDir Path tmp;

  @Property(tries = 100)
  void aPlainReadBuildsWhatTypesafesBuilds(@ForAll("edits") List<Edit> edits,
      @ForAll boolean blocks) throws Exception {
    check(edits, blocks);
  }

  @Property(tries = 2_000)
  @Tag("nightly")
  void aPlainReadBuildsWhatTypesafesBuildsNightly(@ForAll("edits") List<Edit> edits,
      @ForAll boolean blocks) throws Exception {
    check(edits, blocks);
  }

  @Provide
  Arbitrary<List<Edit>> edits() {
    return new IncrementalBuildPropertiesTest().edits();
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void theSampleInEveryEnvironment() {
    Path dir = Path.of("../samples/greeter/config");
    assertThat(dir.resolve("application.conf")).exists();
    for (String env : List.of("development", "testing", "staging", "production")) {
      Map<String, String> options = Map.of("dir", dir.toString(), "state", tmp.toString());
      // production's ENC values kept opaque: the key is not in the repository
      Object plain = outcome(pipeline(options, false, OPAQUE), dir, env, Map.of());
      assertThat(plain).as(env).isInstanceOf(List.class).asList().hasSize(6); // built
      assertThat(plain).as(env)
          .isEqualTo(outcome(pipeline(options, true, OPAQUE), dir, env, Map.of()));
    }
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void theGoldenFixturesAreRejectedInTheSameWords() throws IOException, URISyntaxException {
    Path root = Path.of(PlainLayerReadTest.class.getResource("/pipeline").toURI());
    List<Path> fixtures;
    try (Stream<Path> all = Files.list(root)) {
      fixtures = all.filter(Files::isDirectory).sorted().toList();
    }
    assertThat(fixtures).hasSizeGreaterThan(10);
    for (Path fixture : fixtures) {
      Path dir = fixture.resolve("config");
      List<String> expected = Files.readAllLines(fixture.resolve("expected.txt"));
      String env = !expected.isEmpty() && expected.get(0).startsWith("ENV=")
          ? expected.get(0).substring(4) : "development";
      Map<String, String> options = Map.of("dir", dir.toString(), "state", tmp.toString());
      Object plain = outcome(pipeline(options, false), dir, env, Map.of());
      assertThat(plain).as(fixture.toString())
          .isEqualTo(outcome(pipeline(options, true), dir, env, Map.of()));
    }
  }

  /** An included file, a rendered template and a reference.conf are offered to it too. */
  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void includesTemplatesAndReferenceConf() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("config"));
    Files.writeString(dir.resolve("application.conf"),
        "# base\ninclude \"parts/db.conf\"\nport = 8080\n");
    Files.createDirectories(dir.resolve("parts"));
    Files.writeString(dir.resolve("parts/db.conf"),
        "# the database\ndb {\n  host = \"h\"\n  pool = 5\n}\n");
    Files.createDirectories(dir.resolve("environments"));
    Files.writeString(dir.resolve("environments/development.conf.peb"),
        "# rendered\nenv = \"{{ env }}\"\ndb.pool = 7\n");
    Path jar = Files.createDirectories(tmp.resolve("classes"));
    Files.writeString(jar.resolve("reference.conf"),
        "# a library's defaults\nlib {\n  retries = 3\n  timeout = 5s\n}\ndb.pool = 1\n");
    Map<String, String> options = Map.of("dir", dir.toString(),
        "state", Files.createDirectories(tmp.resolve("state")).toString());
    try (java.net.URLClassLoader loader = new java.net.URLClassLoader(
        new java.net.URL[] {jar.toUri().toURL()}, null)) {
      List<Object> both = new ArrayList<>();
      for (boolean typesafeOnly : List.of(false, true)) {
        try {
          both.add(described(pipeline(options, typesafeOnly).build(new LayerStack.Request(dir,
              new Environment("development", "option"), Map.of(), new Properties(), Map.of(),
              null, loader))));
        } catch (QcfgException.Invalid e) {
          both.add(e.problems());
        }
      }
      assertThat(both.get(0).toString()).contains("lib.retries", "db.host", "development");
      assertThat(both.get(0)).isEqualTo(both.get(1));
    }
  }

  /** The plain reader declines a file deeper than the limit: Typesafe's path refuses it. */
  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void aPlainFileOverTheDepthLimitIsRefusedAsBefore() throws IOException {
    Files.writeString(tmp.resolve("application.conf"),
        "a {\n  b {\n    c.d.e.f.g.h.i = 1\n  }\n}\n"); // 9 deep
    Map<String, String> options = Map.of("dir", tmp.toString(),
        "state", Files.createDirectories(tmp.resolve("state")).toString(), "max-depth", "8");
    Object plain = outcome(pipeline(options, false), tmp, "development", Map.of());
    assertThat(plain.toString()).contains("QCFG-1008", "application.conf:3");
    assertThat(plain).isEqualTo(outcome(pipeline(options, true), tmp, "development", Map.of()));
  }

  private static void check(List<Edit> edits, boolean blocks) throws Exception {
    IncrementalBuildPropertiesTest.replay(edits, blocks, (dir, state) -> {
      Map<String, String> options = Map.of("dir", dir.toString(), "state", state.toString());
      Pipeline plain = pipeline(options, false); // long-lived: edits re-parse in part
      Pipeline typesafe = pipeline(options, true);
      return (model, done) -> assertThat(outcome(plain, dir, "development", model.env()))
          .as("after %s", done).isEqualTo(outcome(typesafe, dir, "development", model.env()));
    });
  }

  private static final Pipeline.Decryption OPAQUE = Pipeline.Decryption.OPAQUE_WITHOUT_KEY;

  private static Pipeline pipeline(Map<String, String> options, boolean typesafeOnly) {
    return pipeline(options, typesafeOnly, Pipeline.Decryption.STRICT);
  }

  private static Pipeline pipeline(Map<String, String> options, boolean typesafeOnly,
      Pipeline.Decryption decryption) {
    QcfgOptions opts = QcfgOptions.resolve(options, new Properties(), Map.of());
    LayerFileReader reader = Pipeline.reader(opts);
    return new Pipeline(opts, null, null, decryption,
        typesafeOnly ? LayerFileReader.typesafeOnly(reader.limits()) : reader);
  }

  /** The snapshot's description and its tree rendered with origin comments, or the problems. */
  private static Object outcome(Pipeline p, Path dir, String env, Map<String, String> vars) {
    try {
      return described(p.build(new LayerStack.Request(dir, new Environment(env, "option"),
          Map.of(), new Properties(), vars, null, null)));
    } catch (QcfgException.Invalid e) {
      return e.problems().stream().map(Problem::toString).toList();
    }
  }

  private static List<Object> described(ConfigSnapshot s) {
    List<Object> out = new ArrayList<>(IncrementalBuildPropertiesTest.described(s));
    out.add(s.config().root().render());
    return out;
  }
}
