package io.qcfg.internal.snapshot;

import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.qcfg.Problem;
import io.qcfg.internal.tree.ConfigPaths;
import io.qcfg.internal.tree.Origins;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What {@link TreeIndex}'s walk collects besides the canonical text: the leaves, the secret leaves
 * and their plain values, and QCFG-1206 for numbers beyond a double, each in walk order, from a
 * walked leaf or replayed from a kept {@link IndexNode}.
 */
final class IndexOutput {
  final LeafTable.Builder leaves;
  final List<String> secretLeaves = new ArrayList<>();
  final List<String> secretValues = new ArrayList<>();
  final List<Problem> nonFinite = new ArrayList<>();

  IndexOutput(int expectedLeaves) {
    this.leaves = new LeafTable.Builder(expectedLeaves);
  }

  void leaf(String path, Leaf leaf, boolean secret) {
    leaves.add(path, leaf);
    if (secret) {
      secretLeaves.add(path);
    }
  }

  /** Where the lists stand, to record what one leaf adds ({@link #entry}). */
  long mark() {
    return ((long) secretValues.size() << 32) | nonFinite.size();
  }

  /** The entry of a leaf just walked: what it added to the lists since {@code mark}. */
  IndexNode.LeafEntry entry(String path, Leaf leaf, boolean secret, long mark) {
    return new IndexNode.LeafEntry(path, leaf, secret, tail(secretValues, (int) (mark >>> 32)),
        tail(nonFinite, (int) mark));
  }

  private static <T> List<T> tail(List<T> list, int from) {
    return list.size() == from ? null : List.copyOf(list.subList(from, list.size()));
  }

  /** Adds what a reused subtree holds, in the order a walk would add it. */
  void replay(IndexNode node) {
    for (Object item : node.items()) {
      if (item instanceof IndexNode child) {
        replay(child);
      } else {
        IndexNode.LeafEntry e = (IndexNode.LeafEntry) item;
        leaf(e.path(), e.leaf(), e.secret());
        if (e.secretValues() != null) {
          secretValues.addAll(e.secretValues());
        }
        if (e.nonFinite() != null) {
          nonFinite.addAll(e.nonFinite());
        }
      }
    }
  }

  /** Keeps the plain values of a secret value (for the redactor). */
  void rememberSecret(ConfigValue v) {
    if (v instanceof ConfigObject o) {
      for (String k : o.keySet()) { // not values(): Typesafe's is a set, equal values merge
        rememberSecret(o.get(k));
      }
    } else if (v instanceof ConfigList list) {
      for (ConfigValue c : list) {
        rememberSecret(c);
      }
    } else if (v.valueType() != ConfigValueType.NULL) {
      secretValues.add(String.valueOf(v.unwrapped()));
    }
  }

  /** QCFG-1206 for every number in {@code v} too large for a double (it would be infinity). */
  void checkFinite(ConfigValue v, String path) {
    if (v.valueType() == ConfigValueType.NUMBER && v.unwrapped() instanceof Double d
        && !Double.isFinite(d)) {
      nonFinite.add(new Problem("QCFG-1206", Origins.location(v.origin()), path,
          "a number too large for a double (beyond ±1.7976931348623157e308); quote it if it is"
              + " text"));
    }
    if (v.valueType() == ConfigValueType.LIST) {
      int i = 0;
      for (ConfigValue c : (ConfigList) v) {
        checkFinite(c, path + "." + i++);
      }
    } else if (v instanceof ConfigObject o) {
      for (Map.Entry<String, ConfigValue> e : o.entrySet()) {
        checkFinite(e.getValue(), path + "." + ConfigPaths.quote(e.getKey()));
      }
    }
  }
}
