package io.qcfg;

import java.util.Set;

/**
 * What an applied change did: the snapshot that was active before, the one active now, and the
 * leaf paths whose value was added, removed or changed between them.
 *
 * @param oldSnapshot the snapshot replaced by this change; never null (at start-up the first
 *     snapshot is both old and new)
 * @param newSnapshot the snapshot now active
 * @param changedPaths leaf paths added, removed or changed, sorted
 */
public record ConfigChange(Snapshot oldSnapshot, Snapshot newSnapshot, Set<String> changedPaths) {
  public ConfigChange {
    // Sorted, as documented, and unmodifiable.
    changedPaths = java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(changedPaths));
  }

  /** Whether the value at {@code path}, or anything below it, changed. */
  public boolean changed(String path) {
    if (changedPaths.contains(path)) {
      return true;
    }
    String prefix = path + ".";
    for (String p : changedPaths) {
      if (p.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }
}
