package io.qcfg.internal.snapshot;

import io.qcfg.ConfigChange;
import io.qcfg.internal.tree.ConfigPaths;
import io.qcfg.internal.tree.Leaves;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Holds the active snapshot and publishes new ones.
 *
 * <p>Concurrency: {@link #reserveVersion} and {@link #publish} are called only by the one applier
 * thread (qcfg-applier), so versions are assigned without races. The active snapshot is
 * published with a single volatile write; {@link #current()} is a single volatile read and never
 * blocks. Listeners are called by the applier, in registration order.
 */
public final class SnapshotStore {
  private volatile ConfigSnapshot current;
  private final CopyOnWriteArrayList<Consumer<ConfigChange>> listeners = new CopyOnWriteArrayList<>();
  private long lastVersion; // guarded by: the applier thread only

  /** @param lastVersion the highest version ever applied (from history), 0 for none */
  public SnapshotStore(long lastVersion) {
    this.lastVersion = lastVersion;
  }

  public ConfigSnapshot current() {
    return current;
  }

  /** Continues numbering after {@code version} (from history); before the first publish only. */
  public void setLastVersion(long version) {
    lastVersion = Math.max(lastVersion, version);
  }

  public long lastVersion() {
    return lastVersion;
  }

  /** Reserves the next version number (applier thread only). */
  public long reserveVersion() {
    return ++lastVersion;
  }

  /**
   * Makes {@code next} the active snapshot: one volatile write, nothing else. The applier calls
   * the listeners later ({@link #listeners()}), once the version is bound and recorded.
   */
  public void publish(ConfigSnapshot next) {
    current = next;
  }

  /** The listeners, in registration order (a snapshot of the list: it may change meanwhile). */
  public java.util.List<Consumer<ConfigChange>> listeners() {
    return java.util.List.copyOf(listeners);
  }

  /** Adds a listener called after each applied change. Close the handle to remove it. */
  public io.qcfg.Subscription addListener(Consumer<ConfigChange> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  /**
   * Leaf paths added, removed or changed between two snapshots: one walk over both trees that
   * descends only where both sides hold an object, so unchanged subtrees cost one comparison.
   */
  public static Set<String> changedPaths(ConfigSnapshot a, ConfigSnapshot b) {
    Set<String> out = new TreeSet<>();
    if (a == null) {
      out.addAll(b.paths());
      return out;
    }
    diff(a.config().root(), b.config().root(), "", out);
    return out;
  }

  private static void diff(
      com.typesafe.config.ConfigObject a, com.typesafe.config.ConfigObject b, String prefix,
      Set<String> out) {
    Set<String> keys = new TreeSet<>(a.keySet());
    keys.addAll(b.keySet());
    for (String key : keys) {
      com.typesafe.config.ConfigValue va = a.get(key);
      com.typesafe.config.ConfigValue vb = b.get(key);
      String path = prefix.isEmpty()
          ? ConfigPaths.quote(key)
          : prefix + "." + ConfigPaths.quote(key);
      if (va != null && vb != null && va.equals(vb)) {
        continue;
      }
      if (va instanceof com.typesafe.config.ConfigObject oa
          && vb instanceof com.typesafe.config.ConfigObject ob && !oa.isEmpty() && !ob.isEmpty()) {
        diff(oa, ob, path, out);
        continue;
      }
      leaves(va, path, out);
      leaves(vb, path, out);
    }
  }

  private static void leaves(com.typesafe.config.ConfigValue v, String path, Set<String> out) {
    if (v == null) {
      return;
    }
    if (v instanceof com.typesafe.config.ConfigObject o && !o.isEmpty()) {
      Leaves.collectLeaves(o, path, (p, x) -> out.add(p));
    } else {
      out.add(path);
    }
  }

}
