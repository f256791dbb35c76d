package io.qcfg.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.qcfg.ConfigValue;
import io.qcfg.HealthCheck;
import io.qcfg.Qcfg;
import io.qcfg.QcfgException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Probation (issue 18) in a real engine, in process: the automatic rollback, the quarantine, the
 * confirmed versions in history, the rollback of an operator as a floor, and checks that hang.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProbationEngineTest extends ProbationTestBase {
  void start(String poolSize, String... more) throws Exception {
    write(poolSize);
    Map<String, String> o = new HashMap<>(Map.of("dir", app().getParent().toString(), "state",
        state().toString(), "watch", "false", "jmx", "false", "probation", "600ms",
        "health-interval", "50ms", "health-timeout", "300ms"));
    for (int i = 0; i < more.length; i += 2) {
      o.put(more[i], more[i + 1]);
    }
    Qcfg.start(o);
  }

  @Test
  void aListenerThatThrowsRollsTheChangeBackAndItsChecksumStaysQuarantined() throws Exception {
    start("10");
    assertThat(guard().enabled()).isTrue();
    assertThat(guard().confirmedVersion()).isEqualTo(1);
    Qcfg.onChange(c -> {
      if (c.newSnapshot().getInt("pool-size") > 50) {
        throw new IllegalStateException("pool exhausted");
      }
    });
    edit("99");
    awaitPoolSize(10, 3);
    assertThat(Qcfg.current().cause()).contains("rollback to version 1 by qcfg-probation")
        .contains("version 2 failed probation").contains("listener failure");
    assertThat(guard().lastAutoRollback()).contains("version 2 -> 3");
    String bad = entry(2).checksum();
    assertThat(guard().quarantinedChecksum()).isEqualTo(bad);
    assertThat(guard().healthy()).isFalse();
    assertThat(audit()).contains("probation-failed").contains("listener failure");

    edit("99"); // the file still gives the bad checksum: not applied again
    assertThat(Qcfg.current().version()).isEqualTo(3);
    assertThatThrownBy(Qcfg::reload).isInstanceOf(QcfgException.Refused.class)
        .hasMessageContaining("QCFG-4704");
    assertThat(Qcfg.current().version()).isEqualTo(3);

    edit("20"); // another checksum: the quarantine ends, the change goes on probation
    awaitPoolSize(20, 4);
    assertThat(guard().quarantinedChecksum()).isEmpty();
    assertThat(guard().probationVersion()).isEqualTo(4);
    await().atMost(Duration.ofSeconds(10)).until(() -> entry(4).confirmed());
    assertThat(guard().confirmedVersion()).isEqualTo(4);
    assertThat(entry(1).confirmed()).as("the start-up baseline").isTrue();
    assertThat(entry(2).confirmed()).isFalse();
    assertThat(entry(3).confirmed()).as("a rollback's version").isTrue();
    // The guard confirms the history entry first, then audits it: wait for the audit line too.
    await().atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(audit()).contains("\"confirmed\""));
  }

  /** Bound with {@code Qcfg.bind}: its probe says a pool above 50 is unhealthy. */
  static final class Pool {
    @ConfigValue("pool-size") int size;
    static volatile CountDownLatch hang;

    @HealthCheck.Probe
    boolean fits() throws InterruptedException {
      CountDownLatch h = hang;
      if (h != null) {
        h.await(); // hangs until released
      }
      return size <= 50;
    }
  }

  @Test
  void aProbeThatTurnsFalseRollsBackAndAHangingOneNeverBlocksTheApplier() throws Exception {
    start("10");
    Pool pool = Qcfg.bind(new Pool());
    edit("60");
    awaitPoolSize(10, 3);
    assertThat(Qcfg.current().cause()).contains("@HealthCheck.Probe").contains("answered false");
    assertThat(pool.size).isEqualTo(10);

    edit("30");
    awaitPoolSize(30, 4);
    await().atMost(Duration.ofSeconds(10)).until(() -> entry(4).confirmed());

    Pool.hang = new CountDownLatch(1);
    try {
      edit("40");
      assertThat(Qcfg.current().version()).isEqualTo(5);
      // While the probe hangs, the applier goes on: a reload and a read answer at once.
      assertThat(Qcfg.reload().version()).isEqualTo(5);
      awaitPoolSize(30, 6); // the hanging probe counts as unhealthy
      assertThat(Qcfg.current().cause()).contains("no answer within 300 ms");
    } finally {
      Pool.hang.countDown();
      Pool.hang = null;
    }
  }

  @Test
  void anOperatorsRollbackIsNeverRolledBackPastAndDoesNotEnterProbation() throws Exception {
    start("10", "probation", "3s"); // long enough to see version 3 on probation under load
    Qcfg.onChange(c -> {
      if (c.newSnapshot().getInt("pool-size") > 50) {
        throw new IllegalStateException("pool exhausted");
      }
    });
    edit("20");
    await().atMost(Duration.ofSeconds(10)).until(() -> entry(2).confirmed());
    edit("30"); // on probation
    assertThat(guard().probationVersion()).isEqualTo(3);
    Engine.require().rollback(1, "operator");
    assertThat(Qcfg.current().version()).isEqualTo(4);
    assertThat(guard().probationVersion()).as("a rollback is not on probation").isZero();
    assertThat(guard().confirmedVersion()).isEqualTo(4);

    edit("70"); // a bad change after the operator's rollback
    awaitPoolSize(10, 6);
    assertThat(Qcfg.current().cause()).contains("rollback to version 4 by qcfg-probation");
  }

  @Test
  void twoChangesInOneWindowReturnToTheLastConfirmedVersion() throws Exception {
    start("10");
    Qcfg.onChange(c -> {
      if (c.newSnapshot().getInt("pool-size") > 50) {
        throw new IllegalStateException("pool exhausted");
      }
    });
    edit("20"); // version 2, on probation, not yet confirmed
    edit("70"); // version 3 replaces its probation, and fails
    awaitPoolSize(10, 4);
    assertThat(Qcfg.current().cause()).contains("rollback to version 1 ");
    assertThat(entry(2).confirmed()).isFalse();
  }

  @Test
  void releaseQuarantineLetsTheNextFileEventApplyItAgainOnProbation() throws Exception {
    start("10");
    Qcfg.onChange(c -> {
      if (c.newSnapshot().getInt("pool-size") > 50) {
        throw new IllegalStateException("pool exhausted");
      }
    });
    edit("99");
    awaitPoolSize(10, 3);
    ChangeGuard g = Engine.require().status().guard();
    assertThat(g.releaseQuarantine("operator")).startsWith("released the quarantine");
    assertThat(g.releaseQuarantine("operator")).isEqualTo("nothing is quarantined");
    assertThat(Qcfg.current().version()).as("a release applies nothing by itself").isEqualTo(3);
    edit("99"); // a re-save: the rollback no longer holds, applied again on probation
    await().atMost(Duration.ofSeconds(10)).until(() -> Qcfg.current().version() >= 4);
    awaitPoolSize(10, 5); // and rolled back again
    assertThat(g.releaseQuarantine("operator")).startsWith("released the quarantine");
    assertThat(Qcfg.reload().version()).isEqualTo(6); // an explicit reload applies it too
    awaitPoolSize(10, 7);
    assertThat(audit()).contains("quarantine-released");
  }

  @Test
  void theUncaughtExceptionHandlerIsChainedAndRestoredOnStop() throws Exception {
    Thread.UncaughtExceptionHandler app = (t, e) -> { };
    Thread.UncaughtExceptionHandler before = Thread.getDefaultUncaughtExceptionHandler();
    Thread.setDefaultUncaughtExceptionHandler(app);
    try {
      start("10", "uncaught-rate", "5");
      assertThat(Thread.getDefaultUncaughtExceptionHandler()).isNotSameAs(app);
      Qcfg.stop();
      assertThat(Thread.getDefaultUncaughtExceptionHandler()).isSameAs(app);
    } finally {
      Thread.setDefaultUncaughtExceptionHandler(before);
    }
  }

  @Test
  void aRemoteHealthUrlWithoutTheExplicitPrefixIsRefusedAtStart() throws Exception {
    Files.createDirectories(app().getParent());
    Files.writeString(app(), "pool-size = 10\n");
    assertThatThrownBy(() -> Qcfg.start(Map.of("dir", app().getParent().toString(), "state",
        state().toString(), "watch", "false", "jmx", "false", "probation", "1s",
        "health-url", "http://db.example:8080/health")))
        .isInstanceOf(QcfgException.BadOption.class).hasMessageContaining("QCFG-4713");
    assertThat(Qcfg.isRunning()).isFalse();
  }

  @Test
  void withoutTheOptionNothingIsWatched() throws Exception {
    Files.createDirectories(app().getParent());
    Files.writeString(app(), "pool-size = 10\n");
    Qcfg.start(Map.of("dir", app().getParent().toString(), "state",
        state().toString(), "watch", "false", "jmx", "false"));
    assertThat(guard()).isEqualTo(GuardState.OFF);
    Qcfg.onChange(c -> {
      throw new IllegalStateException("always");
    });
    edit("99");
    assertThat(Qcfg.current().version()).isEqualTo(2);
    assertThat(entry(2).confirmed()).isFalse();
  }
}
