package io.qcfg.internal.jmx;

import io.qcfg.QcfgException;
import io.qcfg.Snapshot;
import io.qcfg.internal.QcfgRuntime;
import io.qcfg.internal.snapshot.ConfigSnapshot;
import java.time.Instant;
import java.util.List;

/**
 * {@link ConfigOperations} over a {@link QcfgRuntime} as it is today: everything but history.
 * Rollback, the history list and diffs against any version other than the active one are refused
 * with "history is off"; integration replaces these three with the history store's.
 *
 * <p>A record so that two adapters of the same runtime are equal (registration is idempotent).
 */
record RuntimeOperations(QcfgRuntime runtime) implements ConfigOperations {
  private static final String NO_HISTORY = "not available: history is off in this JVM";

  @Override
  public ConfigSnapshot current() {
    return runtime.current();
  }

  @Override
  public boolean lastReloadSuccessful() {
    return runtime.lastReloadSuccessful();
  }

  @Override
  public String lastError() {
    return runtime.lastError();
  }

  @Override
  public Instant loadedAt() {
    return runtime.loadedAt();
  }

  @Override
  public long reloadCount() {
    return runtime.reloadCount();
  }

  @Override
  public long rejectedCount() {
    return runtime.rejectedCount();
  }

  @Override
  public Snapshot reload(String actor) {
    return runtime.reload(actor, "reload by " + actor);
  }

  @Override
  public Snapshot rollback(long version, String actor) {
    throw new QcfgException.Refused(
        "QCFG-5110", "rollback to version " + version + ": " + NO_HISTORY);
  }

  @Override
  public List<HistoryInfo> history() {
    throw new QcfgException.Refused("QCFG-5111", "history: " + NO_HISTORY);
  }

  @Override
  public ConfigSnapshot snapshotAt(long version) {
    ConfigSnapshot active = runtime.current();
    if (active.version() == version) {
      return active;
    }
    throw new QcfgException.Refused(
        "QCFG-5112",
        "version "
            + version
            + ": only the active version "
            + active.version()
            + " is known; "
            + NO_HISTORY);
  }

  @Override
  public Snapshot setOverride(String path, String value, String actor) {
    return runtime.setOverride(path, value, actor);
  }

  @Override
  public Snapshot clearOverride(String path, String actor) {
    return runtime.clearOverride(path, actor);
  }

  @Override
  public Snapshot switchEnvironment(String environment, String actor) {
    return runtime.switchEnvironment(environment, actor);
  }
}
