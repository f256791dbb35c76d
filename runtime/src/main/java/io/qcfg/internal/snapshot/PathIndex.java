package io.qcfg.internal.snapshot;

/**
 * The leaf paths of a snapshot laid out for lookup: an open-addressing table of path strings
 * (linear probing, at most half full) and, per leaf in walk order, its slot. Immutable. A snapshot
 * whose leaf paths are the last one's, in the same walk order, shares this object and brings only
 * its own leaves ({@link LeafTable}), so after a reload a lookup probes the very table it probed
 * before, still hot in the CPU's caches, and the build makes no new table (issue 19 item 4).
 */
final class PathIndex {
  private final String[] table; // slot -> path; null marks a free slot
  private final int[] slotOf; // walk order -> slot
  private final int mask;
  private final int size; // distinct paths

  private PathIndex(String[] table, int[] slotOf, int size) {
    this.table = table;
    this.slotOf = slotOf;
    this.mask = table.length - 1;
    this.size = size;
  }

  /** The index of {@code paths[0..count)}; a repeated path keeps one slot. */
  static PathIndex of(String[] paths, int count) {
    int capacity = Integer.highestOneBit(Math.max(4, count * 2 - 1)) << 1;
    String[] table = new String[capacity];
    int[] slotOf = new int[count];
    int mask = capacity - 1;
    int size = 0;
    for (int j = 0; j < count; j++) {
      String p = paths[j];
      int i = spread(p.hashCode()) & mask;
      while (table[i] != null && !table[i].equals(p)) {
        i = (i + 1) & mask;
      }
      if (table[i] == null) {
        table[i] = p;
        size++;
      }
      slotOf[j] = i;
    }
    return new PathIndex(table, slotOf, size);
  }

  /** The slot of {@code path}, or -1. */
  int slot(String path) {
    String[] t = table;
    int i = spread(path.hashCode()) & mask;
    for (String k; (k = t[i]) != null; i = (i + 1) & mask) {
      if (k == path || k.equals(path)) {
        return i;
      }
    }
    return -1;
  }

  /** Whether this index was made from the same paths in the same order. */
  boolean indexes(String[] paths, int count) {
    if (count != slotOf.length) {
      return false;
    }
    for (int j = 0; j < count; j++) {
      String mine = table[slotOf[j]];
      if (mine != paths[j] && !mine.equals(paths[j])) {
        return false;
      }
    }
    return true;
  }

  int capacity() {
    return table.length;
  }

  int size() {
    return size;
  }

  /** The path in {@code slot}, or null. */
  String path(int slot) {
    return table[slot];
  }

  /** The slot of the {@code j}th path in walk order. */
  int slotOf(int j) {
    return slotOf[j];
  }

  private static int spread(int h) {
    return h ^ (h >>> 16);
  }
}
