package io.qcfg.internal.engine;

import io.qcfg.QcfgException;
import io.qcfg.internal.audit.AuditEvent;
import io.qcfg.internal.engine.Publisher.Change;
import io.qcfg.internal.log.Log;
import io.qcfg.internal.snapshot.ConfigSnapshot;
import io.qcfg.internal.snapshot.SnapshotStore;

/**
 * The full build after a fast start (issue 16 item 3), queued on the applier like any change:
 * what no fingerprint covers (a rule class, a resource a library's {@code reference.conf}
 * includes) is caught here. Equal, it only brings back the file origins (same version, no
 * listener); different, it is applied as a normal change (QCFG-1531) or rejected (QCFG-1501,
 * QCFG-1532), counted and audited, and then the fingerprint is deleted so that the next start
 * validates in full.
 *
 * <p>Concurrency: {@link #run} on the applier thread only; {@link #done} read by anyone.
 */
final class StartCheck {
  private final SnapshotStore store;
  private final Builds builds;
  private final Changes changes;
  private final FastStart fastStart;
  private volatile boolean done;

  StartCheck(SnapshotStore store, Builds builds, Changes changes, FastStart fastStart) {
    this.store = store;
    this.builds = builds;
    this.changes = changes;
    this.fastStart = fastStart;
  }

  /** Whether the check ran. */
  boolean done() {
    return done;
  }

  /** Builds the inputs in full and compares with {@code fast}, the fast-started snapshot. */
  void run(ConfigSnapshot fast) {
    try {
      check(fast);
    } finally {
      done = true;
    }
  }

  private void check(ConfigSnapshot fast) {
    if (store.current() != fast) {
      return; // a change came first and built the files in full
    }
    FileDigests before = fastStart.filesNow(); // before the build reads them
    Change change = new Change("start-up check (the full build after the fast start of version "
        + fast.version() + ")", "qcfg", AuditEvent.Type.APPLIED);
    ConfigSnapshot built;
    try { // not a reload: ReloadCount stays as after a full start
      built = builds.quietly(changes.environment(), changes.overrides());
    } catch (QcfgException.Invalid e) {
      builds.reject(e, change); // counted, audited, QCFG-1501
      fastStart.forget();
      Log.error("QCFG-1532: REJECTED: the full build of the unchanged inputs fails validation"
          + " (a rule class or a library's reference.conf changed?); version " + fast.version()
          + " stays active, and the next start builds in full (see QCFG-1501 above)");
      return;
    }
    if (built.checksum().equals(fast.checksum())
        && built.environment().equals(fast.environment())) {
      // The same configuration: the file origins come back, nothing else changes.
      ConfigSnapshot same = built.withVersion(fast.version(), fast.createdAt(), fast.cause());
      store.publish(same);
      fastStart.agreed(same, before);
      return;
    }
    ConfigSnapshot after = changes.apply(built, change, () -> { });
    if (after == null || after == fast) { // refused by the publisher (QCFG-1515), said there
      fastStart.forget();
      Log.error("QCFG-1532: REJECTED: the full build after the fast start could not be applied;"
          + " version " + fast.version() + " stays active, and the next start builds in full");
      return;
    }
    Log.warn("QCFG-1531: APPLIED: the full build of the unchanged inputs differs from fast-started"
        + " version " + fast.version() + " (a rule class, a library's reference.conf or"
        + " another class-path input changed); it is applied as version " + after.version());
    fastStart.remember(after, before);
  }
}
