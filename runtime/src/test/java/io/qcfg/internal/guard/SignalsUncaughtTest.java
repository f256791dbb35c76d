package io.qcfg.internal.guard;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The uncaught-exception signal survives an application that sets its own default handler after
 * qcfg installed its counter (ProbationIT's storm, on JDK 25, lost the race about one run in
 * six): the next probation counts again, on top of the application's handler, and an exception
 * is counted once even when the application's handler chains to qcfg's old counter.
 */
@Timeout(30)
class SignalsUncaughtTest {
  private final Thread.UncaughtExceptionHandler before = Thread.getDefaultUncaughtExceptionHandler();

  @AfterEach
  void restore() {
    Thread.setDefaultUncaughtExceptionHandler(before);
  }

  @Test
  void aHandlerTheApplicationSetsInsteadOfQcfgsIsCountedFromTheNextProbation() {
    storm(false);
  }

  @Test
  void aHandlerThatChainsToQcfgsOldCounterIsCountedOnce() {
    storm(true);
  }

  /** The application sets its handler after qcfg's, chaining to it or not; then five die. */
  private static void storm(boolean chains) {
    GuardOptions options = GuardOptions.parse(Map.of("probation", "2s", "uncaught-rate", "1"));
    Signals signals = new Signals(options,
        new HealthChecks(SignalsUncaughtTest.class.getClassLoader(), List::of, null,
            Duration.ofSeconds(1)),
        () -> { });
    try {
      AtomicInteger appCalls = new AtomicInteger();
      Thread.UncaughtExceptionHandler qcfgs = Thread.getDefaultUncaughtExceptionHandler();
      Thread.setDefaultUncaughtExceptionHandler((t, e) -> {
        appCalls.incrementAndGet();
        if (chains) {
          qcfgs.uncaughtException(t, e);
        }
      });
      signals.reset(); // a probation begins
      for (int i = 0; i < 5; i++) {
        Thread.getDefaultUncaughtExceptionHandler()
            .uncaughtException(Thread.currentThread(), new IllegalStateException("storm " + i));
      }
      assertThat(appCalls).hasValue(5);
      assertThat(signals.uncaught(1000)).isEqualTo(
          "uncaught exceptions: 5 in 1000 ms (5.0/s, limit 1.0/s)");
    } finally {
      signals.close();
    }
  }
}
