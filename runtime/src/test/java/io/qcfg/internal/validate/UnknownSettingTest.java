package io.qcfg.internal.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.qcfg.Problem;
import io.qcfg.QcfgException;
import io.qcfg.internal.Pipeline;
import io.qcfg.internal.QcfgOptions;
import io.qcfg.internal.layer.Environment;
import io.qcfg.internal.layer.LayerStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** QCFG-1205 names the nearest path the schema knows (issue 17 item 7). */
@Timeout(30)
class UnknownSettingTest {
  static final String SCHEMA =
      """
      {"type":"object","additionalProperties":false,"properties":{
        "greeter":{"type":"object","additionalProperties":false,"properties":{
          "workers":{"type":"integer"},"greeting":{"type":"string"}}},
        "http":{"type":"object"}}}
      """;

  @TempDir Path dir;

  List<Problem> problems(String conf) throws Exception {
    Files.writeString(dir.resolve("application.conf"), conf);
    Files.writeString(dir.resolve("schema.json"), SCHEMA);
    Pipeline p = new Pipeline(QcfgOptions.defaults(), null, null);
    QcfgException.Invalid e = catchThrowableOfType(
        QcfgException.Invalid.class,
        () -> p.build(new LayerStack.Request(dir, new Environment("development", "option"),
            Map.of(), new Properties(), Map.of(), null, null)));
    assertThat(e).as("expected the candidate to be invalid").isNotNull();
    return e.problems();
  }

  @Test
  void aTypoBelowAnObjectNamesTheNearestKnownPath() throws Exception {
    Problem p = problems("greeter { wokers = 4, greeting = hi }\n").get(0);
    assertThat(p.id()).isEqualTo("QCFG-1205");
    assertThat(p.path()).isEqualTo("greeter.wokers");
    assertThat(p.location()).endsWith("application.conf:1");
    assertThat(p.reason())
        .isEqualTo("not a setting the schema knows (additionalProperties is false at greeter);"
            + " did you mean greeter.workers?");
  }

  @Test
  void aTypoAtTheRootNamesTheNearestTopLevelName() throws Exception {
    Problem p = problems("greter.workers = 4\n").get(0);
    assertThat(p.path()).isEqualTo("greter");
    assertThat(p.reason()).endsWith("at the root); did you mean greeter?");
  }

  @Test
  void nothingCloseStaysATypoQuestion() throws Exception {
    Problem p = problems("greeter { completely-different = 1 }\n").get(0);
    assertThat(p.id()).isEqualTo("QCFG-1205");
    assertThat(p.reason()).endsWith("at greeter); a typo?");
  }
}
