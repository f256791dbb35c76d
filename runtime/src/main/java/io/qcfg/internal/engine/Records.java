package io.qcfg.internal.engine;

import io.qcfg.Origin;
import io.qcfg.Problem;
import io.qcfg.QcfgException;
import io.qcfg.internal.QcfgOptions;
import io.qcfg.internal.audit.AuditEvent;
import io.qcfg.internal.audit.AuditLog;
import io.qcfg.internal.history.EntryTree;
import io.qcfg.internal.history.HistoryEntry;
import io.qcfg.internal.history.HistoryStore;
import io.qcfg.internal.history.StateDir;
import io.qcfg.internal.log.Log;
import io.qcfg.internal.snapshot.ConfigSnapshot;
import io.qcfg.internal.tree.ConfigPaths;
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
  private volatile String configDir = "";

  Records(Status status) {
    this.status = status;
  }

  /**
   * Claims the state directory (lock, identity) and opens the version counter, history and audit
   * log; a state directory we cannot use costs features, not the app ({@code LastError} says why).
   */
  void open(QcfgOptions options) {
    open(options, () -> { });
  }

  /**
   * As {@link #open(QcfgOptions)}; {@code historyOpen} runs once {@link #history()} is set (null
   * when history cannot be opened), while the audit log and the version counter still open.
   */
  void open(QcfgOptions options, Runnable historyOpen) {
    configDir = options.dir().toString();
    StateDir s = StateDir.open(options.state(), options.dir(), options.history(), h -> {
      history = h;
      historyOpen.run();
    });
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
   * The tree history will keep for {@code candidate}, parsed before a version is reserved for it;
   * null when no entry will be written (the candidate is not a new version, or there is no
   * history).
   *
   * @throws QcfgException.Invalid (QCFG-1515) when history cannot hold the tree: every applied
   *     version is in history, so such a candidate is rejected, not applied
   */
  EntryTree prepare(ConfigSnapshot active, ConfigSnapshot candidate) {
    HistoryStore h = history;
    if (h == null || sameVersion(active, candidate, h)) {
      return null;
    }
    return EntryTree.of(candidate, configDir);
  }

  // What StateDir.versionFor treats as no new version: equal to the active snapshot, or the first
  // of an unchanged restart (equal to the newest entry).
  private static boolean sameVersion(ConfigSnapshot active, ConfigSnapshot candidate,
      HistoryStore h) {
    if (active != null) {
      return active.checksum().equals(candidate.checksum())
          && active.environment().equals(candidate.environment());
    }
    // The head alone, streamed: loading history (databind) before the first publish cost ~300 ms.
    HistoryStore.Head newest = h.head().orElse(null);
    return newest != null && newest.checksum().equals(candidate.checksum())
        && newest.environment().equals(candidate.environment());
  }

  /** Whether {@link #remember} would append {@code version} (history open, version newer). */
  boolean appends(long version) {
    HistoryStore h = history;
    return h != null && version > h.lastVersion();
  }

  /**
   * Appends an applied version to history, its tree parsed by {@link #prepare} (null: parsed
   * here); a failure is logged, never thrown. An unchanged restart keeps the newest entry's
   * version and adds no duplicate.
   */
  void remember(HistoryEntry entry, EntryTree tree) {
    HistoryStore h = history;
    if (h == null || entry.version() <= h.lastVersion()) {
      return;
    }
    try {
      if (tree != null) {
        h.append(entry, tree);
      } else {
        h.append(entry);
      }
    } catch (RuntimeException e) {
      Log.warnOnce("history-write", "QCFG-1508: cannot write history: " + e.getMessage());
    }
  }

  /** Marks a kept version confirmed (issue 18); false when it is not kept or not written. */
  boolean confirm(long version) {
    HistoryStore h = history;
    return h != null && h.markConfirmed(version);
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
