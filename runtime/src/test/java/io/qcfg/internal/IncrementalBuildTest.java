package io.qcfg.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qcfg.QcfgException;
import io.qcfg.internal.layer.Environment;
import io.qcfg.internal.layer.LayerStack;
import io.qcfg.internal.snapshot.ConfigSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19 item 3: a reload after one leaf changed merges that path only, takes every other
 * subtree's index from the last build and validates only the objects on the changed path; a
 * substitution sends it back to the full path. {@link IncrementalBuildPropertiesTest} proves the
 * results equal a full build's; this test proves the shortcuts are taken.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IncrementalBuildTest {
  @TempDir Path dir;
  @TempDir Path state;

  static final String SCHEMA = """
      {"type": "object", "properties": {
        "m1": {"type": "object", "properties": {"s1": {"type": "object", "properties": {
                "port": {"type": "integer", "maximum": 9000}}}}},
        "m2": {"type": "object"}}}
      """;

  ConfigSnapshot build(Pipeline p) {
    return p.build(new LayerStack.Request(dir, new Environment("development", "option"),
        Map.of(), new Properties(), Map.of(), null, null));
  }

  @Test
  void oneChangedLeafIsMergedIndexedAndValidatedAlone() throws Exception {
    StringBuilder base = new StringBuilder();
    for (int m = 1; m <= 3; m++) {
      for (int s = 1; s <= 5; s++) {
        base.append("m").append(m).append(".s").append(s).append(" { port = 80").append(s)
            .append(", name = n").append(s).append(" }\n");
      }
    }
    Files.writeString(dir.resolve("application.conf"), base);
    Files.createDirectories(dir.resolve("environments"));
    Files.writeString(dir.resolve("environments/development.conf"), "m1.s1.port = 8080\n");
    Files.writeString(dir.resolve("schema.json"), SCHEMA);
    Pipeline p = IncrementalBuildPropertiesTest.pipeline(dir, state);
    build(p);
    assertThat(p.lastMergeWasIncremental()).as("the first build is full").isFalse();

    Files.writeString(dir.resolve("environments/development.conf"), "m1.s1.port = 8081\n");
    ConfigSnapshot s = build(p);
    assertThat(s.getInt("m1.s1.port")).isEqualTo(8081);
    assertThat(p.lastMergeWasIncremental()).isTrue();
    // m2, m3 and m1.s2..s5 are the same objects as last time
    assertThat(p.lastReusedSubtrees).isEqualTo(2 + 4);
    // A tree the schema's quick check accepts never reaches everit (issue 16)
    assertThat(p.schemaQuickPasses()).isEqualTo(2);
    assertThat(p.lastValidatedObjects()).isZero();

    Files.writeString(dir.resolve("environments/development.conf"), "m1.s1.port = 9999\n");
    assertThatThrownBy(() -> build(p)).isInstanceOf(QcfgException.Invalid.class)
        .hasMessageContaining("m1.s1.port");
    assertThat(p.schemaQuickPasses()).as("a no goes to everit").isEqualTo(2);

    Files.writeString(dir.resolve("environments/development.conf"),
        "m1.s1.port = 9999\nm1.s2.name = x\n");
    assertThatThrownBy(() -> build(p)).as("a reused failing subtree still fails")
        .hasMessageContaining("m1.s1.port");
    assertThat(p.lastValidatedObjects()).as("root, m1, m1.s2").isEqualTo(3);
  }

  @Test
  void aSubstitutionSendsTheMergeBackToTheFullPath() throws Exception {
    Files.writeString(dir.resolve("application.conf"), "a { x = 1 }\nb = 2\n");
    Pipeline p = IncrementalBuildPropertiesTest.pipeline(dir, state);
    build(p);
    Files.writeString(dir.resolve("application.conf"), "a { x = 1 }\nb = ${a.x}\n");
    assertThat(build(p).getInt("b")).isEqualTo(1);
    assertThat(p.lastMergeWasIncremental()).isFalse();
    Files.writeString(dir.resolve("application.conf"), "a { x = 3 }\nb = ${a.x}\n");
    assertThat(build(p).getInt("b")).isEqualTo(3);
    assertThat(p.lastMergeWasIncremental()).isFalse();
    Files.writeString(dir.resolve("application.conf"), "a { x = 3 }\nb = 4\n");
    build(p);
    Files.writeString(dir.resolve("application.conf"), "a { x = 5 }\nb = 4\n");
    assertThat(build(p).getInt("a.x")).isEqualTo(5);
    assertThat(p.lastMergeWasIncremental()).isTrue();
  }

  /**
   * The nightly property run found it: a lower layer holding an unresolved object that a higher
   * layer hides ({@code a = 1, a.y = ${b}} under {@code a = 1}) made the incremental merge ask
   * that object for its values, and the reload failed with Typesafe's NotResolved.
   */
  @Test
  void anUnresolvedObjectAHigherLayerHidesSendsTheMergeBackToTheFullPath() throws Exception {
    Files.writeString(dir.resolve("application.conf"), "a = 1\nb = 2\n");
    Files.createDirectories(dir.resolve("environments"));
    Files.writeString(dir.resolve("environments/development.conf"), "a = 1\na.y = ${b}\n");
    Files.writeString(dir.resolve("local.conf"), "a = 1\n");
    Pipeline p = IncrementalBuildPropertiesTest.pipeline(dir, state);
    assertThat(build(p).getInt("a")).isEqualTo(1);
    Files.writeString(dir.resolve("application.conf"), "a = [1, 2]\nb = 2\n");
    assertThat(build(p).getInt("a")).isEqualTo(1);
    assertThat(p.lastMergeWasIncremental()).isFalse();
  }
}
