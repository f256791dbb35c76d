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

  /**
   * A fast restart publishes, and registers the watcher only when the full build behind it is
   * due (issue 16); an edit after the publish, even one after that build read the files, but
   * before the registration (the hook stalls it), is applied all the same.
   */
  @Test
  void onAFastRestartAnEditBeforeTheLateRegistrationIsApplied() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("config"));
    Path file = dir.resolve("application.conf");
    Files.writeString(file, "a = 1\n");
    Qcfg.start(options(dir)); // the first start keeps the fingerprint
    Qcfg.stop();
    java.util.concurrent.CompletableFuture<String> seen = new java.util.concurrent.CompletableFuture<>();
    WatchStart.beforeRegister = () -> {
      try {
        Engine e = Engine.running();
        // Published (from the fast path) before the registration began.
        seen.complete(e.startPath() + ", a = " + e.current().config().getInt("a"));
        await().atMost(Duration.ofSeconds(20)).until(e::fastStartChecked);
        Files.writeString(file, "a = 2\n"); // no event: nothing is registered yet
      } catch (java.io.IOException | RuntimeException x) {
        seen.complete("failed: " + x);
      }
    };
    Qcfg.start(options(dir));
    assertThat(seen.get(30, TimeUnit.SECONDS)).isEqualTo(FastStartTest.FAST + ", a = 1");
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(Qcfg.current().getInt("a")).isEqualTo(2));
    assertThat(Qcfg.current().version()).isEqualTo(2);
  }

  @Test
  void aFileWrittenInTwoBurstsAcrossTheRegistrationIsNeverAppliedHalfWritten() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("config"));
    Path file = dir.resolve("application.conf");
    Files.writeString(file, "svc { limit = 1, name = old }\n");
    java.util.List<String> applied = new java.util.concurrent.CopyOnWriteArrayList<>();
    WatchStart.beforeRegister = () -> {
      try { // the first burst lands after the first build read the file and before the
        // registration, valid on its own; the second, 100 ms later, after it (the writer's own
        // pause, as in HalfWrittenFileTest)
        await().atMost(Duration.ofSeconds(20)).until(() -> Engine.running() != null
            && Engine.running().current() != null);
        var ch = java.nio.channels.FileChannel.open(file,
            java.nio.file.StandardOpenOption.WRITE,
            java.nio.file.StandardOpenOption.TRUNCATE_EXISTING);
        ch.write(java.nio.ByteBuffer.wrap("svc.limit = 2\n".getBytes()));
        ch.force(true);
        Thread writer = new Thread(() -> {
          try (ch) {
            Thread.sleep(100);
            ch.write(java.nio.ByteBuffer.wrap("svc.name = whole\n".getBytes()));
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
        writer.start();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    };
    Qcfg.start(options(dir));
    Qcfg.onChange(c -> applied.add(c.newSnapshot().hasPath("svc.name")
        ? c.newSnapshot().getString("svc.name") : "half-written"));
    await().atMost(Duration.ofSeconds(30)).until(() -> Qcfg.current().hasPath("svc.name")
        && Qcfg.current().getString("svc.name").equals("whole"));
    assertThat(Qcfg.current().getInt("svc.limit")).isEqualTo(2);
    assertThat(applied).doesNotContain("half-written");
    // History is the whole record: the start, then the whole file; no half-written version.
    assertThat(Engine.require().history()).extracting(h -> h.version()).containsExactly(1L, 2L);
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
