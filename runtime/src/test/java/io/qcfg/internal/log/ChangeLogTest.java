package io.qcfg.internal.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qcfg.Qcfg;
import io.qcfg.QcfgException;
import io.qcfg.internal.engine.Engine;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Every accepted change logs a line; the first one after a rejection says "recovered". */
@Timeout(60)
class ChangeLogTest {
  @TempDir Path dir;
  @TempDir Path state;
  private final ByteArrayOutputStream logged = new ByteArrayOutputStream();

  @BeforeEach
  void start() throws Exception {
    Files.writeString(dir.resolve("application.conf"), "a = 1\n");
    Log.redirect(new PrintStream(logged, true, StandardCharsets.UTF_8));
    Qcfg.start(Map.of("dir", dir.toString(), "state", state.toString(), "watch", "false",
        "jmx", "false"));
  }

  @AfterEach
  void stop() {
    Qcfg.stop();
    Log.redirect(System.err);
  }

  private List<String> lines() {
    return Arrays.asList(logged.toString(StandardCharsets.UTF_8).split("\n"));
  }

  private String last() {
    List<String> l = lines();
    return l.get(l.size() - 1);
  }

  @Test
  void aFixedEditIsFollowedByARecoveredLineSoTheLastLineIsNotTheError() throws Exception {
    Files.writeString(dir.resolve("application.conf"), "a = {\n");
    assertThatThrownBy(Qcfg::reload).isInstanceOf(QcfgException.Invalid.class);
    assertThat(last()).doesNotContain("recovered");
    Files.writeString(dir.resolve("application.conf"), "a = 2\n");
    Qcfg.reload();
    assertThat(lines()).anyMatch(l -> l.contains("applied version 2 (reload"));
    assertThat(last()).endsWith("[qcfg] recovered: version 2 is active and valid after 1 rejected"
        + " change");
  }

  @Test
  void undoingARejectedEditRecoversWithoutANewVersion() throws Exception {
    Files.writeString(dir.resolve("application.conf"), "a = {\n");
    assertThatThrownBy(Qcfg::reload).isInstanceOf(QcfgException.Invalid.class);
    assertThatThrownBy(Qcfg::reload).isInstanceOf(QcfgException.Invalid.class);
    Files.writeString(dir.resolve("application.conf"), "a = 1\n"); // the same checksum
    Qcfg.reload();
    assertThat(last()).endsWith("recovered: version 1 is active and valid (unchanged: the rejected"
        + " edit was undone) after 2 rejected changes");
    Qcfg.reload();
    assertThat(lines().stream().filter(l -> l.contains("recovered"))).hasSize(1);
  }

  @Test
  void rollbacksOverridesAndSwitchesEachLogALine() throws Exception {
    Engine r = Engine.require();
    Files.writeString(dir.resolve("application.conf"), "a = 2\n");
    Qcfg.reload();
    r.rollback(1, "alice");
    assertThat(lines()).anyMatch(l -> l.contains("applied version 3 (rollback to version 1 by alice)"));
    r.setOverride("a", "5", "bob");
    assertThat(last()).contains("applied version 4 (override a by bob)");
    Files.createDirectories(dir.resolve("environments"));
    Files.writeString(dir.resolve("environments/staging.conf"), "b = 1\n");
    r.switchEnvironment("staging", "carol");
    assertThat(last()).contains("applied version 5 (environment switch to staging by carol)");
  }
}
