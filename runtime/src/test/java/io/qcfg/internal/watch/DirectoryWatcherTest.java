package io.qcfg.internal.watch;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.nio.file.StandardCopyOption.ATOMIC_MOVE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.qcfg.internal.log.Log;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Native mode against real files: every way editors, deploy tools and Kubernetes change them. */
class DirectoryWatcherTest {
  private static final Duration DEADLINE = Duration.ofSeconds(5);
  private static final Path WHOLE_DIR = Path.of("");

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
      assertThat(watcher.running()).as("watcher thread ended").isFalse();
    }
    Log.redirect(System.err);
    assertThat(recorder.overlapped).as("callbacks never overlap").isFalse();
    assertThat(recorder.threadNames).allMatch(n -> n.equals("qcfg-watch"));
  }

  private void start() {
    start(DirectoryWatcher.DEFAULT_QUIET_WINDOW);
  }

  private void start(Duration quietWindow) {
    watcher = DirectoryWatcher.start(config, WatchMode.NATIVE, quietWindow, recorder);
    assertThat(watcher.mode()).isEqualTo(WatchMode.NATIVE);
  }

  private void awaitSeen(String relative) {
    await().atMost(DEADLINE).until(() -> recorder.saw(relative));
  }

  private void awaitSeenAfter(int skip, String relative) {
    await().atMost(DEADLINE).until(() -> recorder.sawAfter(skip, relative));
  }

  /** Waits long enough to be sure the watcher stays silent (several quiet windows). */
  private void assertNoCallbackBeyond(int count) {
    await().during(Duration.ofMillis(400)).atMost(DEADLINE).until(() -> recorder.count() == count);
  }

  private String log() {
    return logged.toString(UTF_8);
  }

  private static void deleteTree(Path top) throws IOException {
    try (Stream<Path> all = Files.walk(top)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  @Test
  void renameOverSaveIsReportedUnderTheRealNameAndTheTempFileIsIgnored() throws IOException {
    start();
    // IntelliJ safe write: write a temp file next to the original, then rename it over.
    Path temp = config.resolve("application.conf___jb_tmp___");
    Files.writeString(temp, "a = 2\n");
    Files.move(temp, config.resolve("application.conf"), ATOMIC_MOVE);

    awaitSeen("application.conf");
    assertThat(recorder.union()).containsExactly(Path.of("application.conf"));
  }

  @Test
  void vimStyleSaveWithBackupAndProbeFilesReportsOnlyTheRealName() throws IOException {
    start();
    Files.writeString(config.resolve("4913"), "");
    Files.delete(config.resolve("4913"));
    Files.move(config.resolve("application.conf"), config.resolve("application.conf~"));
    Files.writeString(config.resolve(".application.conf.swp"), "swap");
    Files.writeString(config.resolve("application.conf"), "a = 2\n");
    Files.delete(config.resolve("application.conf~"));

    awaitSeen("application.conf");
    assertThat(recorder.union()).containsExactly(Path.of("application.conf"));
  }

  @Test
  void truncateAndRewriteInPlace() throws IOException {
    start();
    Files.writeString(
        config.resolve("application.conf"),
        "a = 3\n",
        StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING);

    awaitSeen("application.conf");
  }

  @Test
  void writesInSeveralBurstsGiveExactlyOneCallbackAfterTheWindow() throws Exception {
    start(Duration.ofMillis(200));
    try (FileChannel ch =
        FileChannel.open(
            config.resolve("application.conf"),
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      for (int i = 0; i < 6; i++) {
        ch.write(ByteBuffer.wrap(("k" + i + " = " + i + "\n").getBytes(UTF_8)));
        // Deliberate: the bursts must be spaced out (10 ms, well inside the 200 ms window).
        Thread.sleep(10);
      }
    }

    await().atMost(DEADLINE).until(() -> recorder.count() == 1);
    assertNoCallbackBeyond(1);
    assertThat(recorder.calls.get(0)).containsExactly(Path.of("application.conf"));
  }

  @Test
  void deleteThenRecreate() throws IOException {
    start();
    Files.delete(config.resolve("application.conf"));
    awaitSeen("application.conf");
    int before = recorder.count();

    Files.writeString(config.resolve("application.conf"), "a = 4\n");
    awaitSeenAfter(before, "application.conf");
  }

  @Test
  void directoryRemovedAndRestoredIsWatchedAgain() throws IOException {
    Path envs = Files.createDirectories(config.resolve("environments"));
    Files.writeString(envs.resolve("production.conf"), "p = 1\n");
    start();

    deleteTree(envs);
    awaitSeen("environments");
    int afterDelete = recorder.count();

    Files.createDirectories(envs);
    Files.writeString(envs.resolve("production.conf"), "p = 2\n");
    awaitSeenAfter(afterDelete, "environments");
    int afterRestore = recorder.count();

    // The restored directory is a new inode: only a fresh registration sees this edit.
    Files.writeString(envs.resolve("production.conf"), "p = 3\n");
    awaitSeenAfter(afterRestore, "environments/production.conf");
  }

  @Test
  void layersCreatedAfterStartAreWatched() throws IOException {
    start();
    Files.writeString(config.resolve("local.conf"), "l = 1\n");
    Path envs = Files.createDirectories(config.resolve("environments"));
    awaitSeen("local.conf");
    awaitSeen("environments");
    int before = recorder.count();

    Files.writeString(envs.resolve("staging.conf"), "s = 1\n");
    awaitSeenAfter(before, "environments/staging.conf");
    int afterCreate = recorder.count();

    Files.writeString(envs.resolve("staging.conf"), "s = 2\n");
    awaitSeenAfter(afterCreate, "environments/staging.conf");

    Path secrets = Files.createDirectories(config.resolve("secrets"));
    Files.writeString(secrets.resolve("db.password"), "x");
    Files.writeString(config.resolve("app.conf.peb"), "{{ x }}");
    awaitSeen("secrets");
    awaitSeen("app.conf.peb");
  }

  /**
   * The exact layout kubelet makes for a ConfigMap or Secret volume, and its atomic update: a new
   * timestamped directory, a {@code ..data_tmp} symlink to it, renamed over {@code ..data}.
   */
  private static void kubernetesVolume(Path dir, String timestamp, String content)
      throws IOException {
    Path data = Files.createDirectories(dir.resolve(".." + timestamp));
    Files.writeString(data.resolve("app.conf"), content);
    Files.createSymbolicLink(dir.resolve("..data"), Path.of(".." + timestamp));
    Files.createSymbolicLink(dir.resolve("app.conf"), Path.of("..data/app.conf"));
  }

  private static void kubernetesUpdate(
      Path dir, String oldTimestamp, String timestamp, String content) throws IOException {
    Path data = Files.createDirectories(dir.resolve(".." + timestamp));
    Files.writeString(data.resolve("app.conf"), content);
    Files.createSymbolicLink(dir.resolve("..data_tmp"), Path.of(".." + timestamp));
    Files.move(dir.resolve("..data_tmp"), dir.resolve("..data"), ATOMIC_MOVE);
    deleteTree(dir.resolve(".." + oldTimestamp));
  }

  @Test
  void kubernetesDataSymlinkSwapInTheConfigDirectory() throws IOException {
    kubernetesVolume(config, "2026_01_01_00_00_00.1", "v = 1\n");
    start();

    kubernetesUpdate(config, "2026_01_01_00_00_00.1", "2026_01_01_00_01_00.2", "v = 2\n");

    await().atMost(DEADLINE).until(() -> recorder.union().contains(WHOLE_DIR));
    assertThat(Files.readString(config.resolve("app.conf"))).isEqualTo("v = 2\n");
    assertThat(recorder.union()).allMatch(p -> !p.toString().contains(".."));
  }

  @Test
  void kubernetesSecretVolumeSwapInSecretsDirectoryAndAgain() throws IOException {
    Path secrets = Files.createDirectories(config.resolve("secrets"));
    kubernetesVolume(secrets, "2026_01_01_00_00_00.1", "p = 1\n");
    start();

    kubernetesUpdate(secrets, "2026_01_01_00_00_00.1", "2026_01_01_00_01_00.2", "p = 2\n");
    awaitSeen("secrets");
    int before = recorder.count();

    kubernetesUpdate(secrets, "2026_01_01_00_01_00.2", "2026_01_01_00_02_00.3", "p = 3\n");
    awaitSeenAfter(before, "secrets");
    assertThat(recorder.union()).containsOnly(Path.of("secrets"));
  }

  @Test
  void configDirectoryDeletedAndRestored() throws IOException {
    Files.createDirectories(config.resolve("environments"));
    start();

    deleteTree(config);
    await().atMost(DEADLINE).until(() -> recorder.union().contains(WHOLE_DIR));
    await().atMost(DEADLINE).until(() -> log().contains("[QCFG-4310]"));
    int afterDelete = recorder.count();

    Files.createDirectories(config.resolve("environments"));
    Files.writeString(config.resolve("application.conf"), "a = 5\n");
    await()
        .atMost(DEADLINE)
        .until(
            () -> recorder.calls.stream().skip(afterDelete).anyMatch(c -> c.contains(WHOLE_DIR)));
    assertThat(log()).contains("the configuration directory is back").contains("[QCFG-4311]");
    int afterRestore = recorder.count();

    Files.writeString(config.resolve("environments/production.conf"), "p = 1\n");
    awaitSeenAfter(afterRestore, "environments/production.conf");
  }

  @Test
  void configDirectoryMissingAtStartIsWatchedForUntilItAppears() throws IOException {
    deleteTree(config);
    start();
    assertThat(log())
        .contains(config.toString())
        .contains("does not exist")
        .contains("[QCFG-4310]");

    Files.createDirectories(config);
    Files.writeString(config.resolve("application.conf"), "a = 1\n");
    await().atMost(DEADLINE).until(() -> recorder.union().contains(WHOLE_DIR));
    int before = recorder.count();

    Files.writeString(config.resolve("local.conf"), "l = 1\n");
    awaitSeenAfter(before, "local.conf");
  }

  @Test
  void configDirectoryAsASymlinkSwappedToANewTarget() throws IOException {
    Path v1 = Files.createDirectories(tmp.resolve("release-1"));
    Path v2 = Files.createDirectories(tmp.resolve("release-2"));
    Files.writeString(v1.resolve("application.conf"), "a = 1\n");
    Files.writeString(v2.resolve("application.conf"), "a = 2\n");
    deleteTree(config);
    Files.createSymbolicLink(config, v1);
    start();

    Path next = tmp.resolve("config.next");
    Files.createSymbolicLink(next, v2);
    Files.move(next, config, ATOMIC_MOVE);

    // Found by the once-a-second check of the directory's identity: inotify says nothing here.
    await().atMost(DEADLINE).until(() -> recorder.union().contains(WHOLE_DIR));
    int before = recorder.count();
    Files.writeString(v2.resolve("application.conf"), "a = 3\n");
    awaitSeenAfter(before, "application.conf");
  }

  @Test
  void symlinkLoopIsWarnedAboutOnceAndTheRestIsWatched() throws IOException {
    Files.createSymbolicLink(config.resolve("loop"), Path.of("."));
    Path envs = Files.createDirectories(config.resolve("environments"));
    Files.createSymbolicLink(envs.resolve("up"), Path.of(".."));
    start();

    Files.writeString(config.resolve("application.conf"), "a = 6\n");
    awaitSeen("application.conf");
    Files.writeString(envs.resolve("production.conf"), "p = 1\n");
    awaitSeen("environments/production.conf");

    assertThat(log()).contains("symlink loop, not followed").contains("[QCFG-4312]");
    assertThat(log().split("\\[QCFG-4312]", -1)).hasSize(3); // one per loop, not per event
    assertThat(watcher.running()).isTrue();
  }

  @Test
  void fileReplacedByADirectoryAndBack() throws IOException {
    Path envs = config.resolve("environments");
    Files.writeString(envs, "not a directory\n");
    start();

    Files.delete(envs);
    Files.createDirectories(envs);
    awaitSeen("environments");
    int before = recorder.count();
    Files.writeString(envs.resolve("production.conf"), "p = 1\n");
    awaitSeenAfter(before, "environments/production.conf");

    deleteTree(envs);
    Files.writeString(envs, "a file again\n");
    int beforeFile = recorder.count();
    Files.writeString(envs, "a file, edited\n");
    awaitSeenAfter(beforeFile, "environments");
    assertThat(watcher.running()).isTrue();
  }

  @Test
  void tenThousandEventsGiveAFewCallbacksAndTheFinalStateIsSeen() throws IOException {
    AtomicReference<String> lastSeen = new AtomicReference<>();
    recorder.during = paths -> lastSeen.set(read(config.resolve("application.conf")));
    start(Duration.ofMillis(200));

    // Each write is a truncate and a write: two events, 10,000 in all.
    for (int i = 0; i < 5_000; i++) {
      Files.writeString(config.resolve("application.conf"), "a = " + i + "\n");
    }

    await().atMost(DEADLINE).until(() -> "a = 4999\n".equals(lastSeen.get()));
    assertNoCallbackBeyond(recorder.count());
    // A few, not thousands: on a loaded machine the writing loop itself may stall for longer
    // than the quiet window now and then, and each stall ends a burst (seen: 4 in a loop of
    // full builds on 2 busy cores).
    assertThat(recorder.count()).isBetween(1, 20);
  }

  @Test
  void manyNewFilesCollapseToTheWholeDirectory() throws IOException {
    Path secrets = Files.createDirectories(config.resolve("secrets"));
    start(Duration.ofMillis(200));

    for (int i = 0; i < 1_000; i++) {
      Files.writeString(secrets.resolve("key" + i), "v");
    }

    await().atMost(DEADLINE).until(() -> recorder.union().contains(WHOLE_DIR));
    assertNoCallbackBeyond(recorder.count());
    // A few, not thousands: on a loaded machine the writing loop itself may stall for longer
    // than the quiet window now and then, and each stall ends a burst (seen: 4 in a loop of
    // full builds on 2 busy cores).
    assertThat(recorder.count()).isBetween(1, 20);
    assertThat(recorder.calls).allMatch(c -> c.size() <= ChangeBatch.MAX_PATHS);
  }

  @Test
  void eventsDuringTheCallbackAreDeliveredInOneMoreCall() throws Exception {
    CountDownLatch inFirstCall = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    recorder.during =
        paths -> {
          if (recorder.count() == 1) {
            inFirstCall.countDown();
            awaitUninterruptibly(release);
          }
        };
    start();

    Files.writeString(config.resolve("application.conf"), "a = 7\n");
    assertThat(inFirstCall.await(5, TimeUnit.SECONDS)).isTrue();
    Files.writeString(config.resolve("local.conf"), "l = 1\n");
    Files.writeString(config.resolve("local.conf"), "l = 2\n");
    release.countDown();

    awaitSeen("local.conf");
    assertNoCallbackBeyond(2);
    assertThat(recorder.calls.get(1)).containsExactly(Path.of("local.conf"));
  }

  @Test
  void aThrowingCallbackIsLoggedAndWatchingGoesOn() throws IOException {
    recorder.during =
        paths -> {
          if (recorder.count() == 1) {
            throw new IllegalStateException("engine broke");
          }
        };
    start();

    Files.writeString(config.resolve("application.conf"), "a = 8\n");
    await().atMost(DEADLINE).until(() -> log().contains("[QCFG-4314]"));
    assertThat(log()).contains("the change callback failed").contains("engine broke");

    Files.writeString(config.resolve("local.conf"), "l = 1\n");
    awaitSeen("local.conf");
  }

  @Test
  void closeStopsTheThreadAndNoCallbackFollows() throws IOException {
    start();
    watcher.close();
    assertThat(watcher.running()).isFalse();
    watcher.close(); // idempotent

    Files.writeString(config.resolve("application.conf"), "a = 9\n");
    assertNoCallbackBeyond(0);
  }

  @Test
  void closeFromInsideTheCallbackDoesNotDeadlock() throws IOException {
    recorder.during = paths -> watcher.close();
    start();

    Files.writeString(config.resolve("application.conf"), "a = 10\n");
    await().atMost(DEADLINE).until(() -> !watcher.running());
    assertThat(recorder.count()).isEqualTo(1);
  }

  @Test
  void offStartsNoThreadAndNeverCallsBack() throws IOException {
    watcher = DirectoryWatcher.start(config, WatchMode.OFF, Duration.ofMillis(50), recorder);
    assertThat(watcher.running()).isFalse();
    Files.writeString(config.resolve("application.conf"), "a = 11\n");
    assertNoCallbackBeyond(0);
  }

  @Test
  void pathsAreRelativeToTheConfigDirectoryEvenWhenStartedWithARelativeOne() throws IOException {
    Path relative = Path.of("").toAbsolutePath().relativize(config);
    watcher = DirectoryWatcher.start(relative, WatchMode.NATIVE, Duration.ofMillis(50), recorder);
    assertThat(watcher.directory()).isEqualTo(config);

    Files.writeString(config.resolve("rules.conf"), "r = 1\n");
    awaitSeen("rules.conf");
    assertThat(recorder.union()).containsExactly(Path.of("rules.conf"));
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return null;
    }
  }

  private static void awaitUninterruptibly(CountDownLatch latch) {
    try {
      latch.await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
