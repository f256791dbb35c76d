package io.qcfg.internal.layer;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigOriginFactory;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the plain subset of HOCON that secret files are written in, without Typesafe's parser,
 * whose cold first parse was the longest step of a fast restart's critical path (issue 16). It
 * gives the tree Typesafe's parse gives: the same keys, value classes, values and origins (file,
 * lines, comments), objects included, because it builds and merges the objects as the parser does
 * ({@code withFallback}, the later setting over the earlier).
 *
 * <p>Line by line, it takes only: blank lines; {@code #} and {@code //} comments on lines of their
 * own; {@code path = value} or {@code path : value}; {@code path {} opening a block and {@code }}
 * closing it, each on its own line. A path is dot-separated segments of ASCII letters, digits,
 * {@code _} and {@code -} (beginning with a letter or {@code _}; no keyword). A value is a quoted
 * string with no escape and no control character, {@code true}, {@code false}, {@code null}, a
 * decimal integer in canonical form, an integer followed by a unit ({@code 33s}), or a one-line
 * list of those. Anything else DECLINES ({@code null}): includes, substitutions, {@code +=},
 * triple quotes, escapes, doubles, unquoted words, inline objects, nested lists, commas between
 * fields, trailing comments, {@code \r}, a byte-order mark, nesting deeper than the limit. The
 * caller then parses with Typesafe: declining is always allowed, a different answer never
 * ({@code PlainHoconDifferentialTest}).
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
   * An object under construction, as Typesafe's parser makes it: its fields so far (merged as the
   * parser merges them), and for a block, the line it opened on, the comments above it and the
   * path it goes to in the enclosing object.
   */
  private static final class Block {
    final Map<String, ConfigValue> values = new HashMap<>();
    final int line;
    final int depth;
    final List<String> comments;
    final List<String> path;

    Block(int line, int depth, List<String> comments, List<String> path) {
      this.line = line;
      this.depth = depth;
      this.comments = comments;
      this.path = path;
    }
  }

  private final String description;
  private final int maxDepth;
  private final ConfigOrigin file;
  private String text; // the current line
  private int at; // position in it
  private int lineNumber;

  private PlainHocon(String description, int maxDepth) {
    this.description = description;
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
    if (text.indexOf('\r') >= 0 || text.indexOf('\uFEFF') >= 0) {
      return null;
    }
    try {
      return new PlainHocon(description, maxDepth).parseLines(text);
    } catch (Declined d) {
      return null;
    }
  }

  private Config parseLines(String all) {
    List<Block> open = new ArrayList<>();
    open.add(new Block(1, 0, List.of(), List.of()));
    List<List<String>> comments = new ArrayList<>(); // one list per open block, as Typesafe
    comments.add(new ArrayList<>());
    String[] lines = all.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      text = lines[i];
      at = 0;
      lineNumber = i + 1;
      skipSpace();
      List<String> pending = comments.get(comments.size() - 1);
      if (at == text.length()) {
        pending.clear(); // a blank line ends a comment block
      } else if (text.startsWith("#", at) || text.startsWith("//", at)) {
        pending.add(text.substring(at + (text.charAt(at) == '#' ? 1 : 2)));
      } else if (text.charAt(at) == '}') {
        at++;
        requireEnd();
        if (open.size() == 1) {
          throw DECLINED;
        }
        Block done = open.remove(open.size() - 1);
        comments.remove(comments.size() - 1);
        put(open.get(open.size() - 1), done.path, object(done));
      } else {
        Block inner = statement(open.get(open.size() - 1), pending);
        if (inner != null) {
          open.add(inner);
          comments.add(new ArrayList<>());
        }
      }
    }
    if (open.size() != 1) {
      throw DECLINED;
    }
    return ((com.typesafe.config.ConfigObject) object(open.get(0))).toConfig();
  }

  // One statement: a value set (null returned) or a block opened (returned).
  private Block statement(Block in, List<String> pending) {
    List<String> path = path();
    if (in.depth + path.size() > maxDepth) {
      throw DECLINED;
    }
    skipSpace();
    if (at == text.length()) {
      throw DECLINED;
    }
    char c = text.charAt(at++);
    List<String> above = List.copyOf(pending);
    pending.clear();
    if (c == '{') {
      requireEnd();
      return new Block(lineNumber, in.depth + path.size(), above, path);
    }
    if (c != '=' && c != ':') {
      throw DECLINED;
    }
    skipSpace();
    ConfigValue v = value();
    requireEnd();
    put(in, path, withComments(v, above));
    return null;
  }

  // As the parser: under the path's first key, merged over what is there (the later wins).
  private static void put(Block in, List<String> path, ConfigValue v) {
    String key = path.get(0);
    ConfigValue value = path.size() == 1 ? v : underPath(path.subList(1, path.size()), v);
    ConfigValue existing = in.values.get(key);
    in.values.put(key, existing == null ? value : value.withFallback(existing));
  }

  // {a: {b: v}} for path a.b; the objects have v's origin without its comments, as the parser's.
  private static ConfigValue underPath(List<String> keys, ConfigValue v) {
    ConfigOrigin origin = v.origin().withComments(null);
    ConfigValue o = v;
    for (int i = keys.size() - 1; i >= 0; i--) {
      o = ConfigValueFactory.fromMap(Map.of(keys.get(i), o)).withOrigin(origin);
    }
    return o;
  }

  private static ConfigValue withComments(ConfigValue v, List<String> comments) {
    return comments.isEmpty() ? v : v.withOrigin(v.origin().withComments(comments));
  }

  private List<String> path() {
    List<String> segments = new ArrayList<>();
    while (true) {
      int start = at;
      if (at < text.length() && (letter(text.charAt(at)) || text.charAt(at) == '_')) {
        at++;
        while (at < text.length() && keyChar(text.charAt(at))) {
          at++;
        }
      }
      String key = text.substring(start, at);
      if (key.isEmpty() || key.equals("include") || key.equals("true") || key.equals("false")
          || key.equals("null")) {
        throw DECLINED;
      }
      segments.add(key);
      if (at == text.length() || text.charAt(at) != '.') {
        return segments;
      }
      at++;
    }
  }

  private ConfigValue value() {
    if (at < text.length() && text.charAt(at) == '[') {
      int line = lineNumber;
      at++;
      List<ConfigValue> items = new ArrayList<>();
      skipSpace();
      if (at < text.length() && text.charAt(at) == ']') {
        at++;
      } else {
        while (true) {
          skipSpace();
          items.add(scalar());
          skipSpace();
          if (at >= text.length()) {
            throw DECLINED;
          }
          char c = text.charAt(at++);
          if (c == ']') {
            break;
          }
          if (c != ',') {
            throw DECLINED;
          }
        }
      }
      return ConfigValueFactory.fromIterable(items).withOrigin(here(line));
    }
    return scalar();
  }

  private ConfigValue scalar() {
    if (at >= text.length()) {
      throw DECLINED;
    }
    if (text.charAt(at) == '"') {
      return quoted();
    }
    int start = at;
    while (at < text.length() && keyChar(text.charAt(at))) {
      at++;
    }
    String word = text.substring(start, at);
    Object plain = switch (word) {
      case "true" -> Boolean.TRUE;
      case "false" -> Boolean.FALSE;
      case "null" -> null;
      default -> number(word);
    };
    return ConfigValueFactory.fromAnyRef(plain).withOrigin(here(lineNumber));
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
    if (text.startsWith("\"\"", start - 1) && text.startsWith("\"", start + 1)) {
      throw DECLINED; // triple quotes
    }
    while (at < text.length() && text.charAt(at) != '"') {
      char c = text.charAt(at++);
      if (c == '\\' || c < 0x20) {
        throw DECLINED;
      }
    }
    if (at >= text.length()) {
      throw DECLINED;
    }
    String s = text.substring(start, at++);
    if (at < text.length() && text.charAt(at) == '"') {
      throw DECLINED; // "a""b": a concatenation
    }
    return ConfigValueFactory.fromAnyRef(s).withOrigin(here(lineNumber));
  }

  private ConfigValue object(Block b) {
    return withComments(ConfigValueFactory.fromMap(b.values).withOrigin(here(b.line)), b.comments);
  }

  private ConfigOrigin here(int line) {
    return file.withLineNumber(line);
  }

  private void skipSpace() {
    while (at < text.length() && (text.charAt(at) == ' ' || text.charAt(at) == '\t')) {
      at++;
    }
  }

  private void requireEnd() {
    skipSpace();
    if (at != text.length()) {
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
