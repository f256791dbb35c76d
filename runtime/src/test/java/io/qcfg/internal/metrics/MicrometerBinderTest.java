package io.qcfg.internal.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.qcfg.Qcfg;
import io.qcfg.QcfgException;
import io.qcfg.internal.events.ChangeEvents;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The meters on a real Micrometer global registry, over a real runtime. */
@Timeout(60)
class MicrometerBinderTest {
  @TempDir Path dir;
  @TempDir Path state;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @BeforeEach
  void start() throws Exception {
    Metrics.addRegistry(registry);
    Files.writeString(dir.resolve("application.conf"), "a = 1\n");
    Qcfg.start(Map.of("dir", dir.toString(), "state", state.toString(), "watch", "false",
        "jmx", "false"));
    await().atMost(Duration.ofSeconds(10)).until(MicrometerBinder::bound);
  }

  @AfterEach
  void stop() {
    Qcfg.stop();
    Metrics.removeRegistry(registry);
  }

  private double gauge(String name) {
    return registry.get(name).gauge().value();
  }

  private double reloads(String outcome) {
    FunctionCounter c = registry.get("qcfg.config.reloads").tag("outcome", outcome).functionCounter();
    return c.count();
  }

  @Test
  void gaugesAndCountersFollowAcceptedAndRejectedChanges() throws Exception {
    assertThat(gauge("qcfg.config.version")).isEqualTo(1);
    assertThat(gauge("qcfg.config.last.reload.successful")).isEqualTo(1);
    double loaded = gauge("qcfg.config.last.reload.success.timestamp");
    assertThat(loaded).isCloseTo(System.currentTimeMillis() / 1000.0, org.assertj.core.data.Offset.offset(60.0));
    assertThat(registry.get("qcfg.config.last.reload.success.timestamp").gauge().getId()
        .getBaseUnit()).isEqualTo("seconds");

    Files.writeString(dir.resolve("application.conf"), "a = {\n");
    assertThatThrownBy(Qcfg::reload).isInstanceOf(QcfgException.Invalid.class);
    assertThat(gauge("qcfg.config.version")).isEqualTo(1);
    assertThat(gauge("qcfg.config.last.reload.successful")).isEqualTo(0);
    assertThat(reloads("rejected")).isEqualTo(1);
    assertThat(gauge("qcfg.config.last.reload.success.timestamp")).isEqualTo(loaded);

    Files.writeString(dir.resolve("application.conf"), "a = 2\n");
    Qcfg.reload();
    assertThat(gauge("qcfg.config.version")).isEqualTo(2);
    assertThat(gauge("qcfg.config.last.reload.successful")).isEqualTo(1);
    assertThat(reloads("accepted")).isEqualTo(1);
    assertThat(reloads("rejected")).isEqualTo(1);
    // The engine's own reloads reach the timer (through ChangeEvents), not only direct calls.
    for (String outcome : new String[] {"accepted", "rejected"}) {
      assertThat(registry.get("qcfg.config.reload.duration").tag("outcome", outcome).timer()
          .count()).as(outcome).isPositive();
    }
  }

  @Test
  void theTimerRecordsTheBuildTimesTheEngineReportsToChangeEvents() {
    Timer accepted = registry.get("qcfg.config.reload.duration").tag("outcome", "accepted").timer();
    Timer rejected = registry.get("qcfg.config.reload.duration").tag("outcome", "rejected").timer();
    long a = accepted.count();
    long r = rejected.count();
    ChangeEvents.applied(9, "abc", "test", TimeUnit.MILLISECONDS.toNanos(12));
    ChangeEvents.rejected(9, "test", 2, TimeUnit.MILLISECONDS.toNanos(3));
    assertThat(accepted.count()).isEqualTo(a + 1);
    assertThat(rejected.count()).isEqualTo(r + 1);
    assertThat(accepted.max(TimeUnit.MILLISECONDS)).isEqualTo(12);
  }
}
