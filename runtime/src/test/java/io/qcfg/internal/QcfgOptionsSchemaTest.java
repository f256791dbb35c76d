package io.qcfg.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shipped options schema names exactly the options the code accepts. */
class QcfgOptionsSchemaTest {
  @Test
  void schemaListsEveryOptionAndNoOther() throws Exception {
    JsonNode schema = new ObjectMapper().readTree(Path.of("../schemas/qcfg-options.schema.json").toFile());
    List<String> names = new ArrayList<>();
    schema.get("properties").fieldNames().forEachRemaining(names::add);
    assertThat(names).containsExactlyInAnyOrderElementsOf(QcfgOptions.NAMES);
  }
}
