package io.qcfg.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.qcfg.Qcfg;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 item 8: a file written in place in two bursts 100 ms apart, whose first half is valid
 * on its own, must never be applied half-written (for a pause under about 300 ms, as README's Live
 * reload says; a round whose pause, from the truncation to the second burst, the machine
 * stretched past 250 ms is written again).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HalfWrittenFileTest {
  private static final long BOUND_MS = 250;

  @TempDir Path tmp;

  @AfterEach
  void stop() {
    Qcfg.stop();
  }

  @Test
  void aHalfWrittenFileThatIsValidOnItsOwnIsNeverApplied() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("config"));
    Path file = dir.resolve("application.conf");
    Files.writeString(file, "svc { limit = 1, name = \"old\" }\n");
    Qcfg.start(Map.of("dir", dir.toString(), "state", tmp.resolve("state").toString(),
        "jmx", "false"));
    List<String> applied = new CopyOnWriteArrayList<>();
    Qcfg.onChange(c -> applied.add(c.newSnapshot().hasPath("svc.name")
        ? c.newSnapshot().getString("svc.name") : "half-written"));

    // The guarantee covers a writer whose pause between bursts stays under about 300 ms (README,
    // Live reload). The test's own 100 ms sleep can stretch past that on a loaded machine, so a
    // round counts only when the measured pause stayed under BOUND_MS; rounds are written until
    // three have, and every one of those three must apply the whole file and nothing before it.
    int counted = 0;
    for (int round = 1; counted < 3 && round <= 12; round++) {
      int before = applied.size();
      long pauseNanos;
      // The file is incomplete from the truncation on (an empty file is valid too), and the
      // first burst's fsync can take long on a loaded disk, so the pause is timed from the open.
      long truncated = System.nanoTime();
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        ch.write(ByteBuffer.wrap(("svc.limit = " + (round + 1) + "\n")
            .getBytes(StandardCharsets.UTF_8)));
        ch.force(true);
        // Deliberate: the writer's own pause between two bursts, longer than the quiet window.
        Thread.sleep(100);
        ch.write(ByteBuffer.wrap(("svc.name = \"round-" + round + "\"\n")
            .getBytes(StandardCharsets.UTF_8)));
        pauseNanos = System.nanoTime() - truncated;
      }
      String expected = "round-" + round;
      await().atMost(Duration.ofSeconds(10)).until(() -> applied.contains(expected));
      List<String> all = List.copyOf(applied);
      List<String> thisRound = all.subList(before, all.size());
      if (pauseNanos <= TimeUnit.MILLISECONDS.toNanos(BOUND_MS)) {
        counted++;
        // Half-written, the file has no svc.name. Every applied snapshot is a whole file.
        assertThat(thisRound).as("round " + round + ", pause " + pauseNanos / 1_000_000 + " ms")
            .containsExactly(expected);
      }
    }
    assertThat(counted).as("rounds whose pause stayed under " + BOUND_MS + " ms").isEqualTo(3);
  }
}
