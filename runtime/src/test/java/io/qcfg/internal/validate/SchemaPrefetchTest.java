package io.qcfg.internal.validate;

import static org.assertj.core.api.Assertions.assertThat;

import io.qcfg.Problem;
import io.qcfg.internal.layer.LayerFileReader;
import io.qcfg.internal.layer.Limits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Issue 16 item 2: the schema loads on its own thread; the build takes that load. */
@Timeout(60)
class SchemaPrefetchTest {
  @TempDir Path dir;

  @Test
  void aBuildAfterAPrefetchGetsTheSameLoadedSchemaAndItsSecretPatterns() throws Exception {
    Path schema = uniqueSchemaWithSecret(dir.resolve("schema.json"), "writeOnly");
    SchemaValidator v = validator();
    v.prefetch(schema);
    List<Problem> problems = new ArrayList<>();
    SchemaValidator.Loaded first = v.load(schema, problems);
    SchemaValidator.Loaded again = v.load(schema, problems);
    assertThat(problems).isEmpty();
    assertThat(first.schema()).isNotNull();
    assertThat(again).isSameAs(first);
    assertThat(first.secretPatterns()).containsExactly("db.dsn");
  }

  @Test
  void aBrokenSchemaIsStillReportedByTheBuildAfterAPrefetch() throws Exception {
    Path schema = Files.writeString(dir.resolve("schema.json"), "{\"type\": \"object\",,}");
    SchemaValidator v = validator();
    v.prefetch(schema);
    List<Problem> problems = new ArrayList<>();
    assertThat(v.load(schema, problems).schema()).isNull();
    assertThat(problems).extracting(Problem::id).containsExactly("QCFG-1201");
  }

  @Test
  void aBuildGetsTheSecretPatternsFirstAndTheSchemaWhenItAsks() throws Exception {
    // Whether the prefetch is still in everit's load when the build asks or already done, the
    // build sees the same patterns, then the same loaded schema (issue 16: it indexes between).
    for (int i = 0; i < 5; i++) {
      Path schema = uniqueSchemaWithSecret(dir.resolve("schema" + i + ".json"), "x-secret");
      SchemaValidator v = validator();
      v.prefetch(schema);
      List<Problem> problems = new ArrayList<>();
      SchemaValidator.Pending pending = v.begin(schema, problems);
      assertThat(pending.secretPatterns()).containsExactly("db.dsn");
      assertThat(pending.schemaExpected()).isTrue();
      SchemaValidator.Loaded loaded = pending.loaded();
      assertThat(loaded.schema()).isNotNull();
      assertThat(loaded.secretPatterns()).isEqualTo(pending.secretPatterns());
      assertThat(pending.loaded()).isSameAs(loaded);
      assertThat(v.load(schema, problems)).isSameAs(loaded);
      assertThat(problems).isEmpty();
    }
  }

  @Test
  void aSchemaEveritRefusesIsReportedWhenTheBuildAsksForIt() throws Exception {
    Path schema = Files.writeString(dir.resolve("schema.json"),
        "{\"type\": \"object\", \"minProperties\": \"many" + System.nanoTime() + "\"}");
    SchemaValidator v = validator();
    v.prefetch(schema);
    List<Problem> problems = new ArrayList<>();
    SchemaValidator.Pending pending = v.begin(schema, problems);
    assertThat(pending.loaded().schema()).isNull();
    assertThat(problems).extracting(Problem::id).containsExactly("QCFG-1202");
  }

  @Test
  void aSchemaEditedAfterThePrefetchBeganIsTheOneTheBuildGets() throws Exception {
    // The build reads the file again and takes the prefetched load only for the same text, so a
    // prefetch may begin before the inputs are digested: the build sees what they fingerprint.
    Path schema = Files.writeString(dir.resolve("schema.json"), "{\"properties\": {\"a"
        + System.nanoTime() + "\": {\"writeOnly\": true}}}");
    SchemaValidator v = validator();
    v.prefetch(schema);
    Files.writeString(schema, "{\"properties\": {\"b\": {\"x-secret\": true},"
        + " \"n" + System.nanoTime() + "\": {\"type\": \"integer\"}}}");
    List<Problem> problems = new ArrayList<>();
    SchemaValidator.Pending pending = v.begin(schema, problems);
    assertThat(pending.secretPatterns()).containsExactly("b");
    assertThat(pending.loaded().secretPatterns()).containsExactly("b");
    assertThat(pending.loaded().schema()).isNotNull();
    assertThat(problems).isEmpty();
  }

  @Test
  void noSchemaFileNoThread() {
    SchemaValidator v = validator();
    v.prefetch(dir.resolve("schema.json"));
    assertThat(v.load(dir.resolve("schema.json"), new ArrayList<>()).schema()).isNull();
  }

  private static SchemaValidator validator() {
    return new SchemaValidator(new LayerFileReader(Limits.DEFAULT)::readText);
  }

  /**
   * A schema whose {@code db.dsn} is marked secret by {@code marker}, unique to this call (the
   * loaded schemas are cached by text across tests).
   */
  private static Path uniqueSchemaWithSecret(Path file, String marker) throws java.io.IOException {
    return Files.writeString(file, "{\"type\": \"object\", \"properties\": {\"db\":"
        + " {\"properties\": {\"dsn\": {\"" + marker + "\": true}}},"
        + " \"unique" + System.nanoTime() + "\": {\"type\": \"integer\"}}}");
  }
}
