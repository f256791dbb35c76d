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
    Path schema = Files.writeString(dir.resolve("schema.json"), "{\"type\": \"object\","
        + " \"properties\": {\"db\": {\"properties\": {\"dsn\": {\"writeOnly\": true}}},"
        + " \"unique" + System.nanoTime() + "\": {\"type\": \"integer\"}}}");
    SchemaValidator v = new SchemaValidator(new LayerFileReader(Limits.DEFAULT)::readText);
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
    SchemaValidator v = new SchemaValidator(new LayerFileReader(Limits.DEFAULT)::readText);
    v.prefetch(schema);
    List<Problem> problems = new ArrayList<>();
    assertThat(v.load(schema, problems).schema()).isNull();
    assertThat(problems).extracting(Problem::id).containsExactly("QCFG-1201");
  }

  @Test
  void noSchemaFileNoThread() {
    SchemaValidator v = new SchemaValidator(new LayerFileReader(Limits.DEFAULT)::readText);
    v.prefetch(dir.resolve("schema.json"));
    assertThat(v.load(dir.resolve("schema.json"), new ArrayList<>()).schema()).isNull();
  }
}
