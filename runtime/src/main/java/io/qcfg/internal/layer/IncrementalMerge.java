package io.qcfg.internal.layer;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import com.typesafe.config.impl.QcfgLayerFold;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The merge of the layers, redone only where an input changed (issue 19 item 3).
 *
 * <p>The inputs are a start (the defaults) and groups of parsed trees, lowest precedence first;
 * within a group a later tree wins too. The full merge is exactly what the stack always did:
 * {@code start}, then per group {@code group.withFallback(merged)}, where a group is its first
 * tree, then {@code tree.withFallback(group)} for each further one.
 *
 * <p>The incremental merge compares every input with the one at its place last time: the same
 * object (the parse cache hands it out for an unchanged file) is unchanged; otherwise the two
 * are compared by value and origin, and the topmost differing paths are collected. At each such
 * path the value is merged again from every input's value at that path, with the same folds, and
 * put into the last merged tree; every other subtree stays the same object. That is the full
 * merge's value because Typesafe merges objects key by key: the value at a path depends only on
 * the inputs' values at that path, as long as every input holds an object (or nothing) at every
 * path above it, and as long as no key was added or removed and no kind changed between object
 * and non-object (the origins of merged objects depend on that). So the full merge runs
 * instead when:
 *
 * <ul>
 *   <li>an input or the last merged tree holds a substitution ({@code ${x}}, {@code +=}, a
 *       concatenation): resolving can make any subtree depend on any other and on environment
 *       variables;
 *   <li>an input holds something other than an object above a changed path;
 *   <li>files were added or removed (the groups differ in shape), or more than {@link
 *       #MAX_CHANGES} paths changed (then the full merge is as cheap).
 * </ul>
 *
 * <p>Concurrency: one building thread at a time (the stack's).
 */
final class IncrementalMerge {
  static final int MAX_CHANGES = 256;
  private static final ConfigRenderOptions CONCISE = ConfigRenderOptions.concise();

  private Config lastStart;
  private List<List<Config>> lastGroups;
  private Config lastMerged;
  boolean lastWasIncremental; // read by tests

  /** The merged tree of {@code start} and {@code groups} (each non-empty). */
  synchronized Config merge(Config start, List<List<Config>> groups) {
    Config merged;
    try {
      merged = incremental(start, groups);
    } catch (com.typesafe.config.ConfigException.NotResolved e) {
      // An unchanged input (not diffed: the same object) holds an unresolved object above a
      // changed path ({@code a = ${x}} then {@code a.y = null} in one file): the full merge.
      merged = null;
    }
    lastWasIncremental = merged != null;
    if (merged == null) {
      merged = full(start, groups);
    }
    lastStart = start;
    lastGroups = groups;
    lastMerged = merged;
    return merged;
  }

  /**
   * The full merge. Resolved inputs (the common case) merge in one walk ({@link QcfgLayerFold}:
   * each object several layers hold is built once, not once per layer); otherwise, or if that
   * declines, Typesafe's fold. Both give the same tree, origins included.
   */
  static Config full(Config start, List<List<Config>> groups) {
    List<ConfigObject> topFirst = new ArrayList<>(groups.size() + 1);
    for (int g = groups.size() - 1; g >= 0; g--) {
      topFirst.add(fold(groups.get(g)).root());
    }
    topFirst.add(start.root());
    ConfigObject merged = foldOnce(topFirst);
    return merged != null ? merged.toConfig() : typesafeFold(start, groups);
  }

  // False once QcfgLayerFold could not link: qcfg-runtime used without the agent, on a class path
  // whose Typesafe Config is another version than the one qcfg is built against (the fold uses
  // that version's package-private merge rules). Typesafe's own fold then serves every build.
  private static volatile boolean foldLinks = true;

  static ConfigObject foldOnce(List<ConfigObject> topFirst) {
    if (!foldLinks) {
      return null;
    }
    try {
      return QcfgLayerFold.fold(topFirst);
    } catch (LinkageError e) {
      foldLinks = false;
      io.qcfg.internal.log.Log.debug("qcfg's one-walk merge does not link against this Typesafe"
          + " Config version; Typesafe's own merge is used");
      return null;
    }
  }

  /** Typesafe's fold, one {@code withFallback} per group: the reference {@link #full} equals. */
  static Config typesafeFold(Config start, List<List<Config>> groups) {
    Config merged = start;
    for (List<Config> group : groups) {
      merged = fold(group).withFallback(merged);
    }
    return merged;
  }

  /** One group: its first tree, then each further one over it. */
  static Config fold(List<Config> group) {
    Config g = group.get(0);
    for (int i = 1; i < group.size(); i++) {
      g = group.get(i).withFallback(g);
    }
    return g;
  }

  private Config incremental(Config start, List<List<Config>> groups) {
    if (lastMerged == null || !lastMerged.isResolved() || !sameShape(groups)) {
      return null;
    }
    List<List<String>> changed = new ArrayList<>();
    if (!diffInput(lastStart, start, changed)) {
      return null;
    }
    for (int g = 0; g < groups.size(); g++) {
      for (int i = 0; i < groups.get(g).size(); i++) {
        if (!diffInput(lastGroups.get(g).get(i), groups.get(g).get(i), changed)) {
          return null;
        }
      }
    }
    Config merged = lastMerged;
    for (List<String> path : topmost(changed)) {
      ConfigValue v = valueAt(start, path);
      if (v == ABOVE_NOT_OBJECT || holdsNull(v)) {
        return null;
      }
      for (List<Config> group : groups) {
        ConfigValue g = null;
        for (Config c : group) {
          ConfigValue x = valueAt(c, path);
          if (x == ABOVE_NOT_OBJECT || holdsNull(x)) {
            return null;
          }
          if (x != null) {
            g = g == null ? x : x.withFallback(g);
          }
        }
        if (g != null) {
          v = v == null ? g : g.withFallback(v);
        }
      }
      String expr = ConfigUtil.joinPath(path);
      merged = v == null ? merged.withoutPath(expr) : merged.withValue(expr, v);
    }
    return merged.isResolved() ? merged : null;
  }

  /**
   * A null at a changed path: the full merge. Typesafe keeps a null's own origin when objects are
   * merged key by key, but a null folded in by value here came out with the merged origin of its
   * parents (the property test found it: a problem named "merge of ..." instead of the file:line).
   */
  private static boolean holdsNull(ConfigValue v) {
    try {
      return holdsNullOrThrows(v);
    } catch (com.typesafe.config.ConfigException.NotResolved e) {
      // a substitution: the full merge decides. Also below the top: an unchanged input may hold
      // an unresolved object ({@code a = 1, a.y = ${b}}) that a higher layer hides.
      return true;
    }
  }

  private static boolean holdsNullOrThrows(ConfigValue v) {
    if (v == null) {
      return false;
    }
    ConfigValueType type = v.valueType();
    if (type == ConfigValueType.NULL) {
      return true;
    }
    if (v instanceof ConfigObject o) {
      for (ConfigValue c : o.values()) {
        if (holdsNullOrThrows(c)) {
          return true;
        }
      }
    } else if (v instanceof ConfigList l) {
      for (ConfigValue c : l) {
        if (holdsNullOrThrows(c)) {
          return true;
        }
      }
    }
    return false;
  }

  private boolean sameShape(List<List<Config>> groups) {
    if (lastGroups == null || lastGroups.size() != groups.size()) {
      return false;
    }
    for (int g = 0; g < groups.size(); g++) {
      if (lastGroups.get(g).size() != groups.get(g).size()) {
        return false;
      }
    }
    return true;
  }

  /** Adds the topmost paths where {@code now} differs from {@code before}; false: go full. */
  private static boolean diffInput(Config before, Config now, List<List<String>> out) {
    if (before == now) {
      return true;
    }
    if (!now.isResolved() || !before.isResolved()) {
      return false;
    }
    return diff(before.root(), now.root(), new ArrayList<>(), out);
  }

  private static boolean diff(
      ConfigObject before, ConfigObject now, List<String> path, List<List<String>> out) {
    Set<String> keys = new HashSet<>(before.keySet());
    keys.addAll(now.keySet());
    for (String k : keys) {
      ConfigValue b = before.get(k);
      ConfigValue n = now.get(k);
      if (b == n) {
        continue;
      }
      if (b == null || n == null || b instanceof ConfigObject != n instanceof ConfigObject) {
        return false; // a key added or removed, or a kind changed: see sameShape
      }
      path.add(k);
      if (b instanceof ConfigObject bo && n instanceof ConfigObject no
          && Objects.equals(b.origin(), n.origin())) {
        if (!diff(bo, no, path, out)) {
          return false;
        }
      } else if (!same(b, n)) {
        if (!sameShape(b, n)) {
          return false;
        }
        out.add(List.copyOf(path));
        if (out.size() > MAX_CHANGES) {
          return false;
        }
      }
      path.remove(path.size() - 1);
    }
    return true;
  }

  /**
   * Whether two values have the same keys and kinds (object or not) all the way down. Only then is
   * a merge at the changed paths below enough: the full merge gives an object its own origin or a
   * "merge of ..." one by whether a lower layer brings a key or a child object merged, so a key
   * added, removed or turned into an object (or out of one) can change the origin of every object
   * above it, which a merge at the path alone leaves as it was (found by
   * IncrementalBuildPropertiesTest with files written in blocks).
   */
  private static boolean sameShape(ConfigValue a, ConfigValue b) {
    boolean objectA = a instanceof ConfigObject;
    if (objectA != b instanceof ConfigObject) {
      return false;
    }
    if (!objectA || a == b) {
      return true;
    }
    ConfigObject ao = (ConfigObject) a;
    ConfigObject bo = (ConfigObject) b;
    if (ao.size() != bo.size()) {
      return false;
    }
    for (String k : ao.keySet()) {
      ConfigValue bv = bo.get(k);
      if (bv == null || !sameShape(ao.get(k), bv)) {
        return false;
      }
    }
    return true;
  }

  /** Equal as a build sees them: value, kind, number text and every origin. Resolved values. */
  static boolean same(ConfigValue a, ConfigValue b) {
    if (a == b) {
      return true;
    }
    if (a.valueType() != b.valueType() || !Objects.equals(a.origin(), b.origin())) {
      return false;
    }
    if (a instanceof ConfigObject ao) {
      ConfigObject bo = (ConfigObject) b;
      if (!ao.keySet().equals(bo.keySet())) {
        return false;
      }
      for (String k : ao.keySet()) {
        if (!same(ao.get(k), bo.get(k))) {
          return false;
        }
      }
      return true;
    }
    if (a instanceof ConfigList al) {
      ConfigList bl = (ConfigList) b;
      if (al.size() != bl.size()) {
        return false;
      }
      for (int i = 0; i < al.size(); i++) {
        if (!same(al.get(i), bl.get(i))) {
          return false;
        }
      }
      return true;
    }
    if (a.valueType() == ConfigValueType.NUMBER) {
      // 1 and 1.0, or 10 and 1e1, are equal numbers but not the same leaf
      return a.getClass() == b.getClass() && a.render(CONCISE).equals(b.render(CONCISE))
          && a.unwrapped().equals(b.unwrapped());
    }
    return a.getClass() == b.getClass() && Objects.equals(a.unwrapped(), b.unwrapped());
  }

  /** Drops every path that lies below another one of the list. */
  private static List<List<String>> topmost(List<List<String>> paths) {
    Set<List<String>> all = new HashSet<>(paths);
    List<List<String>> out = new ArrayList<>();
    for (List<String> p : all) {
      boolean below = false;
      for (int n = 1; n < p.size() && !below; n++) {
        below = all.contains(p.subList(0, n));
      }
      if (!below) {
        out.add(p);
      }
    }
    return out;
  }

  private static final ConfigValue ABOVE_NOT_OBJECT =
      com.typesafe.config.ConfigValueFactory.fromAnyRef("above, not an object");

  /**
   * The value at {@code path}; null if absent; ABOVE_NOT_OBJECT if a non-object is above it, or an
   * object that hides the layers below ({@code a = 1} then {@code a.x = 2} in one file: Typesafe
   * merges nothing under it, which a merge at the path alone would not know).
   */
  private static ConfigValue valueAt(Config c, List<String> path) {
    ConfigObject o = c.root();
    for (int i = 0; i < path.size() - 1; i++) {
      ConfigValue v = o.get(path.get(i));
      if (v == null) {
        return null;
      }
      if (!(v instanceof ConfigObject child) || QcfgLayerFold.ignoresFallbacks(child)) {
        return ABOVE_NOT_OBJECT;
      }
      o = child;
    }
    return o.get(path.get(path.size() - 1));
  }
}
