package io.qcfg.internal;

import io.qcfg.internal.engine.Engine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qcfg.Qcfg;
import io.qcfg.QcfgException;
import io.qcfg.Snapshot;
import io.qcfg.internal.audit.AuditVerifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateAndHistoryTest {
  @TempDir Path tmp;

  Snapshot start() {
    return Qcfg.start(Map.of("dir", tmp.resolve("config").toString(), "state",
        tmp.resolve("state").toString(), "watch", "false", "jmx", "false"));
  }

  void write(String file, String text) throws Exception {
    Path p = tmp.resolve("config").resolve(file);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
  }

  @AfterEach
  void stop() {
    Qcfg.stop();
  }

  @Test
  void versionsKeepRisingAcrossRestartsAndHistoryHasNoPlaintextSecret() throws Exception {
    write("application.conf", "a = 1\n");
    write("secrets/db.password", "canary-SECRET-1\n");
    assertThat(start().version()).isEqualTo(1);
    write("application.conf", "a = 2\n");
    assertThat(Qcfg.reload().version()).isEqualTo(2);
    Qcfg.stop();
    write("application.conf", "a = 3\n");
    assertThat(start().version()).isEqualTo(3);
    assertThat(Engine.require().history()).extracting(h -> h.version()).containsExactly(1L, 2L, 3L);
    try (Stream<Path> files = Files.walk(tmp.resolve("state"))) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        // Bytes as Latin-1: the start tree is binary; the canary is ASCII.
        assertThat(new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1))
            .as(f.toString()).doesNotContain("canary-SECRET-1");
      }
    }
    AuditVerifier.Result verified = AuditVerifier.verify(tmp.resolve("state"));
    assertThat(verified.ok()).as(verified.toString()).isTrue();
    assertThat(verified.linesChecked()).isGreaterThanOrEqualTo(3);
  }

  @Test
  void invalidFilesAtStartFallBackToTheLastValidSnapshotWithSecretsReRead() throws Exception {
    write("application.conf", "a = 1\n");
    write("secrets/db.password", "s3cret-value\n");
    start();
    Qcfg.stop();
    write("application.conf", "a = {\n");
    Snapshot s = start();
    // The fallback is version 1's content again: the same version, no new one.
    assertThat(s.version()).isEqualTo(1);
    assertThat(s.cause()).contains("fallback to version 1");
    assertThat(s.getInt("a")).isEqualTo(1);
    assertThat(s.getString("db.password")).isEqualTo("s3cret-value");
    assertThat(s.isSecret("db.password")).isTrue();
    // Fixing the files is picked up by the next reload.
    write("application.conf", "a = 5\n");
    assertThat(Qcfg.reload().getInt("a")).isEqualTo(5);
  }

  @Test
  void invalidFilesAtStartWithoutHistoryThrow() throws Exception {
    write("application.conf", "a = {\n");
    assertThatThrownBy(this::start).isInstanceOf(QcfgException.Invalid.class)
        .hasMessageContaining("application.conf:1").hasMessageContaining("never closed");
    assertThat(Qcfg.isRunning()).isFalse();
  }

  @Test
  void rollbackAppliesAnOldVersionAgainAsANewOne() throws Exception {
    write("application.conf", "a = 1\n");
    start();
    write("application.conf", "a = 2\n");
    Qcfg.reload();
    Snapshot back = Engine.require().rollback(1, "alice");
    assertThat(back.version()).isEqualTo(3);
    assertThat(back.getInt("a")).isEqualTo(1);
    assertThat(back.cause()).contains("rollback to version 1").contains("alice");
    assertThat(back.origin("a").orElseThrow().layer()).isEqualTo("history");
    assertThatThrownBy(() -> Engine.require().rollback(99, "alice"))
        .isInstanceOf(QcfgException.Refused.class).hasMessageContaining("not in history");
    // A rollback that no longer validates against today's schema is refused.
    write("schema.json", "{\"properties\":{\"a\":{\"minimum\":2}}}");
    assertThatThrownBy(() -> Engine.require().rollback(1, "alice"))
        .isInstanceOf(QcfgException.Invalid.class).hasMessageContaining("a");
    assertThat(Qcfg.current().version()).isEqualTo(3);
    List<String> audit = Files.readAllLines(tmp.resolve("state/audit.log"));
    assertThat(String.join("\n", audit)).contains("\"rollback\"").contains("\"rejected\"");
  }

  @Test
  void oldFormatIsMigratedInMemoryWithOriginsKept() throws Exception {
    write("application.conf", "qcfg.format = 1\ndb.url = \"jdbc:x\"\n");
    write("migrations/001-rename.conf", "steps = [ { rename = \"db.url\", to = \"database.url\" } ]\n");
    Snapshot s = Qcfg.start(Map.of("dir", tmp.resolve("config").toString(), "state",
        tmp.resolve("state").toString(), "watch", "false", "jmx", "false", "format", "2"));
    assertThat(s.getString("database.url")).isEqualTo("jdbc:x");
    assertThat(s.hasPath("db.url")).isFalse();
    assertThat(s.origin("database.url").orElseThrow().location()).endsWith("application.conf:2");
    Qcfg.stop();
    write("application.conf", "qcfg.format = 3\n");
    assertThatThrownBy(() -> Qcfg.start(Map.of("dir", tmp.resolve("config").toString(), "state",
        tmp.resolve("state2").toString(), "watch", "false", "jmx", "false", "format", "2")))
        .hasMessageContaining("newer");
  }
}
