package io.qcfg.internal.engine;

import io.qcfg.QcfgException;
import io.qcfg.internal.QcfgOptions;
import io.qcfg.internal.audit.AuditEvent;
import io.qcfg.internal.engine.Publisher.Change;
import io.qcfg.internal.history.HistoryEntry;
import io.qcfg.internal.history.QuarantineFile;
import io.qcfg.internal.history.SealedFile;
import io.qcfg.internal.log.Log;
import io.qcfg.internal.snapshot.ConfigSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;

/**
 * A start-up on quarantined files (issue 18): with option {@code probation}, when the files build
 * the checksum an automatic rollback quarantined before the restart, the JVM starts from the
 * newest <em>confirmed</em> version in history instead, as the start-up fallback does for invalid
 * files, and says so loudly (QCFG-4714). Files that give another checksum end the quarantine.
 *
 * <p>Concurrency: applier thread only, during the first snapshot.
 */
final class StartQuarantine {
  private final QcfgOptions options;
  private final Records records;
  private final Builds builds;
  private final Publisher publisher;

  StartQuarantine(QcfgOptions options, Records records, Builds builds, Publisher publisher) {
    this.options = options;
    this.records = records;
    this.builds = builds;
    this.publisher = publisher;
  }

  private boolean enabled() {
    return options.guard() != null && options.guard().enabled();
  }

  /** Whether a quarantine may be kept: then the fast start is not taken (it skips the check). */
  boolean kept() {
    return enabled() && Files.exists(QuarantineFile.in(options.state()));
  }

  /**
   * After the first build from the files: the snapshot started from the newest confirmed version
   * when {@code candidate} is quarantined, else null (start on {@code candidate}).
   */
  ConfigSnapshot check(ConfigSnapshot candidate, Runnable wakeReaders) {
    if (!kept()) {
      return null;
    }
    QuarantineFile q;
    try {
      q = QuarantineFile.load(options.state());
    } catch (SealedFile.Broken e) {
      Log.warn("QCFG-4716: " + QuarantineFile.in(options.state()) + " " + e.getMessage()
          + "; it is ignored and removed: nothing is quarantined");
      clear();
      return null;
    }
    if (q == null) {
      return null;
    }
    String sum = q.checksum().substring(0, Math.min(12, q.checksum().length()));
    if (!q.checksum().equals(candidate.checksum())) {
      Log.info("QCFG-4705: the quarantine of " + sum + " ends: the files changed");
      clear();
      return null;
    }
    HistoryEntry target = newestConfirmed(records.entries());
    if (target == null) {
      Log.warn("QCFG-4714: the files give quarantined configuration " + sum + " (version "
          + q.version() + " failed probation), and history has no confirmed version to start"
          + " from: starting on the files, the quarantine ends");
      clear();
      return null;
    }
    try {
      ConfigSnapshot s = publisher.apply(builds.firstFromHistory(target), new Change(
          "start-up from confirmed version " + target.version() + ": the files give quarantined"
              + " configuration " + sum, "qcfg", AuditEvent.Type.FALLBACK), wakeReaders);
      records.confirm(s.version()); // a confirmed version's configuration: the baseline
      Log.error("QCFG-4714: !!! STARTED ON CONFIRMED VERSION " + target.version() + " (now"
          + " version " + s.version() + ") because the files give configuration " + sum + ","
          + " quarantined after version " + q.version() + " failed probation. Change the files"
          + " or run 'qcfg release-quarantine'.");
      return s;
    } catch (QcfgException e) {
      Log.error("QCFG-4714: the files give quarantined configuration " + sum + ", and confirmed"
          + " version " + target.version() + " cannot be used (" + e.getMessage() + "):"
          + " starting on the files, the quarantine ends");
      clear();
      return null;
    }
  }

  /** The newest confirmed entry of {@code history} (oldest first), or null. */
  static HistoryEntry newestConfirmed(List<HistoryEntry> history) {
    for (int i = history.size() - 1; i >= 0; i--) {
      if (history.get(i).confirmed()) {
        return history.get(i);
      }
    }
    return null;
  }

  private void clear() {
    try {
      QuarantineFile.clear(QuarantineFile.in(options.state()));
    } catch (IOException e) {
      Log.warnOnce("quarantine-file", "QCFG-4716: cannot remove "
          + QuarantineFile.in(options.state()));
    }
  }
}
