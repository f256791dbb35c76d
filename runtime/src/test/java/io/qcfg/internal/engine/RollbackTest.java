package io.qcfg.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.qcfg.Qcfg;
import io.qcfg.QcfgException;
import io.qcfg.Snapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Issue 15 items 6 and 7: what a rollback holds against, and rollbacks across environments. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RollbackTest {
  @TempDir Path tmp;

  Path dir() {
    return tmp.resolve("config");
  }

  void start(String env) {
    Qcfg.start(Map.of("dir", dir().toString(), "state", tmp.resolve("state").toString(),
        "watch", "false", "jmx", "false", "env", env));
  }

  @AfterEach
  void stop() {
    Qcfg.stop();
  }

  /** What the watcher does after an event: one queued reload; waits until it ran. */
  void eventOn(Path file) {
    Engine e = Engine.require();
    long before = e.status().reloadCount();
    e.inputsChanged(file);
    await().atMost(Duration.ofSeconds(10)).until(() -> e.status().reloadCount() > before);
  }

  @Test
  void aRollbackHoldsUntilTheInputsGiveSomethingElseThanWhatItReplaced() throws Exception {
    Files.createDirectories(dir());
    Path app = dir().resolve("application.conf");
    Path schema = dir().resolve("schema.json");
    Files.writeString(app, "app.port = 1\n");
    Files.writeString(schema, "{\"type\":\"object\"}");
    start("development");
    Files.writeString(app, "app.port = 2\n");
    eventOn(app);
    assertThat(Qcfg.current().version()).isEqualTo(2);
    Snapshot back = Engine.require().rollback(1, "operator");
    assertThat(back.version()).isEqualTo(3);
    assertThat(back.getInt("app.port")).isEqualTo(1);

    Files.setLastModifiedTime(app, FileTime.from(Instant.now().plusSeconds(5))); // touch
    eventOn(app);
    Files.setPosixFilePermissions(app, PosixFilePermissions.fromString("rw-------")); // chmod
    eventOn(app);
    Files.writeString(dir().resolve("notes.txt"), "unrelated\n");
    eventOn(dir().resolve("notes.txt"));
    Files.writeString(schema, "{\"type\":\"object\"}"); // identical re-save
    eventOn(schema);
    assertThat(Qcfg.current().version()).isEqualTo(3);
    assertThat(Qcfg.current().getInt("app.port")).isEqualTo(1);

    Files.writeString(app, "app.port = 5\n");
    eventOn(app);
    assertThat(Qcfg.current().version()).isEqualTo(4);
    assertThat(Qcfg.current().getInt("app.port")).isEqualTo(5);
  }

  @Test
  void aRollbackToAnotherEnvironmentsVersionIsRefusedUnlessAllowed() throws Exception {
    Files.createDirectories(dir());
    Files.writeString(dir().resolve("application.conf"), "db.host = prod-db\n");
    Files.createDirectories(dir().resolve("environments"));
    Files.writeString(dir().resolve("environments/development.conf"), "db.host = localhost\n");
    start("development");
    assertThat(Qcfg.current().getString("db.host")).isEqualTo("localhost");
    Qcfg.stop();
    start("production");
    assertThat(Qcfg.current().version()).isEqualTo(2);
    Engine e = Engine.require();
    assertThatThrownBy(() -> e.rollback(1, "operator"))
        .isInstanceOf(QcfgException.Refused.class)
        .hasMessageContaining("QCFG-1608")
        .hasMessageContaining("'development'")
        .hasMessageContaining("'production'")
        .hasMessageContaining("--allow-environment-change");
    assertThat(Qcfg.current().version()).isEqualTo(2);
    Snapshot s = e.rollback(1, "operator", true);
    assertThat(s.version()).isEqualTo(3);
    assertThat(s.environment()).isEqualTo("development");
    assertThat(s.getString("db.host")).isEqualTo("localhost");
    // An event that changes nothing does not undo it in its new environment either.
    eventOn(dir().resolve("application.conf"));
    assertThat(Qcfg.current().version()).isEqualTo(3);
  }
}
