package io.qcfg.internal.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qcfg.QcfgException;
import io.qcfg.internal.Pipeline;
import io.qcfg.internal.QcfgOptions;
import io.qcfg.internal.layer.Environment;
import io.qcfg.internal.layer.LayerStack;
import io.qcfg.internal.snapshot.ConfigSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Numbers reach the schema with the value the file wrote (issue 13 item 3). */
class ExactNumbersTest {
  @TempDir Path dir;

  ConfigSnapshot build(String conf, String schema) throws Exception {
    Files.writeString(dir.resolve("application.conf"), conf);
    if (schema != null) {
      Files.writeString(dir.resolve("schema.json"), schema);
    }
    Pipeline p = new Pipeline(QcfgOptions.defaults(), null, null);
    return p.build(
        new LayerStack.Request(
            dir, new Environment("development", "option"), Map.of(), new Properties(), Map.of(),
            null, null));
  }

  @Test
  void anIntegerBeyondLongIsAnIntegerForTheSchema() throws Exception {
    String schema = "{\"properties\":{\"big\":{\"type\":\"integer\"}}}";
    build("big = 123456789012345678901234567890\n", schema);
    assertThatThrownBy(() -> build("big = \"123456789012345678901234567890\"\n", schema))
        .isInstanceOf(QcfgException.Invalid.class)
        .hasMessageContaining("big");
    String asString = "{\"properties\":{\"big\":{\"type\":\"string\"}}}";
    assertThatThrownBy(() -> build("big = 123456789012345678901234567890\n", asString))
        .isInstanceOf(QcfgException.Invalid.class)
        .hasMessageContaining("QCFG-1204");
  }

  @Test
  void bigIntegersCompareExactlyWithMaximum() throws Exception {
    String schema =
        "{\"properties\":{\"big\":{\"type\":\"integer\",\"maximum\":123456789012345678901234567890}}}";
    build("big = 123456789012345678901234567890\n", schema);
    assertThatThrownBy(() -> build("big = 123456789012345678901234567891\n", schema))
        .isInstanceOf(QcfgException.Invalid.class)
        .hasMessageContaining("application.conf:1: big");
  }

  @Test
  void preciseDecimalsAreNotRoundedBeforeExclusiveMaximum() throws Exception {
    String schema = "{\"properties\":{\"d\":{\"exclusiveMaximum\":0.1000000000000000000001}}}";
    build("d = 0.10000000000000000000009\n", schema);
    assertThatThrownBy(() -> build("d = 0.1000000000000000000001\n", schema))
        .isInstanceOf(QcfgException.Invalid.class)
        .hasMessageContaining("application.conf:1: d");
    assertThatThrownBy(() -> build("d = 0.10000000000000000000011\n", schema))
        .isInstanceOf(QcfgException.Invalid.class);
  }

  @Test
  void aNumberBeyondDoubleIsAQcfgProblemWithFileLineAndPath() throws Exception {
    for (String schema : new String[] {null, "{\"type\":\"object\"}"}) {
      assertThatThrownBy(() -> build("a = 1\nx { big = 1e400, small = -1e400 }\n", schema))
          .isInstanceOfSatisfying(
              QcfgException.Invalid.class,
              e -> {
                assertThat(e.problems()).hasSize(2);
                assertThat(e.problems().get(0).id()).isEqualTo("QCFG-1206");
                assertThat(e.problems().get(0).location()).endsWith("application.conf:2");
                assertThat(e.problems().get(0).path()).isEqualTo("x.big");
                assertThat(e.getMessage()).doesNotContain("JSONException").doesNotContain("Infinity");
              });
    }
    assertThatThrownBy(() -> build("l = [1, 2e999]\n", null))
        .isInstanceOf(QcfgException.Invalid.class)
        .hasMessageContaining("l.1");
  }

  @Test
  void booleanSchemasWork() throws Exception {
    build("a = 1\n", "true");
    build("a = 1\n", " true \n");
    assertThatThrownBy(() -> build("a = 1\n", "false"))
        .isInstanceOf(QcfgException.Invalid.class)
        .hasMessageContaining("QCFG-1204")
        .hasMessageNotContaining("not valid JSON");
    assertThatThrownBy(() -> build("a = 1\n", "42"))
        .isInstanceOf(QcfgException.Invalid.class)
        .hasMessageContaining("QCFG-1201");
    assertThatThrownBy(() -> build("a = 1\n", "{} x"))
        .isInstanceOf(QcfgException.Invalid.class)
        .hasMessageContaining("QCFG-1201");
  }

  @Test
  void quotedDigitsStayText() throws Exception {
    build("q = \"123456789012345678901234567890\"\n",
        "{\"properties\":{\"q\":{\"type\":\"string\"}}}");
  }
}
