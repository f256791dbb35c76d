package io.qcfg.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qcfg.QcfgException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The serial executor: never waits on itself, bounds every wait, survives any Throwable. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ApplierTest {
  final Applier applier = new Applier(Duration.ofMillis(300));

  @AfterEach
  void stop() {
    applier.stop();
  }

  @Test
  void aCallFromTheApplierThreadIsRefusedAtOnce() throws Exception {
    CompletableFuture<Throwable> seen = new CompletableFuture<>();
    applier.execute("outer", () -> {
      try {
        applier.call("inner", () -> "never");
        seen.complete(null);
      } catch (Throwable t) {
        seen.complete(t);
      }
    });
    assertThat(seen.get(10, TimeUnit.SECONDS))
        .isInstanceOf(QcfgException.Refused.class)
        .hasMessageContaining("QCFG-1606")
        .hasMessageContaining("inner refused");
    assertThat(applier.call("after", () -> "ok")).isEqualTo("ok");
  }

  @Test
  void aWaitEndsSayingWhatItWaitedForAndAQueuedChangeIsDropped() throws Exception {
    CountDownLatch busy = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    applier.execute("a slow reload", () -> {
      busy.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    busy.await();
    AtomicBoolean ran = new AtomicBoolean();
    assertThatThrownBy(() -> applier.call("setOverride(a.b)", () -> {
      ran.set(true);
      return "x";
    }))
        .isInstanceOf(QcfgException.Refused.class)
        .hasMessageContaining("QCFG-1607")
        .hasMessageContaining("setOverride(a.b): waited")
        .hasMessageContaining("busy with a slow reload")
        .hasMessageContaining("dropped");
    release.countDown();
    assertThat(applier.call("after", () -> "ok")).isEqualTo("ok");
    assertThat(ran).isFalse();
  }

  @Test
  void anErrorInATaskLeavesTheApplierWorking() throws Exception {
    applier.execute("overflow", () -> {
      throw new StackOverflowError();
    });
    assertThatThrownBy(() -> applier.call("oom", () -> {
      throw new OutOfMemoryError("simulated");
    })).isInstanceOf(QcfgException.BugOrBroken.class).hasMessageContaining("oom failed");
    assertThat(applier.call("after", () -> Thread.currentThread().getName()))
        .isEqualTo("qcfg-applier");
    assertThat(applier.deaths()).isZero();
  }

  @Test
  void aDeadApplierThreadIsReplacedAndItsDeathCounted() throws Exception {
    String first = applier.call("name", () -> Thread.currentThread().getName() + "@"
        + System.identityHashCode(Thread.currentThread()));
    applier.executeUnguarded(() -> {
      throw new StackOverflowError("killed the thread");
    });
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> applier.deaths() == 1);
    String second = applier.call("name", () -> Thread.currentThread().getName() + "@"
        + System.identityHashCode(Thread.currentThread()));
    assertThat(second).startsWith("qcfg-applier@").isNotEqualTo(first);
  }
}
