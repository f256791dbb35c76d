package io.qcfg.internal.rollout;

import io.qcfg.QcfgException;
import io.qcfg.internal.etcd.RolloutRecord;
import io.qcfg.internal.etcd.Rollouts;
import io.qcfg.internal.etcd.StatusEntry;
import io.qcfg.internal.log.Log;
import java.util.List;

/**
 * The automatic rollout steps, taken by every canary JVM on each tick: abort as soon as any
 * canary of the rollout reports unhealthy (which includes an automatic rollback since the rollout
 * began); promote to 100% once the
 * rollout is {@code autoPromoteMillis} old and every canary reporting is healthy.
 *
 * <p>Why the canaries: they exist exactly while a rollout does, they are few (the reads scale
 * with the canary share, not the fleet), and no extra process must run. Several of them may try
 * the same step at once: each step is guarded by the record's mod revision, so one wins and the
 * others get QCFG-4654, which is expected here and only logged at debug.
 */
final class AutoSteps {
  private final Rollouts etcd;

  AutoSteps(Rollouts etcd) {
    this.etcd = etcd;
  }

  /** What to do with {@code r} given the status entries; package-private for tests. */
  enum Decision { NONE, ABORT, PROMOTE }

  static Decision decide(RolloutRecord r, List<StatusEntry> statuses, long now) {
    List<StatusEntry> canaries =
        statuses.stream().filter(s -> s.staged() == r.stagedRevision()).toList();
    // A canary's reporter folds "rolled back automatically since the rollout began" into
    // healthy=false (StatusReporter); autoRollbacks itself is the JVM's total.
    if (canaries.stream().anyMatch(s -> !s.healthy())) {
      return Decision.ABORT;
    }
    // Promote only once every canary reporting has applied the staged revision.
    if (r.autoPromoteMillis() > 0 && !canaries.isEmpty()
        && canaries.stream().allMatch(s -> s.etcdRevision() >= r.stagedRevision())
        && now - r.startedMillis() >= r.autoPromoteMillis()) {
      return Decision.PROMOTE;
    }
    return Decision.NONE;
  }

  void step(RolloutRecord r, List<StatusEntry> statuses, long now) {
    Decision d = decide(r, statuses, now);
    try {
      if (d == Decision.ABORT) {
        etcd.abort(r);
        Log.warn(etcd.prefix() + ": a canary of revision " + r.stagedRevision()
            + " is unhealthy or rolled back: aborted the rollout [QCFG-4655]");
      } else if (d == Decision.PROMOTE) {
        etcd.promote(r, 100);
        Log.info(etcd.prefix() + ": every canary of revision " + r.stagedRevision()
            + " stayed healthy: promoted the rollout to 100% [QCFG-4655]");
      }
    } catch (QcfgException e) {
      Log.debug("automatic rollout step not taken: " + e.getMessage());
    }
  }
}
