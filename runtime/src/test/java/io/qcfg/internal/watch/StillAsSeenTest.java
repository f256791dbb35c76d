package io.qcfg.internal.watch;

import static java.nio.file.StandardCopyOption.ATOMIC_MOVE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A delivery's check ({@link ChangeListener}): true while the delivered files hold what the
 * watcher saw, false once one is written again, true again when the content is back. The reload
 * that follows a delivery uses it to never read a later write's first burst.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StillAsSeenTest {
  private record Delivery(Set<Path> paths, BooleanSupplier stillAsSeen) {}

  @TempDir Path tmp;
  private DirectoryWatcher watcher;
  private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    if (watcher != null) {
      watcher.close();
    }
  }

  private Delivery awaitDelivery(String relative) {
    return await().atMost(Duration.ofSeconds(10)).until(
        () -> deliveries.stream().filter(d -> d.paths().contains(Path.of(relative)))
            .reduce((a, b) -> b).orElse(null),
        d -> d != null);
  }

  @ParameterizedTest
  @ValueSource(strings = {"native in place", "native rename", "poll in place"})
  void theCheckFollowsTheContentTheWatcherSaw(String how) throws Exception {
    Path config = Files.createDirectories(tmp.resolve("config"));
    Path file = config.resolve("application.conf");
    Files.writeString(file, "a = 1\n");
    WatchMode mode = how.startsWith("poll") ? new WatchMode.Poll(Duration.ofMillis(200))
        : WatchMode.NATIVE;
    watcher = DirectoryWatcher.start(config, mode, DirectoryWatcher.DEFAULT_QUIET_WINDOW,
        (paths, check) -> deliveries.add(new Delivery(paths, check)));

    if (how.endsWith("rename")) {
      Path temp = config.resolve("application.conf.tmp");
      Files.writeString(temp, "a = 2\n");
      Files.move(temp, file, ATOMIC_MOVE);
    } else {
      Files.writeString(file, "a = 2\n", StandardOpenOption.TRUNCATE_EXISTING);
    }
    Delivery d = awaitDelivery("application.conf");
    assertThat(d.stillAsSeen().getAsBoolean()).as("as delivered").isTrue();

    Files.writeString(file, "a = ", StandardOpenOption.TRUNCATE_EXISTING); // the next first burst
    assertThat(d.stillAsSeen().getAsBoolean()).as("written again").isFalse();
    Files.delete(file);
    assertThat(d.stillAsSeen().getAsBoolean()).as("gone").isFalse();
    Files.writeString(file, "a = 2\n");
    assertThat(d.stillAsSeen().getAsBoolean()).as("the same content again").isTrue();
  }
}
