package io.qcfg.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.qcfg.internal.QcfgOptions;
import io.qcfg.internal.snapshot.ConfigSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 item 2: the application's first read waits for the published first snapshot only, not
 * for the extensions (JMX, http) that start after it; {@code Engine.start} still waits for them.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FirstSnapshotWaitTest {
  @TempDir Path tmp;
  final CountDownLatch release = new CountDownLatch(1);
  final CountDownLatch extensionRunning = new CountDownLatch(1);

  @AfterEach
  void stop() {
    release.countDown();
    Engine.stopRunning();
  }

  @Test
  void aReaderGoesOnAtPublishWhileAnExtensionIsStillStarting() throws Exception {
    Files.createDirectories(tmp.resolve("config"));
    Files.writeString(tmp.resolve("config/application.conf"), "app.port = 7\n");
    QcfgOptions options = QcfgOptions.resolve(Map.of("dir", tmp.resolve("config").toString(),
        "state", tmp.resolve("state").toString(), "watch", "false", "jmx", "false"),
        new Properties(), Map.of());
    Extension slow = new Extension() {
      @Override
      public void started(Engine engine) {
        extensionRunning.countDown();
        try {
          release.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }

      @Override
      public void stopped(Engine engine) {}
    };
    Engine e = Engine.startAsync(options, StartupFailure.THROW,
        ClassLoader.getSystemClassLoader(), List.of(slow));
    CompletableFuture<ConfigSnapshot> read = CompletableFuture.supplyAsync(e::current);
    assertThat(extensionRunning.await(20, TimeUnit.SECONDS)).isTrue();
    // The extension has not returned, yet the reader has its snapshot.
    assertThat(read.get(20, TimeUnit.SECONDS).getInt("app.port")).isEqualTo(7);
    assertThat(release.getCount()).isEqualTo(1);
    release.countDown();
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> e.hasSnapshot());
  }

  /**
   * The agent makes the engine on qcfg-start (issue 16): a reader right after premain waits for
   * it instead of finding no engine, and the extensions are made only after the first snapshot.
   */
  @Test
  void aReaderRightAfterABackgroundStartFindsTheEngine() throws Exception {
    Files.createDirectories(tmp.resolve("config"));
    Files.writeString(tmp.resolve("config/application.conf"), "app.port = 8\n");
    QcfgOptions options = QcfgOptions.resolve(Map.of("dir", tmp.resolve("config").toString(),
        "state", tmp.resolve("state").toString(), "watch", "false", "jmx", "false"),
        new Properties(), Map.of());
    java.util.concurrent.atomic.AtomicBoolean publishedWhenMade =
        new java.util.concurrent.atomic.AtomicBoolean();
    Engine.startInBackground(options, StartupFailure.THROW, ClassLoader.getSystemClassLoader(),
        () -> {
          publishedWhenMade.set(Engine.running().hasSnapshot());
          return List.of();
        });
    Engine e = Engine.running();
    assertThat(e).isNotNull();
    assertThat(Engine.require().current().getInt("app.port")).isEqualTo(8);
    Awaitility.await().atMost(Duration.ofSeconds(20)).untilTrue(publishedWhenMade);
  }
}
