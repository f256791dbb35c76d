package io.qcfg.internal.history;

import io.qcfg.QcfgException;
import io.qcfg.internal.audit.AuditEvent;
import io.qcfg.internal.audit.AuditLog;
import io.qcfg.internal.log.Log;
import io.qcfg.internal.log.StartupTrace;
import io.qcfg.internal.snapshot.ConfigSnapshot;
import io.qcfg.internal.text.Sha256;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The state directory of one running engine: its lock, its identity, the version counter, history
 * and the audit log, opened together so that the engine needs one call.
 *
 * <p>{@link #open} never fails the start. When the directory belongs to another owner (a running
 * JVM holds its lock, QCFG-4208) or to another configuration directory (QCFG-4209), the engine runs
 * on its configuration files alone: no history, no fallback, no rollback, no audit log, versions
 * counted in memory, and {@link #problem()} says why (the engine shows it as {@code LastError}).
 * Nothing is written into a directory this JVM does not own.
 *
 * <p>Versions: {@link #versionFor} is the engine's one call before it publishes a new snapshot. It
 * reserves the next number durably ({@link VersionCounter}), except for the first snapshot of a
 * start whose checksum and environment equal the newest history entry's: a restart on unchanged
 * inputs keeps that version (and history gains no duplicate entry).
 *
 * <p>Concurrency: opened and used by the engine's applier thread; the getters are safe anywhere.
 */
public final class StateDir implements AutoCloseable {
  private final StateLock lock; // null: not owned
  private final HistoryStore history;
  private final AuditLog audit;
  private final VersionCounter versions;
  private final StateIdentity identity; // null: not owned
  private final String problem;

  private StateDir(
      StateLock lock,
      HistoryStore history,
      AuditLog audit,
      VersionCounter versions,
      StateIdentity identity,
      String problem) {
    this.lock = lock;
    this.history = history;
    this.audit = audit;
    this.versions = versions;
    this.identity = identity;
    this.problem = problem;
  }

  /**
   * Claims and opens {@code stateDir} for the configuration directory {@code configDir}. Never
   * throws: see the class comment.
   *
   * @param keep how many history entries to keep (option {@code history})
   */
  public static StateDir open(Path stateDir, Path configDir, int keep) {
    return open(stateDir, configDir, keep, h -> { });
  }

  /**
   * As {@link #open(Path, Path, int)}; {@code historyOpened} gets history (or null when it cannot
   * be opened) as soon as it is open under the lock, before the audit log and the version counter
   * are: a fast restart reads its head meanwhile (issue 16). Not called for a directory this JVM
   * does not own.
   */
  public static StateDir open(Path stateDir, Path configDir, int keep,
      java.util.function.Consumer<HistoryStore> historyOpened) {
    StateLock lock;
    StateIdentity identity;
    try {
      lock = StateLock.acquire(stateDir);
    } catch (QcfgException.Refused e) {
      return unowned(stateDir, e.getMessage());
    } catch (IOException | RuntimeException e) {
      // A read-only or broken directory: nobody can write it, so reading it unlocked is safe, and
      // its history still serves the start-up fallback.
      lock = null;
      Log.warn(stateDir + ": cannot lock the state directory (" + HistoryStore.reason(e)
          + "); using it without the lock [QCFG-4208]");
    }
    try {
      identity = StateIdentity.claim(stateDir, configDir);
    } catch (QcfgException.Refused e) {
      if (lock != null) {
        lock.close();
      }
      return unowned(stateDir, e.getMessage());
    }
    HistoryStore history = null;
    long t = StartupTrace.begin();
    try {
      history = HistoryStore.open(stateDir, keep);
    } catch (RuntimeException e) {
      Log.error("QCFG-1503: cannot open history in " + stateDir + "; there is no rollback", e);
    }
    StartupTrace.end("history (open)", t);
    historyOpened.accept(history);
    t = StartupTrace.begin();
    AuditLog audit = null;
    try {
      audit = AuditLog.open(stateDir, 10L * 1024 * 1024, 10);
    } catch (RuntimeException e) {
      Log.error("QCFG-1504: cannot open the audit log in " + stateDir, e);
    }
    StartupTrace.end("audit (open)", t);
    long historyLast = history == null ? 0 : history.lastVersion();
    long counted = Math.max(VersionCounter.read(stateDir), historyLast);
    long audited = audit == null ? 0 : audit.lastVersionAtOpen();
    VersionCounter versions = VersionCounter.open(stateDir, counted, audited);
    if (audit != null && audited < counted) {
      recordUnaudited(audit, audited, counted);
    }
    return new StateDir(lock, history, audit, versions, identity, "");
  }

  private static StateDir unowned(Path stateDir, String message) {
    Log.error(message);
    // Count on from the owner's numbers (read only), so that ours do not start again at 1.
    return new StateDir(null, null, null,
        VersionCounter.inMemory(VersionCounter.read(stateDir)), null, message);
  }

  /**
   * Versions {@code audited + 1 .. counted} were handed out but have no audit line. One missing
   * version with an intact head is what a crash between the reservation and the audit write
   * leaves; anything else means lines were cut off the end (or lost in a write outage), and the
   * line written here makes {@code audit verify} fail from now on.
   */
  private static void recordUnaudited(AuditLog audit, long audited, long counted) {
    boolean crash = counted - audited == 1 && audit.headIntactAtOpen();
    if (crash) {
      Log.warn("version " + counted + " was applied but the JVM stopped before its audit line"
          + " was written; recorded now [QCFG-4121]");
      audit.append(AuditEvent.of(AuditEvent.Type.VERSION_RECOVERED, "qcfg",
              "version " + counted + " was applied before a crash; its audit line was lost")
          .withVersions(audited == 0 ? null : audited, counted));
      return;
    }
    String reason = "the version counter and history record version " + counted
        + " but the audit log ends at version " + audited
        + (audit.headIntactAtOpen() ? "" : " and audit.head did not match its end")
        + ": lines were cut off the end of the log, or events were lost while it could not be"
        + " written";
    Log.error("QCFG-4121: " + reason + "; `qcfg audit verify` reports it");
    audit.append(AuditEvent.of(AuditEvent.Type.AUDIT_GAP, "qcfg", reason)
        .withVersions(audited == 0 ? null : audited, counted)
        .withDetails(Map.of("missingFrom", Long.toString(audited + 1),
            "missingTo", Long.toString(counted))));
  }

  /**
   * The version {@code candidate} gets when it is published over {@code active}: empty when it is
   * not a new version (same checksum and environment as the active snapshot); else reserved
   * durably, or, for the first snapshot of this start when it equals the newest history entry
   * (same checksum and environment, and no later version was handed out), that entry's version.
   * The engine calls this right before it publishes. Also records the environment in the state
   * directory's identity.
   *
   * @param active the active snapshot, null before the first one of this start
   */
  public OptionalLong versionFor(ConfigSnapshot active, ConfigSnapshot candidate) {
    if (active != null
        && active.checksum().equals(candidate.checksum())
        && active.environment().equals(candidate.environment())) {
      return OptionalLong.empty();
    }
    if (identity != null) {
      identity.recordEnvironment(candidate.environment());
    }
    if (active == null && history != null) {
      // The newest entry's head only: no history (nor databind) is loaded before the first publish.
      Optional<HistoryStore.Head> newest = history.head();
      if (newest.isPresent()
          && newest.get().version() == versions.last()
          && newest.get().checksum().equals(candidate.checksum())
          && newest.get().environment().equals(candidate.environment())) {
        return OptionalLong.of(newest.get().version());
      }
    }
    return OptionalLong.of(versions.reserve());
  }

  /**
   * The default state directory for {@code configDir}: {@code .qcfg/<name>-<hash>} relative to
   * the working directory, where {@code name} is the configuration directory's own name and
   * {@code hash} the first 8 hex digits of the SHA-256 of its absolute real path. Two programs
   * started from one working directory with different configuration directories therefore never
   * share history.
   */
  public static Path defaultFor(Path configDir) {
    String real = StateIdentity.realPath(configDir);
    Path name = Path.of(real).getFileName();
    String safe = name == null ? "root" : name.toString().replaceAll("[^A-Za-z0-9._-]", "_");
    return Path.of(".qcfg", safe + "-" + Sha256.hex(real).substring(0, 8));
  }

  /** History, or null when the directory is not owned or history cannot be opened. */
  public HistoryStore history() {
    return history;
  }

  /** The audit log, or null when the directory is not owned or the log cannot be opened. */
  public AuditLog audit() {
    return audit;
  }

  /** The version counter (in memory only when the directory is not owned). */
  public VersionCounter versions() {
    return versions;
  }

  /** Why the directory is not used (QCFG-4208, QCFG-4209), or empty. */
  public String problem() {
    return problem;
  }

  /** Releases the lock. */
  @Override
  public void close() {
    if (lock != null) {
      lock.close();
    }
  }
}
