package io.qcfg.internal.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qcfg.QcfgException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 defect 5: the parse pool had two threads and its time-budget cancel did not
 * interrupt, so two parses that never end blocked every later reload. Now a runaway parse is
 * rejected at its budget and the next build gets a thread of its own.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RunawayParseTest {
  @TempDir Path tmp;
  final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void releaseRunaways() {
    release.countDown();
  }

  /** A layer template whose rendering never ends, not even when interrupted. */
  String neverEnding() {
    while (true) {
      try {
        release.await();
        return "x = 1";
      } catch (InterruptedException e) {
        // a runaway parse ignores interrupts: the worst case
      }
    }
  }

  LayerStack.Request request(Path dir) {
    return new LayerStack.Request(dir, new Environment("development", "test"), Map.of(),
        new Properties(), Map.of(), null, null);
  }

  @Test
  void parsesThatNeverEndDoNotBlockTheNextBuild() throws Exception {
    Limits limits = new Limits(1 << 20, 200, 10_000, Duration.ofMillis(300), 64, 1024L * 1024, 200_000);
    LayerStack stack = new LayerStack(new LayerFileReader(limits),
        (dir, file, env, vars) -> neverEnding());
    Path runaway = tmp.resolve("runaway");
    Files.createDirectories(runaway);
    Files.writeString(runaway.resolve("application.conf.peb"), "x = 1\n");
    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(() -> stack.load(request(runaway)))
          .isInstanceOf(QcfgException.Invalid.class)
          .hasMessageContaining("QCFG-1022");
    }
    Path fine = tmp.resolve("fine");
    Files.createDirectories(fine);
    Files.writeString(fine.resolve("application.conf"), "y = 2\n");
    assertThat(stack.load(request(fine)).config().getInt("y")).isEqualTo(2);
  }
}
