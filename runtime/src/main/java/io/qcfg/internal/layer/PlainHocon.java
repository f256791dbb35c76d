package io.qcfg.internal.layer;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigOriginFactory;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.impl.QcfgPlainValues;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the plain subset of HOCON that secret files are written in, without Typesafe's parser,
 * whose cold first parse was the longest step of a fast restart's critical path (issue 16). It
 * gives the tree Typesafe's parse gives: the same keys, value classes, values and origins (file,
 * lines, comments), objects included, because it merges the objects as the parser does (the
 * later setting over the earlier, as {@code withFallback}), in place.
 *
 * <p>Line by line, it takes only: blank lines; {@code #} and {@code //} comments on lines of their
 * own; {@code path = value} or {@code path : value}; {@code path {} opening a block and {@code }}
 * closing it, each on its own line, or a block on one line with settings separated by commas
 * ({@code s { port = 80, host = "h" }}). A path is dot-separated segments of ASCII letters, digits,
 * {@code _} and {@code -} (beginning with a letter or {@code _}; no keyword). A value is a quoted
 * string with no escape and no control character, {@code true}, {@code false}, {@code null}, a
 * decimal integer in canonical form, an integer followed by a unit ({@code 33s}), or a one-line
 * list of those. Anything else DECLINES ({@code null}): includes, substitutions, {@code +=},
 * triple quotes, escapes, doubles, unquoted words, objects as values ({@code a = { b = 1 }}),
 * nested lists, a block on one line holding a block or a comment, commas ending lines, trailing
 * comments, an object set over a value, {@code \r}, a byte-order mark, nesting deeper than the
 * limit. The caller then parses with Typesafe: declining is always allowed, a different answer
 * never ({@code PlainHoconDifferentialTest}).
 */
public final class PlainHocon {
  private static final class Declined extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Declined() {
      super(null, null, false, false);
    }
  }

  private static final Declined DECLINED = new Declined();

  /**
   * An object of the tree, mutable while the text is read: its fields (Node or ConfigValue) and
   * its origin, both as Typesafe's parser would have them at this point. The origin is kept as
   * its parts (lines and comments; the file is the same for all) and made once, at the end: a
   * Typesafe merge of two origins per merge of objects cost most of a cold parse (issue 16).
   */
  private static final class Node {
    final Map<String, Object> fields = new HashMap<>();
    int first; // the lines the origin spans
    int last;
    List<String> comments; // null or not empty

    Node(int first, int last, List<String> comments) {
      this.first = first;
      this.last = last;
      this.comments = comments;
    }
  }

  /**
   * An open block: its object, its depth in path segments, its path in the enclosing one, and the
   * comment lines read since its last setting or blank line (each block has its own, as in
   * Typesafe's parser).
   */
  private record Block(Node node, int depth, List<String> path, List<String> pending) {
    Block(Node node, int depth, List<String> path) {
      this(node, depth, path, new ArrayList<>());
    }
  }

  private final int maxDepth;
  private final ConfigOrigin file;
  // The whole text and its chars, scanned by index (String.charAt's calls cost cold, issue 16).
  private String all;
  private char[] src;
  private int end; // where the current line ends (its '\n', or the end of the text)
  private int at; // position in the current line
  private int lineNumber;

  private PlainHocon(String description, int maxDepth) {
    this.maxDepth = maxDepth;
    this.file = ConfigOriginFactory.newSimple(description);
  }

  /**
   * The tree of {@code text} as Typesafe parses it with {@code description} as the origin
   * description, or null when the text is outside the plain subset.
   *
   * @param maxDepth deepest nesting in path segments (the {@link Limits#maxDepth()})
   */
  public static Config parse(String text, String description, int maxDepth) {
    Tree tree = parseTree(text, description, maxDepth);
    try {
      return tree == null ? null : tree.config();
    } catch (IllegalStateException e) { // QcfgPlainValues against another Typesafe version
      return null; // declined: Typesafe's parser reads it
    }
  }

  /**
   * The tree of {@code text} as {@link #parse} reads it, before its objects are made Typesafe's
   * ({@link Tree#config}, on demand); null when the text is outside the plain subset. Its
   * scalars and lists are Typesafe's already, the very objects {@link Tree#config} holds.
   */
  public static Tree parseTree(String text, String description, int maxDepth) {
    if (text.indexOf('\r') >= 0 || text.indexOf('\uFEFF') >= 0) {
      return null;
    }
    try {
      PlainHocon reader = new PlainHocon(description, maxDepth);
      Node root = reader.parseLines(text);
      reader.all = null; // the tree keeps the reader for its origins only
      reader.src = null;
      return new Tree(reader, root);
    } catch (Declined d) {
      return null;
    } catch (LinkageError e) { // QcfgPlainValues against another Typesafe version (qcfg-runtime)
      return null; // declined: Typesafe's parser reads it
    }
  }

  /**
   * A plain file's tree as read, its objects still this reader's own: a fast restart looks up the
   * secret layer's values at its sealed leaves' paths and lists every value for the redactor, and
   * making every object Typesafe's for that was a fifth of the secret files' cold read (issue 16).
   * The Typesafe tree is made when first asked ({@link #config}); an object found by a lookup is
   * made alone ({@link #value}), equal to the one {@link #config} holds at its path.
   *
   * <p>Concurrency: immutable once {@link #parseTree} returns (the nodes are no longer written);
   * safe to share after a happens-before edge. Two threads that ask for {@link #config} at once
   * may each make it: equal trees, either kept.
   */
  public static final class Tree {
    private final PlainHocon reader;
    private final Node root;
    private volatile Config config;

    private Tree(PlainHocon reader, Node root) {
      this.reader = reader;
      this.root = root;
    }

    /** The tree as Typesafe's parser gives it ({@link PlainHocon#parse}). */
    public Config config() {
      Config c = config;
      if (c == null) {
        c = ((ConfigObject) value(root)).toConfig();
        config = c;
      }
      return c;
    }

    /** The root: an object node ({@link #isObject}). */
    Object root() {
      return root;
    }

    /** Whether {@code v} (a node's field, or the root) is an object; else a Typesafe value. */
    static boolean isObject(Object v) {
      return v instanceof Node;
    }

    /** The field {@code key} of the object {@code node}, or null. */
    static Object field(Object node, String key) {
      return ((Node) node).fields.get(key);
    }

    /** {@code v} (a field of this tree, or its root) as Typesafe's value. */
    ConfigValue value(Object v) {
      try {
        return reader.value(v);
      } catch (LinkageError e) { // QcfgPlainValues against another Typesafe version
        throw new IllegalStateException("the plain reader's objects cannot be made");
      }
    }

    /** Every scalar of the tree, lists' items included, as {@code Leaves.forEachScalar} walks. */
    public void forEachScalar(java.util.function.Consumer<ConfigValue> visitor) {
      scalars(root, visitor);
    }

    private static void scalars(Node n, java.util.function.Consumer<ConfigValue> visitor) {
      for (Object v : n.fields.values()) {
        if (v instanceof Node child) {
          scalars(child, visitor);
        } else {
          io.qcfg.internal.tree.Leaves.forEachScalar((ConfigValue) v, visitor);
        }
      }
    }
  }

  private Node parseLines(String all) {
    List<Block> open = new ArrayList<>();
    open.add(new Block(new Node(1, 1, null), 0, List.of()));
    this.all = all;
    this.src = all.toCharArray();
    for (int start = 0; start <= src.length; start = end + 1) { // each line, the last one too
      end = all.indexOf('\n', start);
      end = end < 0 ? src.length : end;
      at = start;
      lineNumber++;
      skipSpace();
      Block in = open.get(open.size() - 1);
      List<String> pending = in.pending();
      if (at == end) {
        pending.clear(); // a blank line ends a comment block
      } else if (src[at] == '#' || (src[at] == '/' && at + 1 < end && src[at + 1] == '/')) {
        pending.add(all.substring(at + (src[at] == '#' ? 1 : 2), end));
      } else if (src[at] == '}') {
        at++;
        requireEnd();
        if (open.size() == 1) {
          throw DECLINED;
        }
        open.remove(open.size() - 1);
        put(open.get(open.size() - 1).node(), in.path(), in.node());
      } else {
        Block inner = statement(in, pending);
        if (inner != null) {
          open.add(inner);
        }
      }
    }
    if (open.size() != 1) {
      throw DECLINED;
    }
    return open.get(0).node();
  }

  // One statement: a value set (null returned) or a block opened (returned).
  private Block statement(Block in, List<String> pending) {
    List<String> path = path();
    if (in.depth() + path.size() > maxDepth) {
      throw DECLINED;
    }
    skipSpace();
    if (at == end) {
      throw DECLINED;
    }
    char c = src[at++];
    List<String> above = List.copyOf(pending);
    pending.clear();
    if (c == '{') {
      Block block = new Block(new Node(lineNumber, lineNumber, above.isEmpty() ? null : above),
          in.depth() + path.size(), path);
      skipSpace();
      if (at == end) {
        return block;
      }
      inlineFields(block); // closed on this line: as a block over three lines
      put(in.node(), path, block.node());
      return null;
    }
    if (c != '=' && c != ':') {
      throw DECLINED;
    }
    skipSpace();
    ConfigValue v = value();
    requireEnd();
    put(in.node(), path, above.isEmpty() ? v : v.withOrigin(v.origin().withComments(above)));
    return null;
  }

  /**
   * The fields of an object opened and closed on one line, {@code a { b = 1, c.d = "x" }}, read
   * after its {@code {}: settings separated by commas, then {@code }} ending the line. No nested
   * object, no comment, no trailing comma (each declines).
   */
  private void inlineFields(Block block) {
    while (true) {
      List<String> path = path();
      if (block.depth() + path.size() > maxDepth) {
        throw DECLINED;
      }
      skipSpace();
      if (at == end || (src[at] != '=' && src[at] != ':')) {
        throw DECLINED;
      }
      at++;
      skipSpace();
      put(block.node(), path, value());
      skipSpace();
      if (at == end) {
        throw DECLINED;
      }
      char c = src[at++];
      if (c == '}') {
        requireEnd();
        return;
      }
      if (c != ',') {
        throw DECLINED;
      }
      skipSpace();
    }
  }

  /**
   * As the parser: {@code {first: {rest: v}}} merged over what the object has under {@code
   * first}, the new over the old ({@code withFallback}). The objects are this class's own and
   * merged in place, so a file of n settings under one key costs n steps, not Typesafe's n² (it
   * copies the whole object at each merge); the origins are Typesafe's ({@link #mergeOrigin}).
   * The objects of a dotted path are made only where the object has nothing yet ({@link
   * #mergedPath}): a 1,000-setting file of {@code a.b.c = v} lines made two objects a line and
   * merged them away (issue 16).
   */
  private static void put(Node into, List<String> path, Object v) {
    Object existing = into.fields.get(path.get(0));
    Object value;
    if (path.size() == 1) {
      value = existing == null ? v : merged(v, existing);
    } else if (existing == null) {
      value = chain(path, 1, v, firstLine(v), lastLine(v));
    } else {
      value = mergedPath(existing, path, 1, v, firstLine(v), lastLine(v));
    }
    into.fields.put(path.get(0), value);
  }

  private static int firstLine(Object v) {
    return v instanceof Node n ? n.first : ((ConfigValue) v).origin().lineNumber();
  }

  private static int lastLine(Object v) {
    return v instanceof Node n ? n.last : firstLine(v); // a value is on one line
  }

  // {path[i]: {path[i + 1]: ... v}}: its objects have v's lines and no comments, as the parser's.
  private static Object chain(List<String> path, int i, Object v, int first, int last) {
    Object value = v;
    for (int j = path.size() - 1; j >= i; j--) {
      Node n = new Node(first, last, null);
      n.fields.put(path.get(j), value);
      value = n;
    }
    return value;
  }

  /**
   * {@code merged(chain(path, i, v), s)}, without making the chain's objects where {@code s} has
   * the key already: the same tree, origins and identities as that merge (the chain's object, as
   * {@link #merged} gives it, is made only where it would be the result). {@code first} and
   * {@code last} are v's lines.
   */
  private static Object mergedPath(Object s, List<String> path, int i, Object v, int first,
      int last) {
    if (i == path.size()) {
      return merged(v, s);
    }
    if (!(s instanceof Node under)) {
      throw DECLINED; // an object over a value (merged declines it)
    }
    String k = path.get(i);
    Object old = under.fields.get(k);
    int before = under.fields.size();
    Object kept;
    boolean changed;
    if (old == null) {
      kept = chain(path, i + 1, v, first, last);
      changed = false;
    } else {
      kept = mergedPath(old, path, i + 1, v, first, last);
      changed = kept == old; // merged gave the fallback's object, not the chain's
    }
    under.fields.put(k, kept);
    if (!changed && before == (old == null ? 0 : 1)) {
      Node over = new Node(first, last, null); // the chain's object: s is dropped
      over.fields.put(k, kept);
      return over;
    }
    // mergeOrigin of the chain's object (lines first..last, no comments) over s: the span of
    // both, s's comments (a copy of them, there: the same text)
    under.first = Math.min(first, under.first);
    under.last = Math.max(last, under.last);
    return under;
  }

  /**
   * {@code first.withFallback(second)} as Typesafe's {@code SimpleConfigObject.mergedWithObject}
   * gives it: {@code first} itself when the fallback adds and changes nothing, else the union with
   * the merged origin. A value ignores its fallback; an object over a value would ignore later
   * fallbacks, a state this reader does not follow: it declines.
   */
  private static Object merged(Object first, Object second) {
    if (!(first instanceof Node f)) {
      return first;
    }
    if (!(second instanceof Node s)) {
      throw DECLINED;
    }
    int before = s.fields.size();
    int common = 0;
    boolean changed = false;
    for (Map.Entry<String, Object> e : f.fields.entrySet()) {
      Object old = s.fields.get(e.getKey());
      Object kept = e.getValue();
      if (old != null) {
        common++;
        kept = merged(kept, old);
        changed |= kept != e.getValue();
      }
      s.fields.put(e.getKey(), kept);
    }
    if (!changed && before == common) {
      return f; // s is dropped: f has every field, each as kept
    }
    mergeOrigin(f, f.fields.isEmpty(), s); // s was not empty: else f came back above
    return s;
  }

  /**
   * Sets {@code under}'s origin (an object that is not empty) to the one Typesafe gives a merge of
   * {@code over} over it that changed something: {@code AbstractConfigObject.mergeOrigins} leaves
   * an empty object's origin out, and {@code SimpleConfigOrigin.mergeTwo} joins two origins of one
   * file into the span of their lines, with the first's comments when both have the same, else the
   * first's followed by the second's. {@code PlainHoconDifferentialTest} compares every origin
   * with Typesafe's.
   */
  private static void mergeOrigin(Node over, boolean overEmpty, Node under) {
    if (overEmpty) {
      return; // the under object's own
    }
    under.first = Math.min(over.first, under.first);
    under.last = Math.max(over.last, under.last);
    if (!java.util.Objects.equals(over.comments, under.comments)) {
      List<String> both = new ArrayList<>();
      if (over.comments != null) {
        both.addAll(over.comments);
      }
      if (under.comments != null) {
        both.addAll(under.comments);
      }
      under.comments = both;
    }
  }

  private ConfigValue value(Object v) {
    if (!(v instanceof Node n)) {
      return (ConfigValue) v;
    }
    Map<String, ConfigValue> fields = new HashMap<>(n.fields.size() * 4 / 3 + 1);
    n.fields.forEach((k, c) -> fields.put(k, value(c)));
    return QcfgPlainValues.object(fields, origin(n));
  }

  /**
   * {@code n}'s origin as Typesafe's: a span of lines is Typesafe's own merge of the origins of its
   * first and last line, as a merge of an object on each would give.
   */
  private ConfigOrigin origin(Node n) {
    ConfigOrigin o = here(n.first);
    if (n.last != n.first) {
      o = QcfgPlainValues.merged(o, here(n.last));
    }
    return n.comments == null ? o : o.withComments(n.comments);
  }

  private List<String> path() {
    List<String> segments = new ArrayList<>();
    while (true) {
      int start = at;
      if (at < end && (letter(src[at]) || src[at] == '_')) {
        at++;
        while (at < end && keyChar(src[at])) {
          at++;
        }
      }
      String key = all.substring(start, at);
      if (key.isEmpty() || key.equals("include") || key.equals("true") || key.equals("false")
          || key.equals("null")) {
        throw DECLINED;
      }
      segments.add(key);
      if (at == end || src[at] != '.') {
        return segments;
      }
      at++;
    }
  }

  private ConfigValue value() {
    if (at < end && src[at] == '[') {
      int line = lineNumber;
      at++;
      List<ConfigValue> items = new ArrayList<>();
      skipSpace();
      if (at < end && src[at] == ']') {
        at++;
      } else {
        while (true) {
          skipSpace();
          items.add(scalar());
          skipSpace();
          if (at >= end) {
            throw DECLINED;
          }
          char c = src[at++];
          if (c == ']') {
            break;
          }
          if (c != ',') {
            throw DECLINED;
          }
        }
      }
      return QcfgPlainValues.list(items, here(line));
    }
    return scalar();
  }

  private ConfigValue scalar() {
    if (at >= end) {
      throw DECLINED;
    }
    if (src[at] == '"') {
      return quoted();
    }
    int start = at;
    while (at < end && keyChar(src[at])) {
      at++;
    }
    String word = all.substring(start, at);
    Object plain = switch (word) {
      case "true" -> Boolean.TRUE;
      case "false" -> Boolean.FALSE;
      case "null" -> null;
      default -> number(word);
    };
    return QcfgPlainValues.scalar(plain, here(lineNumber));
  }

  // A canonical decimal integer (Integer when it fits, else Long) or one with a unit after it.
  private static Object number(String word) {
    int i = word.startsWith("-") ? 1 : 0;
    int digits = i;
    while (digits < word.length() && word.charAt(digits) >= '0' && word.charAt(digits) <= '9') {
      digits++;
    }
    int n = digits - i;
    if (n == 0 || n > 18 || (word.charAt(i) == '0' && (n > 1 || i == 1))) {
      throw DECLINED; // not canonical (Typesafe keeps the original text), or too long
    }
    if (digits < word.length()) { // a unit: only letters, not an exponent
      char first = word.charAt(digits);
      if (first == 'e' || first == 'E') {
        throw DECLINED;
      }
      for (int k = digits; k < word.length(); k++) {
        if (!letter(word.charAt(k))) {
          throw DECLINED;
        }
      }
      return word; // Typesafe joins the number and the unit into one quoted string
    }
    long v = Long.parseLong(word);
    if (v == (int) v) {
      return Integer.valueOf((int) v); // as Typesafe: ConfigInt when it fits
    }
    return Long.valueOf(v);
  }

  private ConfigValue quoted() {
    int start = ++at;
    if (start + 1 < end && src[start] == '"' && src[start + 1] == '"') {
      throw DECLINED; // triple quotes
    }
    while (at < end && src[at] != '"') {
      char c = src[at++];
      if (c == '\\' || c < 0x20) {
        throw DECLINED;
      }
    }
    if (at >= end) {
      throw DECLINED;
    }
    String s = all.substring(start, at++);
    if (at < end && src[at] == '"') {
      throw DECLINED; // "a""b": a concatenation
    }
    return QcfgPlainValues.scalar(s, here(lineNumber));
  }

  private ConfigOrigin here(int line) {
    return file.withLineNumber(line);
  }

  private void skipSpace() {
    while (at < end && (src[at] == ' ' || src[at] == '\t')) {
      at++;
    }
  }

  private void requireEnd() {
    skipSpace();
    if (at != end) {
      throw DECLINED;
    }
  }

  private static boolean letter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static boolean keyChar(char c) {
    return letter(c) || (c >= '0' && c <= '9') || c == '_' || c == '-';
  }
}
