package io.qcfg.internal.layer;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qcfg.QcfgException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Issue 13 item 5: a missing close brace names where the unclosed object starts. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SyntaxProblemsTest {
  @TempDir Path dir;

  @Test
  void missingCloseBraceNamesTheOpeningLineAndPath() throws Exception {
    Files.writeString(dir.resolve("application.conf"),
        "a = 1\ndb {\n  url = \"x { y\" # not a brace {\n  pool = {\n    size = ${?N}\n  \n}\nz = 2\n");
    assertThatThrownBy(() -> new LayerStack(new LayerFileReader(Limits.DEFAULT), null)
        .load(new LayerStack.Request(dir, new Environment("development", "t"), Map.of(),
            new Properties(), Map.of(), null, null)))
        .isInstanceOfSatisfying(QcfgException.Invalid.class, e -> {
          var p = e.problems().get(0);
          Assertions.assertThat(p.id()).isEqualTo("QCFG-1023");
          Assertions.assertThat(p.location()).endsWith("application.conf:2");
          Assertions.assertThat(p.path()).isEqualTo("db");
          Assertions.assertThat(p.reason()).contains("line 2").contains("'}'");
        });
  }

  @Test
  void theInnermostUnclosedObjectIsNamedWithItsFullPath() {
    var open = SyntaxProblems.unclosed("db {\n  pool = {\n    size = 1\n");
    Assertions.assertThat(open).extracting(SyntaxProblems.Open::key).containsExactly("db", "pool");
    Assertions.assertThat(open.get(1).line()).isEqualTo(2);
  }
}
