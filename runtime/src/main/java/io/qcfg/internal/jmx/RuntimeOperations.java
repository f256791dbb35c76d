package io.qcfg.internal.jmx;

import io.qcfg.QcfgException;
import io.qcfg.Snapshot;
import io.qcfg.internal.engine.Engine;
import io.qcfg.internal.snapshot.ConfigSnapshot;
import java.time.Instant;
import java.util.List;

/**
 * {@link ConfigOperations} over a {@link Engine}: every operation is the runtime's own,
 * history, rollback and diffs of kept versions included.
 *
 * <p>A record so that two adapters of the same runtime are equal (registration is idempotent).
 */
record RuntimeOperations(Engine runtime) implements ConfigOperations {

  @Override
  public ConfigSnapshot current() {
    return runtime.current();
  }

  @Override
  public boolean lastReloadSuccessful() {
    return runtime.status().lastReloadSuccessful();
  }

  @Override
  public String lastError() {
    return runtime.status().lastError();
  }

  @Override
  public Instant loadedAt() {
    return runtime.status().loadedAt();
  }

  @Override
  public long reloadCount() {
    return runtime.status().reloadCount();
  }

  @Override
  public long rejectedCount() {
    return runtime.status().rejectedCount();
  }

  @Override
  public long etcdRevision() {
    return runtime.etcdRevision();
  }

  @Override
  public String etcdStatus() {
    var st = runtime.etcdStatus();
    if (st == null) {
      return "";
    }
    return st.connected()
        ? "connected to " + st.endpoint()
        : "disconnected" + st.lastError().map(e -> ": " + e).orElse("");
  }

  @Override
  public Snapshot reload(String actor) {
    return runtime.reload(actor, "reload by " + actor);
  }

  @Override
  public Snapshot rollback(long version, String actor) {
    return runtime.rollback(version, actor);
  }

  @Override
  public Snapshot rollback(long version, String actor, boolean allowEnvironmentChange) {
    return runtime.rollback(version, actor, allowEnvironmentChange);
  }

  @Override
  public long listenerFailures() {
    return runtime.status().listenerFailures();
  }

  @Override
  public io.qcfg.internal.engine.GuardState probation() {
    return runtime.status().guard().state();
  }

  @Override
  public String releaseQuarantine(String actor) {
    return runtime.status().guard().releaseQuarantine(actor);
  }

  @Override
  public List<HistoryInfo> history() {
    List<HistoryInfo> out = new java.util.ArrayList<>();
    for (var e : runtime.history()) {
      out.add(new HistoryInfo(e.version(), e.checksum(), e.environment(),
          e.createdAt().toString(), e.cause(), e.confirmed()));
    }
    return out;
  }

  @Override
  public ConfigSnapshot snapshotAt(long version) {
    return runtime.snapshotAt(version);
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
