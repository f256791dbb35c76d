package io.qcfg.internal.guard;

import io.qcfg.internal.history.HistoryEntry;
import java.util.List;

/**
 * What probation starts from (issue 18). The version active at start-up is the confirmed baseline
 * when history confirms it, or when history confirms nothing (a first start, an older state dir).
 * Otherwise qcfg stopped during its probation, or the files changed while it was stopped: that
 * version goes on probation, with the newest confirmed version as its rollback target.
 */
final class StartBaseline {
  private StartBaseline() {}

  /**
   * @param active the version active at start-up (0: the declared defaults)
   * @param history the kept versions, oldest first
   * @return the confirmed version to roll back to while {@code active} is on probation, or -1 when
   *     {@code active} is the baseline
   */
  static long confirmedTarget(long active, List<HistoryEntry> history) {
    if (active <= 0) {
      return -1;
    }
    HistoryEntry self = null;
    HistoryEntry confirmed = null;
    for (HistoryEntry e : history) {
      if (e.version() == active) {
        self = e;
      } else if (e.confirmed() && (confirmed == null || e.version() > confirmed.version())) {
        confirmed = e;
      }
    }
    if (self == null || self.confirmed() || confirmed == null) {
      return -1;
    }
    return confirmed.version();
  }
}
