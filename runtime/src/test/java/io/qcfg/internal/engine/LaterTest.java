package io.qcfg.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link Later}: the task runs once after its delay, or never once cancelled; the thread ends. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LaterTest {
  static Thread named(String name) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals(name)).findFirst().orElse(null);
  }

  @Test
  void theTaskRunsOnceAfterItsDelay() {
    AtomicInteger runs = new AtomicInteger();
    long began = System.nanoTime();
    long[] ranAfter = new long[1];
    new Later().start("qcfg-later-test-run", Duration.ofMillis(200), () -> {
      ranAfter[0] = System.nanoTime() - began;
      runs.incrementAndGet();
    });
    await().atMost(Duration.ofSeconds(10)).until(() -> runs.get() == 1);
    assertThat(ranAfter[0]).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(200));
    await().atMost(Duration.ofSeconds(10)).until(() -> named("qcfg-later-test-run") == null);
    assertThat(runs).hasValue(1);
  }

  @Test
  void aCancelEndsTheWaitAtOnceAndTheTaskNeverRuns() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    Later later = new Later();
    later.start("qcfg-later-test-cancel", Duration.ofMinutes(10), runs::incrementAndGet);
    Thread t = named("qcfg-later-test-cancel");
    assertThat(t).isNotNull();
    assertThat(t.isDaemon()).isTrue();
    later.cancel();
    t.join(5_000); // far less than the ten minutes it would wait
    assertThat(t.isAlive()).isFalse();
    assertThat(runs).hasValue(0);
  }

  @Test
  void aCancelBeforeTheThreadRunsIsKept() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    Later later = new Later();
    later.cancel();
    later.start("qcfg-later-test-early", Duration.ZERO, runs::incrementAndGet);
    await().atMost(Duration.ofSeconds(10)).until(() -> named("qcfg-later-test-early") == null);
    assertThat(runs).hasValue(0);
  }
}
