package io.qcfg.internal.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import net.jqwik.api.lifecycle.TryExecutionResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class TryDeadlineTest {

  private static final Duration SHORT = Duration.ofMillis(200);

  @Test
  void aTryWithinItsDeadlineKeepsItsOwnResult() {
    TryExecutionResult falsified = TryExecutionResult.falsified(new AssertionError("own"));

    assertThat(TryDeadline.within(SHORT, TryExecutionResult::satisfied).isSatisfied()).isTrue();
    assertThat(TryDeadline.within(SHORT, () -> falsified)).isSameAs(falsified);
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
  }

  @Test
  void aBlockedTryIsInterruptedAndFalsifiedNamingTheDeadline() {
    AtomicBoolean sawInterrupt = new AtomicBoolean();

    TryExecutionResult result = TryDeadline.within(SHORT, () -> {
      try {
        new CountDownLatch(1).await(); // a hang: nothing ever counts down
      } catch (InterruptedException e) {
        sawInterrupt.set(true);
      }
      return TryExecutionResult.satisfied();
    });

    assertThat(sawInterrupt).isTrue();
    assertThat(result.isFalsified()).isTrue();
    assertThat(result.throwable()).get().asString().contains("deadline of 200 ms");
    assertThat(Thread.currentThread().isInterrupted())
        .as("the deadline's interrupt does not leak into the next try").isFalse();
  }

  @Test
  void aBusyTryThatIgnoresTheInterruptIsFalsifiedWhenItReturns() {
    TryExecutionResult result = TryDeadline.within(SHORT, () -> {
      long end = System.nanoTime() + SHORT.multipliedBy(3).toNanos();
      while (System.nanoTime() < end) {
        Thread.onSpinWait(); // ignores the interrupt
      }
      return TryExecutionResult.satisfied();
    });

    assertThat(result.isFalsified()).isTrue();
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
  }

  @Test
  void manyQuickTriesNeverSeeAStrayInterrupt() {
    for (int i = 0; i < 2_000; i++) {
      TryExecutionResult result = TryDeadline.within(Duration.ofMillis(1), () -> {
        Thread.onSpinWait();
        return TryExecutionResult.satisfied();
      });
      assertThat(Thread.currentThread().isInterrupted()).isFalse();
      assertThat(result.isSatisfied() || result.isFalsified()).isTrue();
    }
  }
}
