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
 * on its own, must never be applied half-written.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HalfWrittenFileTest {
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

    for (int round = 1; round <= 3; round++) {
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        ch.write(ByteBuffer.wrap(("svc.limit = " + (round + 1) + "\n")
            .getBytes(StandardCharsets.UTF_8)));
        ch.force(true);
        // Deliberate: the writer's own pause between two bursts, longer than the quiet window.
        Thread.sleep(100);
        ch.write(ByteBuffer.wrap(("svc.name = \"round-" + round + "\"\n")
            .getBytes(StandardCharsets.UTF_8)));
      }
      String expected = "round-" + round;
      await().atMost(Duration.ofSeconds(10)).until(() -> applied.contains(expected));
    }
    // Half-written, the file has no svc.name. Every applied snapshot is a whole file.
    assertThat(applied).containsExactly("round-1", "round-2", "round-3");
  }
}
