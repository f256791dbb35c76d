package io.qcfg.internal.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.qcfg.internal.etcd.RolloutRecord;
import io.qcfg.internal.etcd.StatusEntry;
import io.qcfg.internal.rollout.AutoSteps.Decision;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class AutoStepsTest {
  static final RolloutRecord R = new RolloutRecord(100, 100, 20, 1_000, 5_000, "canary");

  static StatusEntry canary(String id, boolean healthy, long autoRollbacks, long etcdRevision) {
    return new StatusEntry(id, 2, "c", "off", healthy, autoRollbacks, 100, etcdRevision);
  }

  static StatusEntry stable(String id, boolean healthy) {
    return new StatusEntry(id, 1, "c", "off", healthy, 0, 0, 90);
  }

  @Test
  void anUnhealthyCanaryAborts() {
    assertThat(AutoSteps.decide(R, List.of(canary("a", false, 0, 100), stable("b", true)), 2_000))
        .isEqualTo(Decision.ABORT);
    // The total of automatic rollbacks alone is no verdict: the reporter folds one made since
    // the rollout began into healthy=false.
    assertThat(AutoSteps.decide(R, List.of(canary("a", true, 1, 100)), 2_000))
        .isEqualTo(Decision.NONE);
  }

  @Test
  void anUnhealthyStableJvmDoesNotAbort() {
    assertThat(AutoSteps.decide(R, List.of(canary("a", true, 0, 100), stable("b", false)), 2_000))
        .isEqualTo(Decision.NONE);
  }

  @Test
  void promotesOnlyAfterTheDurationOnceEveryCanaryAppliedIt() {
    List<StatusEntry> applied = List.of(canary("a", true, 0, 100), canary("b", true, 0, 105));
    assertThat(AutoSteps.decide(R, applied, 5_999)).isEqualTo(Decision.NONE);
    assertThat(AutoSteps.decide(R, applied, 6_000)).isEqualTo(Decision.PROMOTE);
    List<StatusEntry> behind = List.of(canary("a", true, 0, 100), canary("b", true, 0, 99));
    assertThat(AutoSteps.decide(R, behind, 60_000)).isEqualTo(Decision.NONE);
    assertThat(AutoSteps.decide(R, List.of(stable("b", true)), 60_000)).isEqualTo(Decision.NONE);
    RolloutRecord manual = new RolloutRecord(100, 100, 20, 1_000, 0, "canary");
    assertThat(AutoSteps.decide(manual, applied, 60_000)).isEqualTo(Decision.NONE);
  }
}
