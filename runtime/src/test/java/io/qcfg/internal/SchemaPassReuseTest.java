package io.qcfg.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qcfg.Problem;
import io.qcfg.QcfgException;
import io.qcfg.internal.layer.Environment;
import io.qcfg.internal.layer.LayerStack;
import io.qcfg.internal.snapshot.ConfigSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19 item 3, its smallest part: a rebuild that gives the tree the schema last passed skips
 * everit, and gives the same snapshot, or the same problems, as a full build.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SchemaPassReuseTest {
  @TempDir Path dir;
  @TempDir Path state;

  static final String SCHEMA = """
      {"type": "object", "additionalProperties": false,
       "properties": {"a": {"type": "integer", "minimum": %d},
                      "s": {"type": "string", "maxLength": 3},
                      "db": {"type": "object", "properties": {"password": {"type": "string"}}}}}
      """;

  Pipeline pipeline() {
    return pipeline(dir, state);
  }

  ConfigSnapshot build(Pipeline p) {
    return build(p, dir);
  }

  /** A pipeline with default options for {@code dir}, its state in {@code state}. */
  static Pipeline pipeline(Path dir, Path state) {
    return new Pipeline(QcfgOptions.resolve(Map.of("dir", dir.toString(),
        "state", state.toString()), new Properties(), Map.of()), null, null);
  }

  /** A build of {@code dir} for the development environment. */
  static ConfigSnapshot build(Pipeline p, Path dir) {
    return p.build(new LayerStack.Request(dir, new Environment("development", "option"),
        Map.of(), new Properties(), Map.of(), null, null));
  }

  void write(String conf, int minimum) throws Exception {
    Files.writeString(dir.resolve("application.conf"), conf);
    Files.writeString(dir.resolve("schema.json"), String.format(SCHEMA, minimum));
  }

  @Test
  void theSameTreeUnderTheSameSchemaIsValidatedOnce() throws Exception {
    Pipeline p = pipeline();
    write("a = 1\ns = ab\n", 0);
    String checksum = build(p).checksum();
    assertThat(p.schemaValidations).isEqualTo(1);
    Files.writeString(dir.resolve("application.conf"), "# re-saved\na = 1\ns = ab\n");
    assertThat(build(p).checksum()).isEqualTo(checksum);
    assertThat(p.schemaValidations).as("same tree, same schema: everit skipped").isEqualTo(1);

    write("a = -1\ns = ab\n", 0);
    assertThatThrownBy(() -> build(p)).hasMessageContaining("a: -1 is not greater or equal to 0");
    write("a = -1\ns = ab\n", 0);
    assertThatThrownBy(() -> build(p)).as("a failure is not remembered: validated and reported")
        .hasMessageContaining("a: -1 is not greater or equal to 0");
    assertThat(p.schemaValidations).isEqualTo(3);

    write("a = 1\ns = ab\n", 0);
    build(p);
    write("a = 1\ns = ab\n", 2);
    assertThatThrownBy(() -> build(p)).as("another schema validates the same tree again")
        .hasMessageContaining("a: 1 is not greater or equal to 2");
    assertThat(p.schemaValidations).isEqualTo(5);
  }

  /** Random edits (values repeat, so reuse happens) built both ways: the same outcome each time. */
  @Test
  void rebuildsThatReuseThePassAgreeWithFullBuilds() throws Exception {
    Random random = new Random(19);
    Pipeline reusing = pipeline();
    Files.createDirectories(dir.resolve("secrets"));
    int reused = 0;
    for (int i = 0; i < 60; i++) {
      int a = random.nextInt(4) - 1;
      String s = List.of("x", "xy", "long").get(random.nextInt(3));
      String extra = random.nextInt(6) == 0 ? "b = 1\n" : "";
      write("a = " + a + "\ns = " + s + "\n" + extra, random.nextInt(5) == 0 ? 1 : 0);
      Files.writeString(dir.resolve("secrets/db.password"), random.nextBoolean() ? "p1" : "p2");
      long validationsBefore = reusing.schemaValidations;
      Object viaReuse = outcome(reusing);
      Object viaFullBuild = outcome(pipeline());
      assertThat(viaReuse).as("edit %d", i).isEqualTo(viaFullBuild);
      if (reusing.schemaValidations == validationsBefore) {
        reused++;
      }
    }
    assertThat(reused).as("some rebuilds reused the pass").isPositive();
  }

  /** The checksum and every leaf of an accepted build, or the problems of a rejected one. */
  private Object outcome(Pipeline p) {
    try {
      ConfigSnapshot s = build(p);
      Map<String, Object> leaves = new TreeMap<>();
      for (String path : s.paths()) {
        leaves.put(path, s.config().getValue(path).unwrapped());
      }
      return List.of(s.checksum(), leaves);
    } catch (QcfgException.Invalid e) {
      return e.problems().stream().map(Problem::toString).toList();
    }
  }
}
