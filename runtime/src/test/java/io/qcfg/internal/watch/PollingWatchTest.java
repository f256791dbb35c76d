package io.qcfg.internal.watch;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.nio.file.StandardCopyOption.ATOMIC_MOVE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.qcfg.internal.log.Log;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Polling mode: content hashes, never timestamps. */
class PollingWatchTest {
  private static final Duration INTERVAL = Duration.ofMillis(300);
  // One interval, the 50 ms quiet window, two scans, and room for a busy build machine.
  private static final Duration VISIBLE_WITHIN = INTERVAL.plusMillis(700);

  @TempDir Path tmp;
  private Path config;
  private final Recorder recorder = new Recorder();
  private DirectoryWatcher watcher;
  private final ByteArrayOutputStream logged = new ByteArrayOutputStream();

  @BeforeEach
  void createConfigDir() throws IOException {
    config = Files.createDirectories(tmp.resolve("config"));
    Files.writeString(config.resolve("application.conf"), "a = 1\n");
    Log.redirect(new PrintStream(logged, true, UTF_8));
  }

  @AfterEach
  void stop() {
    if (watcher != null) {
      watcher.close();
      assertThat(watcher.running()).as("poll thread ended").isFalse();
    }
    Log.redirect(System.err);
    assertThat(recorder.overlapped).isFalse();
    assertThat(recorder.threadNames).allMatch(n -> n.equals("qcfg-watch-poll"));
  }

  private void start() {
    watcher =
        DirectoryWatcher.start(
            config, new WatchMode.Poll(INTERVAL), DirectoryWatcher.DEFAULT_QUIET_WINDOW, recorder);
    assertThat(watcher.mode()).isEqualTo(new WatchMode.Poll(INTERVAL));
  }

  private void assertNoCallbackBeyond(int count) {
    await()
        .during(INTERVAL.multipliedBy(3))
        .atMost(INTERVAL.multipliedBy(10))
        .until(() -> recorder.count() == count);
  }

  private static void deleteTree(Path top) throws IOException {
    try (Stream<Path> all = Files.walk(top)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  @Test
  void contentChangeIsSeenWithinOneIntervalPlusSlack() throws IOException {
    start();
    Files.writeString(config.resolve("application.conf"), "a = 2\n");

    await().atMost(VISIBLE_WITHIN).until(() -> recorder.saw("application.conf"));
    assertThat(recorder.calls.get(0)).containsExactly(Path.of("application.conf"));
  }

  @Test
  void touchAndAnIdenticalRewriteDoNotFire() throws IOException {
    start();
    Path app = config.resolve("application.conf");
    Files.setLastModifiedTime(app, FileTime.from(Instant.now().plusSeconds(60)));
    Files.writeString(app, "a = 1\n");

    assertNoCallbackBeyond(0);
  }

  @Test
  void filesAppearingAndDisappearingAreReported() throws IOException {
    start();
    Path envs = Files.createDirectories(config.resolve("environments"));
    Files.writeString(envs.resolve("production.conf"), "p = 1\n");
    await().atMost(VISIBLE_WITHIN).until(() -> recorder.saw("environments/production.conf"));
    int before = recorder.count();

    deleteTree(envs);
    await()
        .atMost(VISIBLE_WITHIN)
        .until(() -> recorder.sawAfter(before, "environments/production.conf"));
  }

  @Test
  void editorNoiseIsNotHashed() throws IOException {
    start();
    Files.writeString(config.resolve(".application.conf.swp"), "swap");
    Files.writeString(config.resolve("application.conf~"), "backup");
    Files.writeString(config.resolve("4913"), "");

    assertNoCallbackBeyond(0);
  }

  @Test
  void kubernetesSwapIsReportedUnderTheVisibleName() throws IOException {
    Path v1 = Files.createDirectories(config.resolve("..2026_01_01_00_00_00.1"));
    Files.writeString(v1.resolve("app.conf"), "v = 1\n");
    Files.createSymbolicLink(config.resolve("..data"), v1.getFileName());
    Files.createSymbolicLink(config.resolve("app.conf"), Path.of("..data/app.conf"));
    start();

    Path v2 = Files.createDirectories(config.resolve("..2026_01_01_00_01_00.2"));
    Files.writeString(v2.resolve("app.conf"), "v = 2\n");
    Files.createSymbolicLink(config.resolve("..data_tmp"), v2.getFileName());
    Files.move(config.resolve("..data_tmp"), config.resolve("..data"), ATOMIC_MOVE);
    deleteTree(v1);

    await().atMost(VISIBLE_WITHIN).until(() -> recorder.saw("app.conf"));
    assertThat(recorder.union()).containsExactly(Path.of("app.conf"));
  }

  @Test
  void configDirectoryDeletedAndRestored() throws IOException {
    start();
    deleteTree(config);
    await().atMost(VISIBLE_WITHIN).until(() -> recorder.saw("application.conf"));
    assertThat(logged.toString(UTF_8)).contains("does not exist").contains("[QCFG-4310]");
    int before = recorder.count();

    Files.createDirectories(config);
    Files.writeString(config.resolve("application.conf"), "a = 3\n");
    await().atMost(VISIBLE_WITHIN).until(() -> recorder.sawAfter(before, "application.conf"));
  }

  @Test
  void symlinkLoopIsSkippedAndTheRestIsPolled() throws IOException {
    Files.createSymbolicLink(config.resolve("loop"), Path.of("."));
    start();
    assertThat(logged.toString(UTF_8)).contains("symlink loop").contains("[QCFG-4312]");

    Files.writeString(config.resolve("application.conf"), "a = 4\n");
    await().atMost(VISIBLE_WITHIN).until(() -> recorder.saw("application.conf"));
    assertThat(recorder.union()).containsExactly(Path.of("application.conf"));
  }

  @Test
  void closeEndsThePollThreadPromptly() throws IOException {
    start();
    long t0 = System.nanoTime();
    watcher.close();
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(INTERVAL);
    assertThat(watcher.running()).isFalse();

    Files.writeString(config.resolve("application.conf"), "a = 5\n");
    assertNoCallbackBeyond(0);
  }
}
