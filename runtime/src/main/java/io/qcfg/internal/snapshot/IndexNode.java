package io.qcfg.internal.snapshot;

import com.typesafe.config.ConfigObject;
import io.qcfg.Problem;
import java.util.List;
import java.util.Map;
import org.json.JSONObject;

/**
 * What {@link TreeIndex} learnt about one object of a tree, kept for the next build: its canonical
 * text, its org.json form (shared, never changed: everit only reads it), and its members in walk
 * order, each a leaf entry or the node of an object below. Immutable.
 *
 * @param value the object, compared by identity
 * @param canonical its canonical text (for the root: the whole text)
 * @param json its org.json form, null when none was built
 * @param items per key in render order: a {@link LeafEntry} or an {@code IndexNode}
 * @param children the nodes of the objects below, by key; null when there are none
 */
record IndexNode(ConfigObject value, String canonical, JSONObject json, Object[] items,
    Map<String, IndexNode> children) {

  /** A leaf as a walk records it: path, leaf, secret or not, and what it added to the lists. */
  record LeafEntry(String path, Leaf leaf, boolean secret, List<String> secretValues,
      List<Problem> nonFinite) {}

  IndexNode child(String key) {
    return children == null ? null : children.get(key);
  }

  IndexNode withCanonical(String text) {
    return new IndexNode(value, text, json, items, children);
  }
}
