package io.qcfg.internal.snapshot;

import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import com.typesafe.config.impl.ConfigImplUtil;
import io.qcfg.Problem;
import io.qcfg.internal.crypto.ChecksumKey;
import io.qcfg.internal.crypto.SecretPaths;
import io.qcfg.internal.text.Sha256;
import io.qcfg.internal.tree.ConfigPaths;
import io.qcfg.internal.tree.Leaves;
import io.qcfg.internal.tree.Origins;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.json.JSONArray;
import org.json.JSONObject;

/**
 * One walk over a resolved tree that yields everything a build needs from it: the leaves (for
 * lookups and {@link ConfigSnapshot#paths()}), the secret leaves and their values (for the
 * redactor), the checksum over the canonical form with secrets keyed ({@link
 * Canonical#checksum(ConfigObject, java.util.function.Predicate, ChecksumKey)} gives the same
 * value), numbers beyond a double (QCFG-1206), and, when a schema needs it, the tree as org.json
 * values for everit. Before, each of these was its own walk with its own path strings.
 *
 * <p>The canonical text is Typesafe's concise JSON rendering, written here directly: keys in
 * Typesafe's render order, leaves rendered by Typesafe. A differential test keeps the two equal.
 */
public final class TreeIndex {
  private static final ConfigRenderOptions CONCISE = ConfigRenderOptions.concise();

  private final SecretPaths secrets;
  private final ChecksumKey key;
  private final boolean json;
  private final Map<String, Leaf> previous;
  private final LeafTable.Builder leaves;
  private LeafTable table;
  private final List<String> secretLeaves = new ArrayList<>();
  private final List<String> secretValues = new ArrayList<>();
  private final List<Problem> nonFinite = new ArrayList<>();
  private final ArrayList<String> segs = new ArrayList<>();
  private final StringBuilder canonical;
  private Object jsonRoot;
  private String checksum;
  private Memo memo;
  private IndexNode lastNode; // the node object() made or reused last
  private Leaf lastLeaf; // the leaf walk() put last
  private long reusedNodes; // objects taken from the memo

  private TreeIndex(SecretPaths secrets, ChecksumKey key, boolean json, Map<String, Leaf> previous,
      int textLength) {
    this.secrets = secrets;
    this.key = key;
    this.json = json;
    this.previous = previous;
    // Sized as last time: a reload's tree is mostly the last one (no regrowing).
    this.leaves = new LeafTable.Builder(previous == null ? 16 : previous.size());
    this.canonical = new StringBuilder(Math.max(4096, textLength + textLength / 8));
  }

  /**
   * What one walk leaves for the next: per object of the tree, its canonical text, org.json form
   * and leaves, under the object itself (by identity). A later walk that meets the same object at
   * the same place takes them instead of walking it again (issue 19 item 3): an unchanged subtree
   * keeps its identity through the layers' parse cache and the incremental merge. Valid only for
   * the same checksum key, the same secret rule (its inputs, compared by value) and the same
   * wish for org.json values.
   */
  public static final class Memo {
    private final IndexNode root;
    private final ChecksumKey key;
    private final boolean json;
    private final Object secretRule;

    private Memo(IndexNode root, ChecksumKey key, boolean json, Object secretRule) {
      this.root = root;
      this.key = key;
      this.json = json;
      this.secretRule = secretRule;
    }

    boolean fits(ChecksumKey otherKey, boolean otherJson, Object otherRule) {
      return key.sameKey(otherKey) && json == otherJson && secretRule.equals(otherRule);
    }
  }

  /**
   * Walks {@code root} once.
   *
   * @param secrets the secret rule before {@link SecretPaths#withLeaves} (for leaves it answers
   *     the same)
   * @param withJson whether to build the org.json tree for schema validation
   * @param previous the leaves of the last build, whose memoised conversions carry over to equal
   *     values; null for none
   */
  public static TreeIndex of(ConfigObject root, SecretPaths secrets, ChecksumKey key,
      boolean withJson, Map<String, Leaf> previous) {
    return of(root, secrets, key, withJson, previous, null, List.of());
  }

  /**
   * Walks {@code root} once, taking unchanged subtrees from {@code memo}.
   *
   * @param memo the last walk's {@link #memo()}, or null
   * @param secretRule the inputs {@code secrets} was made from, compared by value with the
   *     memo's: when they differ nothing is reused
   */
  public static TreeIndex of(ConfigObject root, SecretPaths secrets, ChecksumKey key,
      boolean withJson, Map<String, Leaf> previous, Memo memo, Object secretRule) {
    TreeIndex index = new TreeIndex(secrets, key, withJson, previous,
        memo == null ? 0 : memo.root.canonical().length());
    IndexNode prev = memo != null && memo.fits(key, withJson, secretRule) ? memo.root : null;
    index.jsonRoot = index.walk(root, "", true, prev);
    index.table = index.leaves.build(previous);
    String text = index.canonical.toString();
    index.checksum = Sha256.hex(text);
    IndexNode top = index.lastNode; // null for an empty tree: nothing to remember
    index.memo = top == null ? null
        : new Memo(top.canonical() != null ? top : top.withCanonical(text), key, withJson,
            secretRule);
    return index;
  }

  /** Objects of the tree whose index came from the memo (for tests and benchmarks). */
  public long reusedSubtrees() {
    return reusedNodes;
  }

  /** For the next walk of a tree that shares subtrees with this one. */
  public Memo memo() {
    return memo;
  }

  /**
   * Leaf path (as {@link Leaves#collectLeaves} names it) to its value; shares the path index of
   * {@code previous} when the leaf paths did not change.
   */
  public LeafTable leaves() {
    return table;
  }

  /** Leaf paths that are secret. */
  public List<String> secretLeaves() {
    return secretLeaves;
  }

  /** The plain values of secret leaves (and of the elements of secret lists). */
  public List<String> secretValues() {
    return secretValues;
  }

  /** QCFG-1206 for every number beyond a double. */
  public List<Problem> nonFinite() {
    return nonFinite;
  }

  /** The tree as an org.json object; null unless asked for. */
  public JSONObject json() {
    return (JSONObject) jsonRoot;
  }

  public String checksum() {
    return checksum;
  }

  /** Appends the canonical text of {@code v} and returns its JSON form (null if not wanted). */
  private Object walk(ConfigValue v, String path, boolean isLeafLevel, IndexNode prev) {
    ConfigValueType type = v.valueType();
    if (type == ConfigValueType.OBJECT && !((ConfigObject) v).isEmpty()) {
      return object((ConfigObject) v, path, isLeafLevel, prev);
    }
    boolean secret = !path.isEmpty() && secrets.isSecret(segs);
    if (isLeafLevel && !path.isEmpty()) {
      Leaf old = previous == null ? null : previous.get(path);
      lastLeaf = old != null && old.value().equals(v) ? old.carried(v) : new Leaf(v);
      leaves.add(path, lastLeaf);
      if (secret) {
        secretLeaves.add(path);
      }
    }
    if (type == ConfigValueType.OBJECT) { // empty: never sealed, as Canonical never sealed it
      canonical.append("{}");
      return json ? new JSONObject() : null;
    }
    if (secret) {
      remember(v);
      canonical.append(ConfigImplUtil.renderJsonString(key.seal(path, v.render(CONCISE))));
      checkFinite(v, path);
      return json ? TreeValues.plainJson(v) : null;
    }
    if (type == ConfigValueType.LIST) {
      ConfigList list = (ConfigList) v;
      JSONArray out = json ? new JSONArray() : null;
      canonical.append('[');
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          canonical.append(',');
        }
        String index = Integer.toString(i);
        segs.add(index);
        Object item = walk(list.get(i), path + "." + index, false, null);
        segs.remove(segs.size() - 1);
        if (out != null) {
          out.put(item);
        }
      }
      canonical.append(']');
      return out;
    }
    appendScalar(v);
    checkFinite(v, path);
    return json ? TreeValues.scalarJson(v) : null;
  }

  private Object object(ConfigObject obj, String path, boolean isLeafLevel, IndexNode prev) {
    if (prev != null && prev.value() == obj) {
      canonical.append(prev.canonical());
      replay(prev);
      reusedNodes++;
      lastNode = prev;
      return prev.json();
    }
    String[] keys = obj.keySet().toArray(new String[0]);
    Arrays.sort(keys, TreeValues.RENDER_ORDER);
    JSONObject out = json ? new JSONObject() : null;
    Object[] items = isLeafLevel ? new Object[keys.length] : null;
    Map<String, IndexNode> children = null;
    int start = canonical.length();
    canonical.append('{');
    for (int i = 0; i < keys.length; i++) {
      String k = keys[i];
      if (i > 0) {
        canonical.append(',');
      }
      canonical.append(ConfigImplUtil.renderJsonString(k)).append(':');
      String child = path.isEmpty() ? ConfigPaths.quote(k) : path + "." + ConfigPaths.quote(k);
      segs.add(k);
      ConfigValue cv = obj.get(k);
      Object value;
      if (!isLeafLevel) {
        value = walk(cv, child, false, null);
      } else if (cv.valueType() == ConfigValueType.OBJECT && !((ConfigObject) cv).isEmpty()) {
        value = walk(cv, child, true, prev == null ? null : prev.child(k));
        items[i] = lastNode;
        if (children == null) {
          children = new HashMap<>();
        }
        children.put(k, lastNode);
      } else {
        int secretsBefore = secretLeaves.size();
        int valuesBefore = secretValues.size();
        int problemsBefore = nonFinite.size();
        value = walk(cv, child, true, null);
        items[i] = new IndexNode.LeafEntry(child, lastLeaf, secretLeaves.size() > secretsBefore,
            tail(secretValues, valuesBefore), tail(nonFinite, problemsBefore));
      }
      segs.remove(segs.size() - 1);
      if (out != null) {
        out.put(k, value);
      }
    }
    canonical.append('}');
    if (isLeafLevel) {
      // The root's text is the whole canonical text, taken once at the end.
      lastNode = new IndexNode(obj, path.isEmpty() ? null : canonical.substring(start), out,
          items, children);
    }
    return out;
  }

  private static <T> List<T> tail(List<T> list, int from) {
    return list.size() == from ? null : List.copyOf(list.subList(from, list.size()));
  }

  /** Adds what a reused subtree holds, in the order a walk would add it. */
  private void replay(IndexNode node) {
    for (Object item : node.items()) {
      if (item instanceof IndexNode child) {
        replay(child);
      } else {
        IndexNode.LeafEntry e = (IndexNode.LeafEntry) item;
        leaves.add(e.path(), e.leaf());
        if (e.secret()) {
          secretLeaves.add(e.path());
        }
        if (e.secretValues() != null) {
          secretValues.addAll(e.secretValues());
        }
        if (e.nonFinite() != null) {
          nonFinite.addAll(e.nonFinite());
        }
      }
    }
  }

  /** What Typesafe's concise rendering writes for a scalar, without its StringBuilder. */
  private void appendScalar(ConfigValue v) {
    switch (v.valueType()) {
      case STRING -> canonical.append(ConfigImplUtil.renderJsonString((String) v.unwrapped()));
      case NULL -> canonical.append("null");
      default -> canonical.append(v.unwrapped()); // numbers and booleans: unwrapped().toString()
    }
  }

  private void remember(ConfigValue v) {
    if (v instanceof ConfigObject o) {
      for (String k : o.keySet()) { // not values(): Typesafe's is a set, equal values merge
        remember(o.get(k));
      }
    } else if (v instanceof ConfigList list) {
      for (ConfigValue c : list) {
        remember(c);
      }
    } else if (v.valueType() != ConfigValueType.NULL) {
      secretValues.add(String.valueOf(v.unwrapped()));
    }
  }

  private void checkFinite(ConfigValue v, String path) {
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
