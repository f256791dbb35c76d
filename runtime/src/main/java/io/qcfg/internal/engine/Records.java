package io.qcfg.internal.engine;

import io.qcfg.QcfgException;
import io.qcfg.internal.QcfgOptions;
import io.qcfg.internal.audit.AuditEvent;
import io.qcfg.internal.audit.AuditLog;
import io.qcfg.internal.history.HistoryEntry;
import io.qcfg.internal.history.HistoryStore;
import io.qcfg.internal.log.Log;
import java.util.List;

/**
 * The state directory as the engine uses it: history and the audit log.
 *
 * <p>Concurrency: opened once on the applier thread (never in premain), then read by anyone;
 * written by the applier, except access denials, which {@link AuditLog} serialises itself.
 */
final class Records {
  private final Status status;
  private volatile HistoryStore history;
  private volatile AuditLog audit;

  Records(Status status) {
    this.status = status;
  }

  /**
   * Opens history and audit log; a state directory we cannot use costs features, not the app.
   *
   * @return the highest version in history, 0 for none
   */
  long open(QcfgOptions options) {
    long last = 0;
    try {
      history = HistoryStore.open(options.state(), options.history());
      last = history.lastVersion();
    } catch (RuntimeException e) {
      Log.error("QCFG-1503: cannot open history in " + options.state()
          + "; versions restart at 1 and there is no rollback", e);
    }
    try {
      audit = AuditLog.open(options.state(), 10L * 1024 * 1024, 10);
    } catch (RuntimeException e) {
      Log.error("QCFG-1504: cannot open the audit log in " + options.state(), e);
    }
    return last;
  }

  /** History, or null when the state directory could not be opened. */
  HistoryStore history() {
    return history;
  }

  AuditLog audit() {
    return audit;
  }

  /** The kept versions, oldest first. */
  List<HistoryEntry> entries() {
    HistoryStore h = history;
    return h == null ? List.of() : h.entries();
  }

  /** Appends an applied version to history; a failure is logged, never thrown. */
  void remember(HistoryEntry entry) {
    HistoryStore h = history;
    if (h == null) {
      return;
    }
    try {
      h.append(entry);
    } catch (RuntimeException e) {
      Log.warnOnce("history-write", "QCFG-1508: cannot write history: " + e.getMessage());
    }
  }

  /** Appends to the audit log; an unwritable log shows in {@code LastError}. */
  void audit(AuditEvent event) {
    AuditLog a = audit;
    if (a != null) {
      a.append(event);
      if (!a.healthy()) {
        status.error("QCFG-1509: the audit log cannot be written: "
            + a.lastFailure().orElse("unknown") + " (mutating operations are refused)");
      }
    }
  }

  /**
   * Mutating operations are refused while the audit log cannot be written: an unaccountable
   * change is worse than a refused one. File changes still apply (they are the source of truth).
   */
  void requireAuditable(String operation) {
    AuditLog a = audit;
    if (a != null && !a.healthy() && !a.retry()) {
      throw new QcfgException.Refused(
          "QCFG-1605",
          operation + " refused: the audit log cannot be written ("
              + a.lastFailure().orElse("unknown") + ")");
    }
  }

  /** "versions 3 to 9", for messages about what history keeps. */
  static String describeKept(HistoryStore h) {
    List<HistoryEntry> all = h.entries();
    if (all.isEmpty()) {
      return "none";
    }
    return "versions " + all.get(0).version() + " to " + all.get(all.size() - 1).version();
  }
}
