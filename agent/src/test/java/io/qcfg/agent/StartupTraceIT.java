package io.qcfg.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code trace=startup} in a real JVM: one table with every phase of the start, once. */
@Timeout(180)
class StartupTraceIT {
  static final String TITLE = "start-up trace (trace=startup)";
  static final String DONE = "first snapshot: version 1";

  @TempDir Path tmp;

  private String options() throws Exception {
    Path dir = tmp.resolve("config");
    Files.createDirectories(dir.resolve("environments"));
    Files.writeString(dir.resolve("application.conf"), "s { int = 80, string = seven }\n");
    Files.writeString(dir.resolve("environments/development.conf"), "s.string = eight\n");
    Files.writeString(dir.resolve("schema.json"), "{\"type\": \"object\", \"properties\":"
        + " {\"s\": {\"type\": \"object\", \"properties\": {\"int\": {\"type\": \"integer\"}}}}}");
    return "dir=" + dir + ",state=" + tmp.resolve("state") + ",env=development,jmx=false";
  }

  @Test
  void theOptionPrintsEveryPhaseFromPremainToTheRecordedFirstSnapshotOnce() throws Exception {
    try (AppJvm app = AppJvm.start(options() + ",trace=startup", List.of(), "app.TraceMain")) {
      assertThat(app.awaitOut("READY")).isEqualTo("READY eight");
      app.awaitErr(DONE);
      String err = String.join("\n", app.stderr());
      assertThat(err).containsOnlyOnce(TITLE);
      assertThat(table(err)).contains("premain (options, transformer, engine thread)", "options",
          "state dir", "history (open)", "audit (open)",
          "layers (read, parse, merge, resolve)",
          "schema (load", "validation (schema)", "version (reserve)", "publish",
          "field binding", "history (write)", "audit (write)", "qcfg-applier",
          // where a short-lived JVM's exit stops waiting, and the log line just before it
          "log line (started)", "first start recorded: an exit waits no longer")
          .containsPattern("parse \\S*config/application\\.conf")
          .containsPattern("parse \\S*config/environments/development\\.conf");
      // the columns: start and duration in milliseconds, then the phase
      assertThat(table(err).lines().filter(l -> l.matches("\\s+[0-9.]+\\s+[0-9.]+\\s+parse .*")))
          .hasSizeGreaterThanOrEqualTo(2);
    }
  }

  @Test
  void anApplicationThatEndsAtOnceStillGetsItsTable() throws Exception {
    try (AppJvm app = AppJvm.start(options() + ",trace=startup", List.of(), "app.FirstUse")) {
      assertThat(app.awaitExit()).isZero();
      assertThat(app.stdout()).contains("value=eight");
      assertThat(table(String.join("\n", app.stderr()))).contains("premain", "options");
    }
  }

  @Test
  void theEnvironmentVariableTurnsItOnAndWithoutItNothingIsPrinted() throws Exception {
    String options = options();
    try (AppJvm app = AppJvm.start(options, List.of(), "app.FirstUse")) {
      assertThat(app.awaitExit()).isZero();
      assertThat(String.join("\n", app.stderr())).doesNotContain("start-up trace");
    }
    try (AppJvm app = AppJvm.startWithEnv(Map.of("QCFG_TRACE", "startup"), options, List.of(),
        "app.TraceMain")) {
      app.awaitErr(DONE);
      assertThat(table(String.join("\n", app.stderr())))
          .contains("history (write)");
    }
  }

  /** The table's text: from its title to the end. */
  private static String table(String stderr) {
    int at = stderr.indexOf(TITLE);
    assertThat(at).as(stderr).isNotNegative();
    return stderr.substring(at);
  }
}
