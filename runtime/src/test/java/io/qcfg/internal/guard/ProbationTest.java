package io.qcfg.internal.guard;

import static org.assertj.core.api.Assertions.assertThat;

import io.qcfg.internal.guard.Probation.Action;
import io.qcfg.internal.guard.Probation.Verdict;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The probation state machine of issue 18, step by step, on a clock of our own. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ProbationTest {
  final Probation p = new Probation(Duration.ofSeconds(2));

  @Test
  void aHealthyEndConfirmsTheVersionAndAnEarlierVerdictDoesNot() {
    p.baseline(1);
    long gen = p.applied(2, "c2", false, 1_000);
    assertThat(p.state(1_000).probationVersion()).isEqualTo(2);
    assertThat(p.state(1_500).remainingMillis()).isEqualTo(1_500);
    assertThat(p.verdict(gen, null, 2_999).action()).isEqualTo(Action.NONE);
    Verdict v = p.verdict(gen, null, 3_000);
    assertThat(v.action()).isEqualTo(Action.CONFIRM);
    assertThat(v.version()).isEqualTo(2);
    assertThat(p.state(3_000).confirmedVersion()).isEqualTo(2);
    assertThat(p.state(3_000).probationVersion()).isZero();
    assertThat(p.current()).isEqualTo(-1);
  }

  @Test
  void anUnhealthyVerdictReturnsToTheBaselineAndQuarantinesTheChecksum() {
    p.baseline(1);
    long gen = p.applied(2, "bad", false, 0);
    Verdict v = p.verdict(gen, "listener failure", 100);
    assertThat(v.action()).isEqualTo(Action.ROLL_BACK);
    assertThat(v.target()).isEqualTo(1);
    assertThat(v.checksum()).isEqualTo("bad");
    assertThat(v.signal()).isEqualTo("listener failure");
    assertThat(p.state(100).healthy()).isFalse();
    assertThat(p.state(100).quarantinedChecksum()).isEqualTo("bad");
    // A second verdict about the same probation does nothing (two signals at once).
    assertThat(p.verdict(gen, "health check", 101).action()).isEqualTo(Action.NONE);
  }

  @Test
  void twoChangesInOneWindowStartANewProbationAndAFailureReturnsToTheLastConfirmed() {
    p.baseline(1);
    long first = p.applied(2, "c2", false, 0);
    long second = p.applied(3, "c3", false, 500);
    assertThat(second).isNotEqualTo(first);
    // The first probation's verdicts are stale: version 2 is never confirmed by them.
    assertThat(p.verdict(first, null, 5_000).action()).isEqualTo(Action.NONE);
    assertThat(p.verdict(first, "bad", 600).action()).isEqualTo(Action.NONE);
    assertThat(p.state(600).remainingMillis()).isEqualTo(1_900); // the window starts again
    Verdict v = p.verdict(second, "health check", 700);
    assertThat(v.action()).isEqualTo(Action.ROLL_BACK);
    assertThat(v.version()).isEqualTo(3);
    assertThat(v.target()).as("not version 2: it was never confirmed").isEqualTo(1);
  }

  @Test
  void aRollbackDoesNotEnterProbationAndIsNeverRolledBackPast() {
    p.baseline(1);
    long gen = p.applied(2, "c2", false, 0);
    p.verdict(gen, null, 2_000); // 2 confirmed
    p.applied(3, "c3", false, 3_000);
    // An operator rolls back to 1 during 3's probation: applied as version 4, confirmed.
    assertThat(p.applied(4, "c1", true, 3_100)).isEqualTo(-1);
    assertThat(p.current()).isEqualTo(-1);
    assertThat(p.state(3_100).probationVersion()).isZero();
    assertThat(p.state(3_100).confirmedVersion()).isEqualTo(4);
    assertThat(p.verdict(gen, "late", 3_200).action()).isEqualTo(Action.NONE);
    long next = p.applied(5, "c5", false, 4_000);
    Verdict v = p.verdict(next, "bad", 4_100);
    assertThat(v.target()).as("the operator's version, not the newer confirmed 2").isEqualTo(4);
  }

  @Test
  void theQuarantineHoldsUntilTheInputsGiveAnotherChecksumOrItIsReleased() {
    p.baseline(1);
    p.verdict(p.applied(2, "bad", false, 0), "x", 1);
    p.applied(3, "c1", true, 2); // the automatic rollback
    assertThat(p.quarantined("bad", true)).isEqualTo("bad");
    assertThat(p.quarantined("bad", false)).isEqualTo("bad");
    // An explicit change to something else (an override) does not release it...
    assertThat(p.quarantined("other", false)).isNull();
    assertThat(p.state(3).quarantinedChecksum()).isEqualTo("bad");
    // ...the files giving another checksum do.
    assertThat(p.quarantined("edited", true)).isNull();
    assertThat(p.state(3).quarantinedChecksum()).isEmpty();
    assertThat(p.quarantined("bad", true)).isNull();

    p.verdict(p.applied(4, "bad2", false, 10), "y", 11);
    assertThat(p.release()).isEqualTo("bad2");
    assertThat(p.quarantined("bad2", true)).isNull();
    assertThat(p.release()).isEmpty();
  }

  @Test
  void aFailedAutomaticRollbackEndsTheQuarantine() {
    p.baseline(1);
    p.verdict(p.applied(2, "bad", false, 0), "x", 1);
    p.rolledBack("version 2: rollback to 1 failed", false);
    assertThat(p.state(2).quarantinedChecksum()).isEmpty();
    assertThat(p.state(2).lastAutoRollback()).contains("failed");
  }
}
