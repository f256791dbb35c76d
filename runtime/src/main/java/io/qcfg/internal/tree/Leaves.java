package io.qcfg.internal.tree;

import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Walks over the leaves of a Typesafe tree in path order, naming each by its path text. Two
 * notions of a leaf: {@link #collectLeaves} stops at lists (what a snapshot, a diff and history
 * call a leaf), {@link #forEachLeaf} descends into them (what secret handling needs, since a list
 * element can hold a password).
 */
public final class Leaves {
  private Leaves() {}

  /** Calls {@code visit} for every leaf (scalars, nulls and lists are leaves), sorted by path. */
  public static void collectLeaves(
      ConfigObject obj, String prefix, BiConsumer<String, ConfigValue> visit) {
    for (String key : new TreeSet<>(obj.keySet())) {
      ConfigValue v = obj.get(key);
      String quoted = ConfigPaths.quote(key);
      String path = prefix.isEmpty() ? quoted : prefix + "." + quoted;
      if (v.valueType() == ConfigValueType.OBJECT) {
        ConfigObject child = (ConfigObject) v;
        if (child.isEmpty()) {
          visit.accept(path, v);
        } else {
          collectLeaves(child, path, visit);
        }
      } else {
        visit.accept(path, v);
      }
    }
  }

  /**
   * Calls {@code visitor} with the path and value of every scalar (string, number, boolean, null)
   * below {@code root}, descending into objects (keys sorted) and lists (by index).
   */
  public static void forEachLeaf(ConfigObject root, BiConsumer<String, ConfigValue> visitor) {
    visit("", root, visitor);
  }

  /**
   * Calls {@code visitor} with every scalar below {@code value} as {@link #forEachLeaf} finds them,
   * in no particular order and with no path: cheaper where the path does not matter (issue 16).
   */
  public static void forEachScalar(ConfigValue value, Consumer<ConfigValue> visitor) {
    if (value instanceof ConfigObject obj) {
      for (String key : obj.keySet()) { // not values(): Typesafe's makes a set, hashing each
        forEachScalar(obj.get(key), visitor);
      }
    } else if (value instanceof ConfigList list) {
      for (ConfigValue child : list) {
        forEachScalar(child, visitor);
      }
    } else {
      visitor.accept(value);
    }
  }

  private static void visit(
      String path, ConfigValue value, BiConsumer<String, ConfigValue> visitor) {
    if (value instanceof ConfigObject obj) {
      // Sorted keys, then get: new TreeMap<>(obj) would hash every value, a walk of the whole
      // subtree at each level (quadratic in depth, and as deep again on the stack).
      for (String key : new TreeSet<>(obj.keySet())) {
        visit(ConfigPaths.child(path, key), obj.get(key), visitor);
      }
    } else if (value instanceof ConfigList list) {
      for (int i = 0; i < list.size(); i++) {
        visit(path.isEmpty() ? Integer.toString(i) : path + "." + i, list.get(i), visitor);
      }
    } else {
      visitor.accept(path, value);
    }
  }
}
