package io.qcfg.internal.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qcfg.Problem;
import io.qcfg.Qcfg;
import io.qcfg.QcfgException;
import io.qcfg.internal.engine.Engine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Messages are bounded; a deleted base file is named as such (issue 15 items 13 and 14). */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BoundedMessagesTest {
  @TempDir Path dir;
  @TempDir Path state;

  @AfterEach
  void stop() {
    Qcfg.stop();
  }

  void start(String conf) throws Exception {
    Files.writeString(dir.resolve("application.conf"), conf);
    Qcfg.start(Map.of("dir", dir.toString(), "state", state.toString(), "watch", "false",
        "jmx", "false"));
  }

  @Test
  void fiveThousandProblemsAreTwentyLinesAndACount() throws Exception {
    start("a = 1\n");
    StringBuilder conf = new StringBuilder();
    StringBuilder props = new StringBuilder();
    for (int i = 0; i < 5000; i++) {
      conf.append("k").append(i).append(" = \"").append("x".repeat(50)).append("\"\n");
    }
    Files.writeString(dir.resolve("application.conf"), conf);
    Files.writeString(dir.resolve("schema.json"),
        "{\"additionalProperties\": {\"type\": \"integer\"}}");
    QcfgException.Invalid e = (QcfgException.Invalid) catchInvalid();
    assertThat(e.problems()).hasSize(5000); // every problem is kept for callers
    String message = e.getMessage();
    assertThat(message.lines().count()).isEqualTo(1 + QcfgException.Invalid.SHOWN + 1);
    assertThat(message).endsWith("and " + (5000 - QcfgException.Invalid.SHOWN) + " more");
    assertThat(message.length()).isLessThan(20_000);
    String lastError = Engine.require().status().lastError();
    assertThat(lastError.length()).isLessThan(20_000);
    assertThat(lastError).contains("and 4980 more");
    for (String line : Files.readAllLines(state.resolve("audit.log"))) {
      assertThat(line.length()).as("audit line").isLessThan(20_000);
    }
  }

  @Test
  void oneHugeReasonIsOneBoundedLineWithItsLocation() {
    Problem p = new Problem("QCFG-1011", "config/application.conf:3", "list",
        "cannot resolve " + "ConfigConcatenation(1,2) ".repeat(8000) + "\nsecond line");
    assertThat(p.toString()).doesNotContain("\n").startsWith("config/application.conf:3: list: ");
    assertThat(p.toString().length()).isLessThan(600);
  }

  @Test
  void manyAppendsAreEitherAppliedOrRejectedWithABoundedMessage() throws Exception {
    start("list = [0]\n");
    StringBuilder conf = new StringBuilder("list = [0]\n");
    for (int i = 0; i < 300; i++) {
      conf.append("list += ").append(i).append('\n');
    }
    Files.writeString(dir.resolve("application.conf"), conf);
    try {
      Qcfg.reload();
    } catch (QcfgException.Invalid e) {
      assertThat(e.getMessage().length()).isLessThan(2_000);
      // (no file yet: Typesafe's resolve error has no origin; the resolution rewrite removes it)
      assertThat(e.getMessage()).doesNotContain("ResolveSource").doesNotContain("\n");
    }
  }

  @Test
  void aDeletedBaseFileIsReportedAgainstItselfWithNoEmptyCause() throws Exception {
    Files.createDirectories(dir.resolve("environments"));
    Files.writeString(dir.resolve("environments/development.conf"), "b = ${a}\n");
    start("a = 1\n");
    Files.delete(dir.resolve("application.conf"));
    QcfgException.Invalid e = (QcfgException.Invalid) catchInvalid();
    assertThat(e.getMessage()).contains("application.conf");
    List<String> causes = new ArrayList<>();
    for (Problem p : e.problems()) {
      causes.add(p.toString());
      assertThat(p.reason()).isNotBlank();
      assertThat(p.location()).isNotBlank();
    }
    assertThat(causes.get(0)).as(causes.toString()).contains("application.conf")
        .contains("QCFG-1040").doesNotContain("environments/");
    assertThat(e.getMessage().lines().skip(1).findFirst().orElse("x").trim()).isNotEmpty();
    assertThat(Engine.require().status().lastError()).doesNotStartWith("\n").isNotBlank()
        .doesNotStartWith(" ");
  }

  @Test
  void theListOfChangedFilesNeverStartsWithAnEmptyEntry() {
    Path d = Path.of("config");
    assertThat(io.qcfg.internal.watch.ChangeBatch.describe(
            new java.util.LinkedHashSet<>(List.of(Path.of(""), Path.of("application.conf"))), d))
        .isEqualTo("application.conf");
    assertThat(io.qcfg.internal.watch.ChangeBatch.describe(java.util.Set.of(Path.of("")), d))
        .isEqualTo("config");
    assertThat(io.qcfg.internal.watch.ChangeBatch.describe(
            java.util.Set.of(Path.of("b.conf"), Path.of("a.conf")), d))
        .isEqualTo("a.conf, b.conf");
  }

  private static Throwable catchInvalid() {
    Throwable[] t = new Throwable[1];
    assertThatThrownBy(() -> {
          try {
            Qcfg.reload();
          } catch (Throwable x) {
            t[0] = x;
            throw x;
          }
        })
        .isInstanceOf(QcfgException.Invalid.class);
    return t[0];
  }
}
