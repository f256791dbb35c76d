package io.qcfg.internal.snapshot;

import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.qcfg.Problem;
import io.qcfg.internal.crypto.ChecksumKey;
import io.qcfg.internal.crypto.SecretPaths;
import io.qcfg.internal.text.Sha256;
import io.qcfg.internal.tree.ConfigPaths;
import io.qcfg.internal.tree.Leaves;
import java.util.ArrayList;
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
  private final IndexOutput found;
  private LeafTable table;
  private final SecretPaths.Walk segs;
  private final HashMap<String, String[]> keyTexts = new HashMap<>();
  private final StringBuilder canonical;
  private Object jsonRoot;
  private String text; // the canonical text, once walked
  private String checksum;
  private IndexMemo memo;
  private IndexNode lastNode; // the node object() made or reused last
  private Leaf lastLeaf; // the leaf walk() put last
  private long reusedNodes; // objects taken from the memo
  // Where the canonical text holds a sealable secret (start, end pairs), for sealedJson().
  private int[] sealAt = new int[16];
  private int sealCount;
  private final List<String> holdingSecrets = new ArrayList<>(); // see leavesHoldingSecrets()

  private TreeIndex(SecretPaths secrets, ChecksumKey key, boolean json, Map<String, Leaf> previous,
      int textLength) {
    this.secrets = secrets;
    this.segs = secrets.walk();
    this.key = key;
    this.json = json;
    this.previous = previous;
    // Sized as last time: a reload's tree is mostly the last one (no regrowing).
    this.found = new IndexOutput(previous == null ? 16 : previous.size());
    this.canonical = new StringBuilder(Math.max(4096, textLength + textLength / 8));
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
      boolean withJson, Map<String, Leaf> previous, IndexMemo memo, Object secretRule) {
    TreeIndex index = new TreeIndex(secrets, key, withJson, previous,
        memo == null ? 0 : memo.root.canonical().length());
    IndexNode prev = memo != null && memo.fits(key, withJson, secretRule) ? memo.root : null;
    index.jsonRoot = index.walk(root, "", true, prev);
    index.table = index.found.leaves.build(previous);
    String text = index.canonical.toString();
    index.text = text;
    index.checksum = Sha256.hex(text);
    IndexNode top = index.lastNode; // null for an empty tree: nothing to remember
    index.memo = top == null ? null
        : new IndexMemo(top.canonical() != null ? top : top.withCanonical(text), key, withJson,
            secretRule);
    return index;
  }

  /** Objects of the tree whose index came from the memo (for tests and benchmarks). */
  public long reusedSubtrees() {
    return reusedNodes;
  }

  /** For the next walk of a tree that shares subtrees with this one. */
  public IndexMemo memo() {
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
    return found.secretLeaves;
  }

  /** The plain values of secret leaves (and of the elements of secret lists). */
  public List<String> secretValues() {
    return found.secretValues;
  }

  /** QCFG-1206 for every number beyond a double. */
  public List<Problem> nonFinite() {
    return found.nonFinite;
  }

  /** The tree as an org.json object; null unless asked for. */
  public JSONObject json() {
    return (JSONObject) jsonRoot;
  }

  public String checksum() {
    return checksum;
  }

  /**
   * The tree as {@link ConfigSnapshot#sealedJson()} renders it when the sealed tree is this very
   * tree and nothing in it is encrypted: the canonical text with every plaintext secret leaf
   * replaced by {@link ConfigSnapshot#SEALED} where {@link Canonical#sealed} replaces it, which
   * is where the checksum keys it. Null when subtrees came from the memo (their secrets' places
   * are not known here): the snapshot renders it then.
   */
  public String sealedJson() {
    if (reusedNodes > 0) {
      return null;
    }
    if (sealCount == 0) {
      return text;
    }
    String sealed = TreeValues.jsonString(ConfigSnapshot.SEALED);
    StringBuilder out = new StringBuilder(text.length() + sealCount * sealed.length());
    int from = 0;
    for (int i = 0; i < sealCount; i += 2) {
      out.append(text, from, sealAt[i]).append(sealed);
      from = sealAt[i + 1];
    }
    return out.append(text, from, text.length()).toString();
  }

  /**
   * The leaves that are no secret but hold one: lists with a secret inside ({@code servers}, for
   * {@code servers.0.password}), which {@link Canonical#holdsSecret} finds by asking the
   * snapshot's rule of every path inside them. Null when subtrees came from the memo.
   */
  public java.util.Set<String> leavesHoldingSecrets() {
    return reusedNodes > 0 ? null : java.util.Set.copyOf(holdingSecrets);
  }

  private void sealedBetween(int start, int end) {
    if (sealCount + 2 > sealAt.length) {
      sealAt = java.util.Arrays.copyOf(sealAt, sealAt.length * 2);
    }
    sealAt[sealCount++] = start;
    sealAt[sealCount++] = end;
  }

  /** Appends the canonical text of {@code v} and returns its JSON form (null if not wanted). */
  private Object walk(ConfigValue v, String path, boolean isLeafLevel, IndexNode prev) {
    ConfigValueType type = v.valueType();
    if (type == ConfigValueType.OBJECT && !((ConfigObject) v).isEmpty()) {
      return object((ConfigObject) v, path, isLeafLevel, prev);
    }
    boolean secret = !path.isEmpty() && segs.isSecret();
    if (isLeafLevel && !path.isEmpty()) {
      Leaf old = previous == null ? null : previous.get(path);
      lastLeaf = old != null && old.value().equals(v) ? old.carried(v) : new Leaf(v);
      found.leaf(path, lastLeaf, secret);
    }
    if (type == ConfigValueType.OBJECT) { // empty: never sealed, as Canonical never sealed it
      canonical.append("{}");
      return json ? new JSONObject() : null;
    }
    if (secret) {
      found.rememberSecret(v);
      int at = canonical.length();
      key.appendSealedJson(canonical, path, v.render(CONCISE));
      sealedBetween(at, canonical.length());
      found.checkFinite(v, path);
      return json ? TreeValues.plainJson(v) : null;
    }
    if (type == ConfigValueType.LIST) {
      ConfigList list = (ConfigList) v;
      JSONArray out = json ? new JSONArray() : null;
      int sealsBefore = sealCount;
      canonical.append('[');
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          canonical.append(',');
        }
        String index = Integer.toString(i);
        segs.push(index);
        Object item = walk(list.get(i), path + "." + index, false, null);
        segs.pop();
        if (out != null) {
          out.put(item);
        }
      }
      canonical.append(']');
      if (isLeafLevel && sealCount > sealsBefore) {
        holdingSecrets.add(path); // a leaf that is no secret, with one inside
      }
      return out;
    }
    TreeValues.appendScalar(canonical, v);
    found.checkFinite(v, path);
    return json ? TreeValues.scalarJson(v) : null;
  }

  /**
   * A key's JSON text (canonical form) and path segment, once per distinct key of the walk: the
   * same names recur in every section, and both renderings scan the key character by character.
   */
  private String[] keyTexts(String k) {
    String[] shown = keyTexts.get(k);
    if (shown == null) {
      shown = new String[] {TreeValues.jsonString(k), ConfigPaths.quote(k)};
      keyTexts.put(k, shown);
    }
    return shown;
  }

  private Object object(ConfigObject obj, String path, boolean isLeafLevel, IndexNode prev) {
    if (prev != null && prev.value() == obj) {
      canonical.append(prev.canonical());
      found.replay(prev);
      reusedNodes++;
      lastNode = prev;
      return prev.json();
    }
    String[] keys = obj.keySet().toArray(new String[0]);
    TreeValues.sortForRender(keys);
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
      String[] shown = keyTexts(k);
      canonical.append(shown[0]).append(':');
      String child = path.isEmpty() ? shown[1] : path + "." + shown[1];
      segs.push(k);
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
        int secretsBefore = found.secretLeaves.size();
        long mark = found.mark();
        value = walk(cv, child, true, null);
        items[i] = found.entry(child, lastLeaf, found.secretLeaves.size() > secretsBefore, mark);
      }
      segs.pop();
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
}
