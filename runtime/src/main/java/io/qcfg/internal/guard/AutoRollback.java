package io.qcfg.internal.guard;

import io.qcfg.QcfgException;
import io.qcfg.internal.audit.AuditEvent;
import io.qcfg.internal.engine.Engine;
import io.qcfg.internal.jmx.ChangeInfo;
import io.qcfg.internal.jmx.SnapshotDiff;
import io.qcfg.internal.snapshot.ConfigSnapshot;
import io.qcfg.internal.log.Log;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Carries out an unhealthy verdict of probation: audits it with the signal, rolls back to the
 * confirmed version (a change like any other, whose cause says why), and logs it loudly with the
 * diff, secrets redacted (QCFG-4702), or the failure of the rollback (QCFG-4706).
 */
final class AutoRollback {
  private AutoRollback() {}

  /**
   * Runs on a {@code qcfg-health} thread and waits (bounded) for the applier.
   *
   * @param appliedAt {@link System#nanoTime()} when the bad version was applied, for the timings
   */
  static void run(Engine engine, Probation probation, Probation.Verdict v, long appliedAt) {
    long detectedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - appliedAt);
    ConfigSnapshot bad = engine.current();
    String reason = "version " + v.version() + " failed probation (" + v.signal() + ")";
    engine.audit(AuditEvent.of(AuditEvent.Type.PROBATION_FAILED, Guard.ACTOR, reason)
        .withVersions(null, v.version())
        .withDetails(Map.of("signal", v.signal(), "checksum", v.checksum(),
            "target", Long.toString(v.target()))));
    ConfigSnapshot after;
    try {
      after = engine.rollbackAutomatically(v.target(), Guard.ACTOR, reason);
    } catch (QcfgException e) {
      if (Thread.currentThread().isInterrupted()) { // qcfg stops: the outcome is not ours to tell
        Log.warn("QCFG-4706: qcfg stopped while rolling back version " + v.version() + " ("
            + reason + ")");
        return;
      }
      String line = "version " + v.version() + ": rollback to " + v.target() + " failed";
      probation.rolledBack(line, false);
      Log.error("QCFG-4706: AUTOMATIC ROLLBACK FAILED: " + reason + "; the rollback to version "
          + v.target() + " failed: " + e.getMessage() + "; version " + bad.version()
          + " stays active");
      return;
    }
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - appliedAt);
    String line = "version " + v.version() + " -> " + after.version() + " (= confirmed "
        + v.target() + ") at " + java.time.Instant.now() + ": " + v.signal();
    probation.rolledBack(line, true);
    StringBuilder diff = new StringBuilder();
    List<ChangeInfo> changes = SnapshotDiff.between(bad, after);
    for (ChangeInfo c : changes.subList(0, Math.min(changes.size(), 50))) {
      diff.append("\n  ").append(c.getPath()).append(": ")
          .append(c.getBefore() == null ? "(none)" : c.getBefore()).append(" -> ")
          .append(c.getAfter() == null ? "(none)" : c.getAfter());
    }
    if (changes.size() > 50) {
      diff.append("\n  ... ").append(changes.size() - 50).append(" more");
    }
    Log.error("QCFG-4702: AUTOMATIC ROLLBACK: " + reason + ", detected " + detectedMs
        + " ms after it was applied; now version " + after.version() + " (the configuration of"
        + " confirmed version " + v.target() + "), rolled back " + tookMs + " ms after the change;"
        + " configuration " + Guard.shortSum(v.checksum()) + " is quarantined until the files change or"
        + " 'qcfg release-quarantine'. Undone (secrets redacted):" + diff);
  }

}
