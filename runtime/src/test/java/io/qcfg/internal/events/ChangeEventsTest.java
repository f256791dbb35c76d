package io.qcfg.internal.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qcfg.Qcfg;
import io.qcfg.QcfgException;
import io.qcfg.internal.engine.Engine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Applied, rejected and rolled-back changes are Flight Recorder events with their facts. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChangeEventsTest {
  @TempDir Path tmp;

  @AfterEach
  void stop() {
    Qcfg.stop();
  }

  @Test
  void appliedRejectedAndRollbackAreRecorded() throws Exception {
    Path dir = tmp.resolve("config");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("application.conf"), "a = 1\n");
    Qcfg.start(Map.of("dir", dir.toString(), "state", tmp.resolve("state").toString(),
        "watch", "false", "jmx", "false"));
    Path file = tmp.resolve("changes.jfr");
    try (Recording r = new Recording()) {
      r.enable("io.qcfg.ConfigApplied");
      r.enable("io.qcfg.ConfigRejected");
      r.enable("io.qcfg.ConfigRollback");
      r.start();
      Files.writeString(dir.resolve("application.conf"), "a = 2\n");
      Qcfg.reload();
      Files.writeString(dir.resolve("application.conf"), "a = {\n");
      assertThatThrownBy(Qcfg::reload).isInstanceOf(QcfgException.Invalid.class);
      Files.writeString(dir.resolve("application.conf"), "a = 2\n");
      Engine.require().rollback(1, "alice");
      r.stop();
      r.dump(file);
    }
    List<RecordedEvent> events = RecordingFile.readAllEvents(file);
    assertThat(events).extracting(e -> e.getEventType().getName()).containsExactly(
        "io.qcfg.ConfigApplied", "io.qcfg.ConfigRejected", "io.qcfg.ConfigApplied",
        "io.qcfg.ConfigRollback");
    RecordedEvent applied = events.get(0);
    assertThat(applied.getLong("version")).isEqualTo(2);
    assertThat(applied.getString("checksum")).hasSize(12);
    assertThat(applied.getString("cause")).contains("reload");
    assertThat(applied.getLong("buildTime")).isPositive();
    RecordedEvent rejected = events.get(1);
    assertThat(rejected.getLong("keptVersion")).isEqualTo(2);
    assertThat(rejected.getInt("problemCount")).isPositive();
    RecordedEvent rollback = events.get(3);
    assertThat(rollback.getLong("version")).isEqualTo(3);
    assertThat(rollback.getLong("targetVersion")).isEqualTo(1);
    assertThat(rollback.getString("cause")).contains("alice");
  }
}
