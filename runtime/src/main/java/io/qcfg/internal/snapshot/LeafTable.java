package io.qcfg.internal.snapshot;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * A snapshot's leaves by path, read-only: a {@link PathIndex} (path to slot), shared with the last
 * snapshot when the leaf paths did not change, and this snapshot's own leaves by slot. A lookup is
 * a hash probe of the index and one array load; a reload that changes values but no paths makes
 * one array, not a new hash table (issue 19 item 4).
 *
 * <p>Concurrency: immutable once built (final fields, filled before the snapshot holding it is
 * published by one volatile write), so readers need no lock.
 */
public final class LeafTable extends AbstractMap<String, Leaf> {
  private final PathIndex index;
  private final Leaf[] bySlot;

  private LeafTable(PathIndex index, Leaf[] bySlot) {
    this.index = index;
    this.bySlot = bySlot;
  }

  /** A table holding what {@code leaves} holds. */
  public static LeafTable copyOf(Map<String, Leaf> leaves) {
    if (leaves instanceof LeafTable t) {
      return t;
    }
    Builder b = new Builder(leaves.size());
    leaves.forEach(b::add);
    return b.build(null);
  }

  /** The leaf at {@code path} (canonical spelling), or null: the lookup's fast path. */
  Leaf leaf(String path) {
    int slot = index.slot(path);
    return slot < 0 ? null : bySlot[slot];
  }

  /** Whether this table and {@code other} share one path index (for tests). */
  boolean sharesIndexWith(LeafTable other) {
    return other != null && other.index == index;
  }

  @Override
  public Leaf get(Object key) {
    return key instanceof String s ? leaf(s) : null;
  }

  @Override
  public boolean containsKey(Object key) {
    return key instanceof String s && index.slot(s) >= 0;
  }

  @Override
  public int size() {
    return index.size();
  }

  @Override
  public Set<Entry<String, Leaf>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public int size() {
        return index.size();
      }

      @Override
      public Iterator<Entry<String, Leaf>> iterator() {
        return new Iterator<>() {
          private int next = advance(0);

          private int advance(int from) {
            int i = from;
            while (i < bySlot.length && index.path(i) == null) {
              i++;
            }
            return i;
          }

          @Override
          public boolean hasNext() {
            return next < bySlot.length;
          }

          @Override
          public Entry<String, Leaf> next() {
            if (next >= bySlot.length) {
              throw new NoSuchElementException();
            }
            Entry<String, Leaf> e = new SimpleImmutableEntry<>(index.path(next), bySlot[next]);
            next = advance(next + 1);
            return e;
          }
        };
      }
    };
  }

  /** Collects leaves in walk order; a path added twice keeps its last leaf. */
  static final class Builder {
    private String[] paths;
    private Leaf[] leaves;
    private int count;

    Builder(int expected) {
      paths = new String[Math.max(16, expected)];
      leaves = new Leaf[paths.length];
    }

    /** Adds {@code path}; returns its place, for {@link #set} when its leaf comes later. */
    int add(String path, Leaf leaf) {
      if (count == paths.length) {
        paths = java.util.Arrays.copyOf(paths, count * 2);
        leaves = java.util.Arrays.copyOf(leaves, count * 2);
      }
      paths[count] = path;
      leaves[count] = leaf;
      return count++;
    }

    /** The leaves in the order they were added. */
    Leaf[] inWalkOrder() {
      return java.util.Arrays.copyOf(leaves, count);
    }

    /** The leaf of the path added at {@code place}. */
    void set(int place, Leaf leaf) {
      leaves[place] = leaf;
    }

    /** The table; it shares {@code previous}'s index when the paths are the same, in order. */
    LeafTable build(Map<String, Leaf> previous) {
      return buildOn(previous instanceof LeafTable t && t.index.indexes(paths, count)
          ? t.index : index());
    }

    /**
     * The index of the paths added so far, before every leaf is known: the caller {@link #set}s
     * the rest, then builds the table on it ({@link #buildOn}); no path may be added.
     */
    PathIndex index() {
      return PathIndex.of(paths, count);
    }

    /** The table on {@code index}, made by {@link #index} of these very paths. */
    LeafTable buildOn(PathIndex index) {
      Leaf[] bySlot = new Leaf[index.capacity()];
      for (int j = 0; j < count; j++) {
        bySlot[index.slotOf(j)] = leaves[j];
      }
      return new LeafTable(index, bySlot);
    }
  }
}
