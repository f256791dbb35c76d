package io.qcfg.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.qcfg.Qcfg;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file watcher registers beside the first build (issue 16); an edit that lands after the
 * build read the files and before the watcher is registered (no event for it) is still applied.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WatchStartTest {
  @TempDir Path tmp;

  @AfterEach
  void stop() {
    WatchStart.beforeRegister = null;
    Qcfg.stop();
  }

  private Map<String, String> options(Path dir) {
    return Map.of("dir", dir.toString(), "state", tmp.resolve("state").toString(),
        "watch", "true", "jmx", "false", "env", "development");
  }

  @Test
  void anEditBetweenTheFirstReadAndTheRegistrationIsApplied() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("config"));
    Path file = dir.resolve("application.conf");
    Files.writeString(file, "a = 1\n");
    WatchStart.beforeRegister = () -> {
      try { // the first snapshot is out (it read a = 1); the watcher is not registered yet
        assertThat(Engine.require().current().config().getInt("a")).isEqualTo(1);
        Files.writeString(file, "a = 2\n");
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    };
    Qcfg.start(options(dir));
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(Qcfg.current().getInt("a")).isEqualTo(2));
    assertThat(Qcfg.current().version()).isEqualTo(2);
  }

  @Test
  void noEditQueuesNoNewVersionAndLaterEditsAreSeen() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("config"));
    Path file = dir.resolve("application.conf");
    Files.writeString(file, "a = 1\n");
    java.util.concurrent.CountDownLatch registering = new java.util.concurrent.CountDownLatch(1);
    WatchStart.beforeRegister = registering::countDown;
    Qcfg.start(options(dir));
    assertThat(registering.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(Qcfg.current().version()).isEqualTo(1);
    // The watcher works: an edit now is an event (retried until the registration is done).
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
      Files.writeString(file, "a = 3\n");
      assertThat(Qcfg.current().getInt("a")).isEqualTo(3);
    });
    assertThat(Engine.require().history()).extracting(h -> h.version()).containsExactly(1L, 2L);
  }
}
