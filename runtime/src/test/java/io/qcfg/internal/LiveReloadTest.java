package io.qcfg.internal;

import io.qcfg.internal.engine.Engine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.qcfg.ConfigValue;
import io.qcfg.Qcfg;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LiveReloadTest {
  @TempDir Path tmp;
  Path dir;

  static final class Service {
    @ConfigValue("svc.limit")
    volatile int limit = -1;
  }

  @BeforeEach
  void start() throws Exception {
    dir = tmp.resolve("config");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("application.conf"), "svc.limit = 1\n");
    Qcfg.start(Map.of("dir", dir.toString(), "state", tmp.resolve("state").toString(), "jmx", "false"));
  }

  @AfterEach
  void stop() {
    Qcfg.stop();
  }

  @Test
  void followsRenameEditsInPlaceEditsAndNewLayers() throws Exception {
    Service s = Qcfg.bind(new Service());
    assertThat(s.limit).isEqualTo(1);

    Path tmpFile = dir.resolve(".application.conf.swp-new");
    Files.writeString(tmpFile, "svc.limit = 2\n");
    Files.move(tmpFile, dir.resolve("application.conf"), StandardCopyOption.ATOMIC_MOVE);
    await().atMost(Duration.ofSeconds(5)).until(() -> s.limit == 2);

    Files.writeString(dir.resolve("application.conf"), "svc.limit = 3\n");
    await().atMost(Duration.ofSeconds(5)).until(() -> s.limit == 3);

    Files.createDirectories(dir.resolve("environments"));
    Files.writeString(dir.resolve("environments/development.conf"), "svc.limit = 4\n");
    await().atMost(Duration.ofSeconds(5)).until(() -> s.limit == 4);
    long version = Qcfg.current().version();

    // A syntax error mid-edit is rejected; the field and version stay.
    Files.writeString(dir.resolve("environments/development.conf"), "svc.limit = {\n");
    await().atMost(Duration.ofSeconds(5)).until(() -> Engine.require().status().rejectedCount() >= 1);
    assertThat(s.limit).isEqualTo(4);
    assertThat(Qcfg.current().version()).isEqualTo(version);

    // Fixing it applies again.
    Files.writeString(dir.resolve("environments/development.conf"), "svc.limit = 5\n");
    await().atMost(Duration.ofSeconds(5)).until(() -> s.limit == 5);
  }

  @Test
  void touchIsNotANewVersion() throws Exception {
    // The watcher registers once the first snapshot is out (issue 16), and an edit before that
    // is found by comparing the files; a touch is no change to find. An applied edit shows that
    // the watcher is registered.
    Files.writeString(dir.resolve("application.conf"), "svc.limit = 2\n");
    await().atMost(Duration.ofSeconds(10)).until(() -> Qcfg.current().getInt("svc.limit") == 2);
    assertThat(Qcfg.current().version()).isEqualTo(2);
    long reloadsBefore = Engine.require().status().reloadCount();
    Files.setLastModifiedTime(dir.resolve("application.conf"),
        java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
    Files.writeString(dir.resolve("application.conf"), "svc.limit = 2\n");
    await().atMost(Duration.ofSeconds(5)).until(() -> Engine.require().status().reloadCount() > reloadsBefore);
    assertThat(Qcfg.current().version()).isEqualTo(2);
  }
}
