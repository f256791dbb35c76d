package io.qcfg.internal.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.qcfg.Qcfg;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The Micrometer binding waits off the start (issue 16), on a thread a stop ends at once. */
@Timeout(60)
class ObservabilityTest {
  @TempDir Path dir;
  @TempDir Path state;

  private static List<Thread> metricsThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals("qcfg-metrics") && t.isAlive()).toList();
  }

  @Test
  void theBindingWaitsOnADaemonThreadThatAStopEnds() throws Exception {
    Files.writeString(dir.resolve("application.conf"), "a = 1\n");
    Qcfg.start(Map.of("dir", dir.toString(), "state", state.toString(), "watch", "false",
        "jmx", "false"));
    try {
      assertThat(metricsThreads()).isNotEmpty().allMatch(Thread::isDaemon);
    } finally {
      Qcfg.stop();
    }
    // ended by the stop, well before the delay would have
    await().atMost(Observability.BIND_DELAY.dividedBy(2)).pollInterval(Duration.ofMillis(10))
        .until(() -> metricsThreads().isEmpty());
  }
}
