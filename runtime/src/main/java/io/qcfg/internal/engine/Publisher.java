package io.qcfg.internal.engine;

import io.qcfg.Problem;
import io.qcfg.internal.audit.AuditEvent;
import io.qcfg.internal.bind.FieldBinder;
import io.qcfg.internal.history.EntryTree;
import io.qcfg.internal.history.HistoryEntry;
import io.qcfg.internal.log.Log;
import io.qcfg.internal.log.StartupTrace;
import io.qcfg.internal.snapshot.ConfigSnapshot;
import io.qcfg.internal.snapshot.SnapshotStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Applies a validated candidate, always in this order: reserve the version, publish the
 * reference, bind the fields, record it (history, audit, counters), then hand it to the
 * listeners, which run on their own thread ({@link Listeners}). Nothing a listener does can
 * un-record an applied version or hold the next one: by the time any user code runs, the version
 * is published, bound and recorded, and whatever a listener throws ({@code Error} included) is
 * contained, logged with the listener's name and counted.
 *
 * <p>Concurrency: applier thread only.
 */
final class Publisher {
  /** Who applied a change, why, and how the audit log names it. */
  record Change(String cause, String actor, AuditEvent.Type type) {}

  private final SnapshotStore store;
  private final FieldBinder binder;
  private final Records records;
  private final Status status;
  private final Listeners listeners;

  Publisher(SnapshotStore store, FieldBinder binder, Records records, Status status,
      Listeners listeners) {
    this.store = store;
    this.binder = binder;
    this.records = records;
    this.status = status;
    this.listeners = listeners;
  }

  /**
   * Applies {@code candidate} unless its checksum and environment equal the active snapshot's.
   *
   * @param commit runs right after the reference is published, before any user code (the engine's
   *     own state that goes with the new version: overrides, environment)
   * @return the new active snapshot, or the unchanged one
   * @throws io.qcfg.QcfgException.Invalid (QCFG-1515) when history cannot hold the candidate's
   *     tree; nothing is reserved, published or recorded (the caller rejects it)
   */
  ConfigSnapshot apply(ConfigSnapshot candidate, Change change, Runnable commit) {
    ConfigSnapshot before = store.current();
    // Before a version is reserved: a tree history cannot hold is rejected, never applied
    // unrecorded (QCFG-1515). The parse is the one history writes.
    long t = StartupTrace.begin();
    EntryTree entryTree = records.prepare(before, candidate);
    StartupTrace.end("history (check the entry tree)", t);
    status.succeeded();
    // The one place versions come from: reserved durably before anything can see them.
    t = StartupTrace.begin();
    OptionalLong version = records.versionFor(before, candidate, store::reserveVersion);
    StartupTrace.end("version (reserve)", t);
    if (version.isEmpty()) {
      commit.run();
      return before;
    }
    store.setLastVersion(version.getAsLong());
    ConfigSnapshot next = candidate.withVersion(version.getAsLong(), Instant.now(), change.cause());
    store.publish(next);
    StartupTrace.record("publish", System.nanoTime(), System.nanoTime());
    commit.run();
    t = StartupTrace.begin();
    bindFields(next);
    StartupTrace.end("field binding (fields known so far)", t);
    record(before, next, change, entryTree);
    // Issue 18: probation starts (a rollback confirms) before any listener can fail.
    status.guard().applied(before, next, change.type() == AuditEvent.Type.ROLLBACK);
    listeners.deliver(before, next); // hands it to the listeners' own thread
    return next;
  }

  /** The probation guard, asked by {@link Changes} about quarantined checksums (issue 18). */
  ChangeGuard guard() {
    return status.guard();
  }

  /** Records a rejected candidate: counters, {@code LastError}, audit. */
  void rejected(List<Problem> problems, Change change) {
    status.rejected(problems);
    List<String> texts = io.qcfg.internal.validate.ProblemList.lines(problems); // bounded
    ConfigSnapshot cur = store.current();
    records.audit(AuditEvent.of(AuditEvent.Type.REJECTED, change.actor(), change.cause())
        .withVersions(cur == null || cur.version() == 0 ? null : cur.version(), null)
        .withProblems(texts));
  }

  private void bindFields(ConfigSnapshot next) {
    try {
      binder.write(next);
    } catch (Throwable t) { // the version is published: a broken write must not unpublish it
      Log.error("QCFG-5005: writing bound fields for version " + next.version() + " failed", t);
    }
  }

  private void record(ConfigSnapshot before, ConfigSnapshot after, Change change,
      EntryTree tree) {
    try {
      status.applied(after.createdAt());
      AuditEvent event = AuditEvent.of(change.type(), change.actor(), change.cause())
          .withVersions(before == null || before.version() == 0 ? null : before.version(),
              after.version());
      // To a fresh JVM every path is new: a start-up line names how many, not which (it listed
      // them all: 30 KB a line at 1,000 settings and 300 KB at 10,000, on every restart).
      AuditEvent line = change.type() == AuditEvent.Type.STARTUP
          ? event.withDetails(Map.of("paths", Integer.toString(after.leaves().size())))
          : event.withPaths(List.copyOf(SnapshotStore.changedPaths(before, after)));
      // A restart that kept its version (the fast start) renders no tree for a known entry.
      // When the first snapshot gets a history entry, its audit line is written beside it
      // (issue 16: a short-lived JVM's exit waits for both, and each ends in its own fsync).
      // Two files, one writer each; the version both name was reserved durably before the
      // publish, so a crash between the two writes is recovered at the next start whichever
      // came first.
      boolean appends = records.appends(after.version());
      OneShot<Void> aside = before == null && appends ? auditAside(line) : null;
      long t = StartupTrace.begin();
      if (appends) {
        records.remember(new HistoryEntry(after.version(), after.checksum(),
            after.environment(), after.environmentSource(), after.createdAt(), change.cause(),
            change.actor(), List.of(), tree != null ? tree.json() : after.sealedJson()), tree);
      }
      StartupTrace.end("history (write)", t);
      if (aside == null) {
        t = StartupTrace.begin();
        records.audit(line);
        StartupTrace.end("audit (write)", t);
      } else {
        t = StartupTrace.begin();
        aside.join(); // keeps an interrupt for the applier's later waits
        StartupTrace.end("audit (wait for it)", t);
      }
    } catch (RuntimeException e) {
      Log.error("QCFG-1508: cannot record version " + after.version(), e);
    }
  }

  /**
   * Writes {@code line} to the audit log on the thread {@code qcfg-start-audit}; the caller
   * joins it before anything else is audited, so the log's order is the applier's.
   */
  private OneShot<Void> auditAside(AuditEvent line) {
    OneShot<Void> written = new OneShot<>();
    Thread t = new Thread(() -> {
      long at = StartupTrace.begin();
      try {
        records.audit(line);
      } catch (RuntimeException | Error e) { // the audit log reports its own write failures
        Log.error("QCFG-1508: cannot audit the first version", e);
      } finally {
        StartupTrace.end("audit (write)", at); // its thread says where
        written.complete(null);
      }
    }, "qcfg-start-audit");
    t.setDaemon(true);
    t.start();
    return written;
  }
}
