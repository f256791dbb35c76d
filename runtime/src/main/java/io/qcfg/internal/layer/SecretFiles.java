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
 * When a file is not resolved (a substitution), the layer is merged and resolved at once and the
 * lookups read that.
 *
 * <p>Concurrency: immutable but for the merged layer, made at most once per thread that asks
 * first (each makes the same tree); safe to share.
 */
public final class SecretFiles {
  private final List<Config> files; // highest precedence first, every one resolved
  private volatile Config merged;

  private SecretFiles(List<Config> files, Config merged) {
    this.files = files;
    this.merged = merged;
  }

  /** A layer read merged already (by a build's pipeline). */
  public static SecretFiles of(Config merged) {
    return new SecretFiles(List.of(), merged);
  }

  /** The layer of {@code keyFiles} over {@code confs} (in the layer's order, later lower). */
  static SecretFiles of(Config keyFiles, List<Config> confs) {
    List<Config> files = new ArrayList<>(confs.size() + 1);
    files.add(keyFiles);
    files.addAll(confs);
    for (Config c : files) {
      if (!c.isResolved()) {
        return new SecretFiles(List.of(), merge(keyFiles, confs));
      }
    }
    return new SecretFiles(List.copyOf(files), null);
  }

  /** Whether the layer was merged already (a file needed resolving, or a build merged it). */
  public boolean isMerged() {
    return merged != null && files.isEmpty();
  }

  /** The merged, resolved layer; an empty one when it cannot be resolved (best effort). */
  public Config merged() {
    Config m = merged;
    if (m == null) {
      m = merge(files.get(0), files.subList(1, files.size()));
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
   * a fast restart's path). Gives what {@link #valueAt} gives. One thread.
   */
  public static final class Lookup {
    private ConfigValue[][] level; // level[d][0, count[d]): the files' values below d keys
    private int[] count;
    private String[] key; // key[d]: the key that made level[d + 1]
    private int valid; // levels 0..valid hold the last path's walk

    private Lookup(List<Config> layers) {
      int n = layers.size();
      level = new ConfigValue[8][];
      count = new int[8];
      key = new String[8];
      level[0] = new ConfigValue[n];
      for (int i = 0; i < n; i++) {
        level[0][i] = layers.get(i).root();
      }
      count[0] = n;
    }

    /** The merged layer's value at {@code keys}, as {@link SecretFiles#valueAt} gives it. */
    public ConfigValue valueAt(List<String> keys) {
      int m = keys.size();
      if (m >= level.length) {
        int size = Math.max(m + 1, level.length * 2);
        level = java.util.Arrays.copyOf(level, size);
        count = java.util.Arrays.copyOf(count, size);
        key = java.util.Arrays.copyOf(key, size);
      }
      int d = 0;
      while (d < valid && d < m && (key[d] == keys.get(d) || key[d].equals(keys.get(d)))) {
        d++;
      }
      for (; d < m; d++) {
        valid = d; // until the next level is made
        ConfigValue[] here = level[d];
        int n = count[d];
        if (!(here[0] instanceof ConfigObject)) {
          return null; // a scalar, list or null hides every path below it
        }
        ConfigValue[] below = level[d + 1];
        if (below == null || below.length < n) {
          below = new ConfigValue[level[0].length];
          level[d + 1] = below;
        }
        String k = keys.get(d);
        int found = 0;
        for (int i = 0; i < n; i++) {
          if (!(here[i] instanceof ConfigObject o)) {
            break; // an object over a non-object ignores it and everything lower
          }
          ConfigValue c = o.get(k);
          if (c != null) {
            below[found++] = c;
          }
        }
        if (found == 0) {
          return null;
        }
        count[d + 1] = found;
        key[d] = k;
      }
      valid = m;
      ConfigValue[] here = level[m];
      ConfigValue out = here[0];
      for (int i = 1; i < count[m] && out instanceof ConfigObject; i++) {
        out = out.withFallback(here[i]);
      }
      return out;
    }
  }

  /**
   * The merged layer's value at {@code keys} (each a key, unquoted), or null when it has none:
   * the very value object of the file that wins for a scalar or a list, the merge of the files'
   * objects for an object.
   */
  public ConfigValue valueAt(List<String> keys) {
    List<Config> layers = files.isEmpty() ? List.of(merged()) : files;
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
