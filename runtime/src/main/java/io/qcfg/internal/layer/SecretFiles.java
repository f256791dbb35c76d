package io.qcfg.internal.layer;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import java.util.ArrayList;
import java.util.List;

/**
 * The secret layer as its parsed files, highest precedence first (the files of one key as one
 * tree, then {@code secrets/*.conf} in the layer's order), not merged: a fast restart needs only
 * the values at its sealed leaves' paths before its publish, and merging two 1,000-leaf files
 * cold took 30 ms there (issue 16). {@link #valueAt} gives what the merged layer has at a path,
 * walking down the files as Typesafe's {@code withFallback} merges them; {@link #merged} makes
 * the merged layer, as {@link LayerStack#secretLayer(java.nio.file.Path)} reads it, on demand.
 * A plain file ({@link PlainHocon}) stays its reader's tree ({@link PlainHocon.Tree}): the
 * lookups walk its nodes and make an object Typesafe's only where one is found (issue 16: making
 * every object of two 1,000-leaf files took 12 ms of the read ahead's CPU, cold). When a file is
 * not resolved (a substitution), the layer is merged and resolved at once and the lookups read
 * that.
 *
 * <p>Concurrency: immutable but for the merged layer, made at most once per thread that asks
 * first (each makes the same tree); safe to share.
 */
public final class SecretFiles {
  /**
   * A parsed file of the layer as the redactor learns it: every scalar, lists' items included,
   * as {@code Leaves.forEachScalar} walks a tree.
   */
  @FunctionalInterface
  public interface Scalars {
    void forEach(java.util.function.Consumer<ConfigValue> visitor);

    /** The scalars of a Typesafe tree. */
    static Scalars of(Config c) {
      return visitor -> io.qcfg.internal.tree.Leaves.forEachScalar(c.root(), visitor);
    }
  }

  // Highest precedence first, every one resolved: a Config, or a plain file's tree not yet made
  // Typesafe's (PlainHocon.Tree), whose lookups walk its own nodes.
  private final List<Object> files;
  private volatile Config merged;

  private SecretFiles(List<Object> files, Config merged) {
    this.files = files;
    this.merged = merged;
  }

  /** A layer read merged already (by a build's pipeline). */
  public static SecretFiles of(Config merged) {
    return new SecretFiles(List.of(), merged);
  }

  /** The layer of {@code keyFiles} over {@code confs} (in the layer's order, later lower). */
  static SecretFiles of(Config keyFiles, List<Config> confs) {
    return ofParts(keyFiles, new ArrayList<>(confs));
  }

  /**
   * The layer of {@code keyFiles} over {@code parts} (in the layer's order, later lower), each a
   * {@link Config} or a {@link PlainHocon.Tree}.
   */
  static SecretFiles ofParts(Config keyFiles, List<Object> parts) {
    List<Object> files = new ArrayList<>(parts.size() + 1);
    files.add(keyFiles);
    files.addAll(parts);
    for (Object c : files) {
      if (c instanceof Config t && !t.isResolved()) {
        return new SecretFiles(List.of(), merge(keyFiles, configs(parts)));
      }
    }
    return new SecretFiles(List.copyOf(files), null);
  }

  // Every part as Typesafe's tree.
  private static List<Config> configs(List<Object> parts) {
    List<Config> out = new ArrayList<>(parts.size());
    for (Object p : parts) {
      out.add(p instanceof PlainHocon.Tree t ? t.config() : (Config) p);
    }
    return out;
  }

  /** Whether the layer was merged already (a file needed resolving, or a build merged it). */
  public boolean isMerged() {
    return merged != null && files.isEmpty();
  }

  /** The merged, resolved layer; an empty one when it cannot be resolved (best effort). */
  public Config merged() {
    Config m = merged;
    if (m == null) {
      List<Config> all = configs(files);
      m = merge(all.get(0), all.subList(1, all.size()));
      merged = m;
    }
    return m;
  }

  /** {@code keyFiles} over {@code confs}, resolved; empty when it cannot be resolved. */
  static Config merge(Config keyFiles, List<Config> confs) {
    Config out = keyFiles;
    for (Config c : confs) {
      out = out.withFallback(c);
    }
    try {
      return out.isResolved() ? out : out.resolve(); // the same object either way: no resolver
    } catch (ConfigException e) {
      return ConfigFactory.empty();
    }
  }

  /** Lookups of many paths by one caller ({@link Lookup}). */
  public Lookup lookup() {
    return new Lookup(files.isEmpty() ? List.of(merged()) : files);
  }

  /**
   * {@link #valueAt} for paths asked in a walk's order (the start tree's sealed leaves, 2,000 of
   * them at 10,000 leaves): the values the files have below the keys a path shares with the last
   * one are kept, so a path walks only its own keys, and nothing is allocated per path but the
   * merge of objects (issue 16: the lists and iterators of {@link #valueAt} were 10 ms, cold, on
   * a fast restart's path). A plain file's tree is walked in its own nodes, and only an object
   * found at a path is made Typesafe's (issue 16). Gives what {@link #valueAt} gives. One thread.
   */
  public static final class Lookup {
    // level[d][0, count[d]): the files' values below d keys, each a Typesafe value or a plain
    // tree's node; tree[d][i] the plain tree level[d][i] is of (null for a Typesafe value).
    private Object[][] level;
    private PlainHocon.Tree[][] tree;
    private int[] count;
    private String[] key; // key[d]: the key that made level[d + 1]
    private int valid; // levels 0..valid hold the last path's walk

    private Lookup(List<Object> layers) {
      int n = layers.size();
      level = new Object[8][];
      tree = new PlainHocon.Tree[8][];
      count = new int[8];
      key = new String[8];
      level[0] = new Object[n];
      tree[0] = new PlainHocon.Tree[n];
      for (int i = 0; i < n; i++) {
        Object f = layers.get(i);
        if (f instanceof PlainHocon.Tree t) {
          level[0][i] = t.root();
          tree[0][i] = t;
        } else {
          level[0][i] = ((Config) f).root();
        }
      }
      count[0] = n;
    }

    private static boolean isObject(Object v) {
      return v instanceof ConfigObject || PlainHocon.Tree.isObject(v);
    }

    /** The merged layer's value at {@code keys}, as {@link SecretFiles#valueAt} gives it. */
    public ConfigValue valueAt(List<String> keys) {
      int m = keys.size();
      if (m >= level.length) {
        int size = Math.max(m + 1, level.length * 2);
        level = java.util.Arrays.copyOf(level, size);
        tree = java.util.Arrays.copyOf(tree, size);
        count = java.util.Arrays.copyOf(count, size);
        key = java.util.Arrays.copyOf(key, size);
      }
      int d = 0;
      while (d < valid && d < m && (key[d] == keys.get(d) || key[d].equals(keys.get(d)))) {
        d++;
      }
      for (; d < m; d++) {
        valid = d; // until the next level is made
        Object[] here = level[d];
        PlainHocon.Tree[] hereTree = tree[d];
        int n = count[d];
        if (!isObject(here[0])) {
          return null; // a scalar, list or null hides every path below it
        }
        Object[] below = level[d + 1];
        PlainHocon.Tree[] belowTree = tree[d + 1];
        if (below == null || below.length < n) {
          below = new Object[level[0].length];
          belowTree = new PlainHocon.Tree[level[0].length];
          level[d + 1] = below;
          tree[d + 1] = belowTree;
        }
        String k = keys.get(d);
        int found = 0;
        for (int i = 0; i < n; i++) {
          Object h = here[i];
          Object c;
          if (h instanceof ConfigObject o) {
            c = o.get(k);
          } else if (PlainHocon.Tree.isObject(h)) {
            c = PlainHocon.Tree.field(h, k);
          } else {
            break; // an object over a non-object ignores it and everything lower
          }
          if (c != null) {
            below[found] = c;
            belowTree[found++] = hereTree[i];
          }
        }
        if (found == 0) {
          return null;
        }
        count[d + 1] = found;
        key[d] = k;
      }
      valid = m;
      Object[] here = level[m];
      PlainHocon.Tree[] hereTree = tree[m];
      ConfigValue out = typesafe(here[0], hereTree[0]);
      for (int i = 1; i < count[m] && out instanceof ConfigObject; i++) {
        out = out.withFallback(typesafe(here[i], hereTree[i]));
      }
      return out;
    }

    // v as Typesafe's value: a plain tree's object is made now, anything else is one already.
    private static ConfigValue typesafe(Object v, PlainHocon.Tree of) {
      return of != null ? of.value(v) : (ConfigValue) v;
    }
  }

  /**
   * The merged layer's value at {@code keys} (each a key, unquoted), or null when it has none:
   * the very value object of the file that wins for a scalar or a list, the merge of the files'
   * objects for an object. The plain statement of what {@link Lookup} gives, which the
   * differential tests compare it with; qcfg itself looks up through {@link #lookup()}.
   */
  public ConfigValue valueAt(List<String> keys) {
    List<Config> layers = files.isEmpty() ? List.of(merged()) : configs(files);
    // The values the files have at the path walked so far, highest first, cut as the merge
    // cuts them: below a value that is not an object nothing lower counts.
    List<ConfigValue> here = new ArrayList<>(layers.size());
    for (Config f : layers) {
      here.add(f.root());
    }
    for (String k : keys) {
      if (!(here.get(0) instanceof ConfigObject)) {
        return null; // a scalar, list or null hides every path below it
      }
      List<ConfigValue> below = new ArrayList<>(here.size());
      for (ConfigValue v : here) {
        if (!(v instanceof ConfigObject o)) {
          break; // an object over a non-object ignores it and everything lower
        }
        ConfigValue c = o.get(k);
        if (c != null) {
          below.add(c);
        }
      }
      if (below.isEmpty()) {
        return null;
      }
      here = below;
    }
    ConfigValue out = here.get(0);
    for (int i = 1; i < here.size() && out instanceof ConfigObject; i++) {
      out = out.withFallback(here.get(i));
    }
    return out;
  }
}
