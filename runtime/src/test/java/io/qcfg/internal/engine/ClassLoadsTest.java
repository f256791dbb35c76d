package io.qcfg.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The wait of the full build after a fast start for the application's class loading to settle
 * (issue 16): it ends after one quiet period when nothing loads, waits out its cap while loading
 * never pauses, and ends at once when interrupted. The counters here change on every read, or
 * never, so the outcomes do not depend on how the machine schedules threads.
 */
@Timeout(60)
class ClassLoadsTest {

  @Test
  void aCounterThatDoesNotChangeEndsTheWaitAfterOneQuietPeriod() {
    long waited = new ClassLoads.Settling(() -> 7, 20, 50_000).await();

    assertThat(waited).isBetween(19L, 30_000L);
  }

  @Test
  void aCounterThatChangesOnEveryLookWaitsUntilTheCap() {
    AtomicInteger loads = new AtomicInteger();

    long waited = new ClassLoads.Settling(loads::incrementAndGet, 20, 300).await();

    assertThat(waited).isGreaterThanOrEqualTo(299L);
    assertThat(loads.get()).isGreaterThan(2); // it looked again after each quiet period
  }

  @Test
  void aCounterThatStopsChangingEndsTheWaitThen() {
    AtomicInteger looks = new AtomicInteger();

    long waited = new ClassLoads.Settling(() -> Math.min(looks.incrementAndGet(), 5), 20, 50_000)
        .await();

    assertThat(looks.get()).isEqualTo(6); // 1..5 changed; the sixth look saw 5 again
    assertThat(waited).isBetween(5 * 20L - 1, 30_000L);
  }

  @Test
  void anInterruptEndsTheWaitAtOnceAndKeepsTheFlag() throws Exception {
    AtomicInteger loads = new AtomicInteger();
    CompletableFuture<Boolean> flag = new CompletableFuture<>();
    Thread waiter = new Thread(() -> {
      new ClassLoads.Settling(loads::incrementAndGet, 10, 50_000).await();
      flag.complete(Thread.currentThread().isInterrupted());
    });
    waiter.start();
    while (loads.get() < 2) { // it is in its loop
      Thread.onSpinWait();
    }
    waiter.interrupt();

    assertThat(flag.get(30, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void afterStopSeenCountsNothing() { // that it counts before: FastStartIT, under the agent
    ClassLoads.stop();
    int before = ClassLoads.count();
    ClassLoads.seen();
    ClassLoads.seen();
    assertThat(ClassLoads.count()).isEqualTo(before);
  }
}
