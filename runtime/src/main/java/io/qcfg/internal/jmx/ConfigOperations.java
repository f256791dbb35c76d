package io.qcfg.internal.jmx;

import io.qcfg.QcfgException;
import io.qcfg.Snapshot;
import io.qcfg.internal.engine.Engine;
import io.qcfg.internal.snapshot.ConfigSnapshot;
import java.time.Instant;
import java.util.List;

/**
 * What the MBean asks of the engine. The MBean checks roles, translates errors into JDK types and
 * formats results; everything else is here, so that the engine's features (history, rollback) can
 * be wired in without touching the MBean.
 *
 * <p>{@link #of(Engine)} adapts a running {@link Engine}; history, rollback and diffs of
 * old versions are refused there until integration supplies an implementation with history.
 *
 * <p>Every mutating method waits for the applier thread and throws {@link QcfgException.Invalid}
 * when the candidate is rejected (the active snapshot stays), {@link QcfgException.Refused} when
 * the operation is refused.
 */
public interface ConfigOperations {

  /** The active snapshot; never null once the MBean is registered. */
  ConfigSnapshot current();

  boolean lastReloadSuccessful();

  /** Every problem of the last rejected candidate, one per line; "" when none. */
  String lastError();

  /** When the active snapshot was applied; null before the first. */
  Instant loadedAt();

  long reloadCount();

  long rejectedCount();

  /** The etcd revision of the active snapshot; -1 without the etcd layer. */
  default long etcdRevision() {
    return -1;
  }

  /** The etcd connection state; "" without the etcd layer. */
  default String etcdStatus() {
    return "";
  }

  /** Re-reads every layer. */
  Snapshot reload(String actor);

  /** Re-applies an earlier version of this JVM's environment as a new version. */
  Snapshot rollback(long version, String actor);

  /** Re-applies an earlier version; of another environment only when allowed. */
  default Snapshot rollback(long version, String actor, boolean allowEnvironmentChange) {
    return rollback(version, actor);
  }

  /** How many times a listener threw; 0 when unknown. */
  default long listenerFailures() {
    return 0;
  }

  /** The probation state (issue 18); {@link GuardState#OFF} without probation. */
  default io.qcfg.internal.engine.GuardState probation() {
    return io.qcfg.internal.engine.GuardState.OFF;
  }

  /** Ends the quarantine of probation; what it did. */
  default String releaseQuarantine(String actor) {
    return "nothing is quarantined (probation is off)";
  }

    /** The applied versions still kept, oldest first. */
  List<HistoryInfo> history();

  /**
   * The snapshot of an applied version, for diffs.
   *
   * @throws QcfgException.Refused when that version is not kept
   */
  ConfigSnapshot snapshotAt(long version);

  Snapshot setOverride(String path, String value, String actor);

  Snapshot clearOverride(String path, String actor);

  Snapshot switchEnvironment(String environment, String actor);

  /** The operations of a running runtime, without history (see {@link RuntimeOperations}). */
  public static ConfigOperations of(Engine runtime) {
    return new RuntimeOperations(runtime);
  }
}
