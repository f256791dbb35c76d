package io.qcfg.internal.engine;

import io.qcfg.QcfgException;
import io.qcfg.internal.QcfgOptions;
import io.qcfg.internal.audit.AuditEvent;
import io.qcfg.internal.audit.AuditLog;
import io.qcfg.internal.history.HistoryEntry;
import io.qcfg.internal.history.HistoryStore;
import io.qcfg.internal.history.StateDir;
import io.qcfg.internal.snapshot.ConfigSnapshot;
import io.qcfg.internal.log.Log;
import java.util.List;
import java.util.OptionalLong;

/**
 * The state directory as the engine uses it: its lock and identity, the durable version counter,
 * history and the audit log.
 *
 * <p>Concurrency: opened once on the applier thread (never in premain), then read by anyone;
 * written by the applier, except access denials, which {@link AuditLog} serialises itself.
 */
final class Records {
  private final Status status;
  private volatile StateDir state;
  private volatile HistoryStore history;
  private volatile AuditLog audit;

  Records(Status status) {
    this.status = status;
  }

  /**
   * Claims the state directory (lock, identity) and opens the version counter, history and audit
   * log; a state directory we cannot use costs features, not the app ({@code LastError} says why).
   */
  void open(QcfgOptions options) {
    StateDir s = StateDir.open(options.state(), options.dir(), options.history());
    state = s;
    history = s.history();
    audit = s.audit();
    if (!s.problem().isEmpty()) {
      status.error(s.problem());
    }
  }

  /**
   * The version {@code candidate} gets over {@code active}, reserved durably before anything can
   * see it; empty when it is not a new version (same checksum and environment), and the newest
   * history entry's version for an unchanged restart. Before {@link #open} (never in practice),
   * {@code next} numbers it.
   */
  OptionalLong versionFor(ConfigSnapshot active, ConfigSnapshot candidate,
      java.util.function.LongSupplier next) {
    StateDir s = state;
    if (s != null) {
      return s.versionFor(active, candidate);
    }
    if (active != null && active.checksum().equals(candidate.checksum())
        && active.environment().equals(candidate.environment())) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(next.getAsLong());
  }

  /** Releases the state directory's lock; on stop and after a failed start. */
  void close() {
    StateDir s = state;
    if (s != null) {
      s.close();
    }
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

  /**
   * Appends an applied version to history; a failure is logged, never thrown. An unchanged restart
   * keeps the newest entry's version and adds no duplicate.
   */
  void remember(HistoryEntry entry) {
    HistoryStore h = history;
    if (h == null || entry.version() <= h.lastVersion()) {
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
