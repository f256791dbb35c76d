package io.qcfg.internal.layer;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A re-parse of an edited file that hands only the edited blocks to Typesafe's parser (issue 19
 * item 3): when a large file (typically {@code application.conf}) changes in a few lines, the
 * blocks {@code key { ... }} around those lines are parsed again, alone, and put into the last
 * parse of the file; every other subtree keeps its identity, so the merge's diff, the index and
 * the schema verdicts see it unchanged at once.
 *
 * <p>The result must be the whole file's parse, origins and comments included. That holds only for
 * plainly laid-out files, so anything else returns null and the caller parses the whole file:
 *
 * <ul>
 *   <li>no {@code include}, {@code ${}, {@code +=} or triple-quoted string anywhere (their meaning
 *       depends on the path or on other files), and the same number of lines before and after;
 *   <li>every line is blank, a comment, {@code key {} (a simple key, nothing after the brace),
 *       {@code }} alone, or a statement starting with a simple key whose brackets close on the
 *       same line (so each line belongs to exactly one block);
 *   <li>the blocks (lines and keys) are the same before and after, and no other statement in a
 *       re-parsed block's parents names the block's key (which would merge with it).
 * </ul>
 *
 * A block is parsed with its comment lines and as many newlines before it as it had lines above
 * it, so Typesafe itself gives every value its line and comments. An edited comment above a
 * top-level block changes only that block's comments. A parse error returns null: the whole parse
 * then reports it with the file's own lines. {@code EditReparsePropertiesTest} compares this with
 * the whole parse on random files and edits.
 */
final class EditReparse {
  private static final int BLANK = 0;
  private static final int COMMENT = 1;
  private static final int OPEN = 2;
  private static final int CLOSE = 3;
  private static final int FLAT = 4;

  /** A text's lines: where each starts, its kind, its key; blocks by open line. */
  private static final class Layout {
    final String text;
    final int[] starts; // line i is text[starts[i], starts[i+1]-1)
    final int[] kinds;
    final String[] keys; // first key segment of OPEN and FLAT lines
    final int[] closeOf; // for an OPEN line, its CLOSE line
    final int[] parentOf; // for every line, the OPEN line of the innermost block around it, or -1

    Layout(String text, int[] starts) {
      this.text = text;
      this.starts = starts;
      int n = starts.length - 1;
      kinds = new int[n];
      keys = new String[n];
      closeOf = new int[n];
      parentOf = new int[n];
    }

    int lines() {
      return kinds.length;
    }

    int end(int line) {
      return starts[line + 1] - 1; // the '\n' (or one past the text's end)
    }
  }

  private EditReparse() {}

  /**
   * The parse of {@code now}, from {@code before}'s parse {@code last}, or null when that cannot
   * be shown equal to parsing {@code now} whole.
   *
   * @param parse parses a text as the file (same origin description, syntax and options); may
   *     throw {@link ConfigException}
   */
  static Config reparse(String before, Config last, String now, Function<String, Config> parse) {
    if (!plain(before) || !plain(now)) {
      return null;
    }
    int[] startsBefore = lineStarts(before);
    int[] startsNow = lineStarts(now);
    if (startsBefore.length != startsNow.length) {
      return null;
    }
    Layout old = layout(before, startsBefore);
    Layout edited = old == null ? null : layout(now, startsNow);
    if (edited == null || !sameBlocks(old, edited)) {
      return null;
    }
    List<Integer> blocks = new ArrayList<>(); // OPEN lines to parse again
    List<Integer> comments = new ArrayList<>(); // top-level OPEN lines whose comments changed
    for (int i = 0; i < edited.lines(); i++) {
      if (sameLine(old, edited, i)) {
        continue;
      }
      int block = edited.parentOf[i];
      if (block >= 0) {
        addOutermost(blocks, edited, block);
        continue;
      }
      if (old.kinds[i] != COMMENT || edited.kinds[i] != COMMENT) {
        return null;
      }
      int next = i;
      while (next < edited.lines() && edited.kinds[next] == COMMENT) {
        next++;
      }
      if (next == edited.lines() || edited.kinds[next] != OPEN) {
        return null;
      }
      if (!comments.contains(next)) {
        comments.add(next);
      }
    }
    try {
      return splice(last.root(), edited, blocks, comments, parse);
    } catch (ConfigException e) {
      return null; // the whole parse reports it, with the file's lines
    }
  }

  private static Config splice(ConfigObject root, Layout edited, List<Integer> blocks,
      List<Integer> comments, Function<String, Config> parse) {
    for (int open : comments) {
      if (!blocks.contains(open)) {
        List<String> chain = chain(edited, open);
        ConfigValue was = at(root, chain);
        ConfigValue shown = parsedBlock(edited, open, open, parse);
        if (was == null || shown == null) {
          return null;
        }
        root = put(root, chain, 0, was.withOrigin(was.origin().withComments(
            shown.origin().comments())));
      }
    }
    for (int open : blocks) {
      if (edited.parentOf[open] >= 0 && blocks.contains(edited.parentOf[open])) {
        continue;
      }
      List<String> chain = chain(edited, open);
      ConfigValue parsed = parsedBlock(edited, open, edited.closeOf[open], parse);
      if (parsed == null || at(root, chain) == null) {
        return null;
      }
      root = put(root, chain, 0, parsed);
    }
    return root.toConfig();
  }

  /** Keeps {@code block} unless an enclosing block is kept; drops blocks inside it. */
  private static void addOutermost(List<Integer> blocks, Layout l, int block) {
    for (int up = l.parentOf[block]; up >= 0; up = l.parentOf[up]) {
      if (blocks.contains(up)) {
        return;
      }
    }
    if (!blocks.contains(block)) {
      blocks.removeIf(b -> inside(l, b, block));
      blocks.add(block);
    }
  }

  private static boolean inside(Layout l, int line, int block) {
    for (int up = l.parentOf[line]; up >= 0; up = l.parentOf[up]) {
      if (up == block) {
        return true;
      }
    }
    return false;
  }

  /**
   * Parses lines {@code open}..{@code last} of a block with its comment lines above, after as
   * many newlines as lines above them: the block's value with the file's lines and comments.
   * Null when the block's key is not unique among its siblings (the file's parse merges them).
   */
  private static ConfigValue parsedBlock(Layout l, int open, int last,
      Function<String, Config> parse) {
    for (int b = open; b >= 0; b = l.parentOf[b]) {
      if (!uniqueAmongSiblings(l, b)) {
        return null;
      }
    }
    int first = open;
    while (first > 0 && l.kinds[first - 1] == COMMENT) {
      first--;
    }
    String body = l.text.substring(l.starts[first], l.end(last));
    String text = "\n".repeat(first) + body + (last == open ? "\n}" : "");
    ConfigObject parsed = parse.apply(text).root();
    String key = l.keys[open];
    if (parsed.size() != 1 || !parsed.containsKey(key)) {
      return null;
    }
    ConfigValue v = parsed.get(key);
    return v.valueType() == ConfigValueType.OBJECT ? v : null;
  }

  /** Whether no other line directly in the block around {@code open} starts with its key. */
  private static boolean uniqueAmongSiblings(Layout l, int open) {
    int parent = l.parentOf[open];
    int from = parent < 0 ? 0 : parent + 1;
    int to = parent < 0 ? l.lines() : l.closeOf[parent];
    for (int i = from; i < to; i++) {
      if (i != open && l.parentOf[i] == parent && l.keys[i] != null
          && l.keys[i].equals(l.keys[open])) {
        return false;
      }
    }
    return true;
  }

  private static List<String> chain(Layout l, int open) {
    List<String> keys = new ArrayList<>();
    for (int b = open; b >= 0; b = l.parentOf[b]) {
      keys.add(0, l.keys[b]);
    }
    return keys;
  }

  private static ConfigValue at(ConfigObject root, List<String> chain) {
    ConfigValue v = root;
    for (String k : chain) {
      if (!(v instanceof ConfigObject o)) {
        return null;
      }
      v = o.get(k);
    }
    return v instanceof ConfigObject ? v : null;
  }

  private static ConfigObject put(ConfigObject obj, List<String> chain, int i, ConfigValue v) {
    String k = chain.get(i);
    if (i == chain.size() - 1) {
      return obj.withValue(k, v);
    }
    return obj.withValue(k, put((ConfigObject) obj.get(k), chain, i + 1, v));
  }

  private static boolean sameLine(Layout a, Layout b, int i) {
    int len = a.end(i) - a.starts[i];
    return len == b.end(i) - b.starts[i]
        && a.text.regionMatches(a.starts[i], b.text, b.starts[i], len);
  }

  private static boolean sameBlocks(Layout a, Layout b) {
    for (int i = 0; i < a.lines(); i++) {
      boolean openA = a.kinds[i] == OPEN;
      boolean closeA = a.kinds[i] == CLOSE;
      if (openA != (b.kinds[i] == OPEN) || closeA != (b.kinds[i] == CLOSE)) {
        return false;
      }
      if (openA && (!a.keys[i].equals(b.keys[i]) || a.closeOf[i] != b.closeOf[i])) {
        return false;
      }
    }
    return true;
  }

  private static boolean plain(String text) {
    return !text.contains("include") && !text.contains("${") && !text.contains("+=")
        && !text.contains("\"\"\"");
  }

  private static int[] lineStarts(String text) {
    int count = 1;
    for (int i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
      count++;
    }
    int[] starts = new int[count + 1];
    int k = 1;
    for (int i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
      starts[k++] = i + 1;
    }
    starts[count] = text.length() + 1;
    return starts;
  }

  /** The layout of a plain text, or null when a line is not one of the plain kinds. */
  private static Layout layout(String text, int[] starts) {
    Layout l = new Layout(text, starts);
    int[] stack = new int[16];
    int depth = 0;
    for (int i = 0; i < l.lines(); i++) {
      if (!classify(l, i)) {
        return null;
      }
      l.parentOf[i] = depth == 0 ? -1 : stack[depth - 1];
      if (l.kinds[i] == OPEN) {
        if (depth == stack.length) {
          stack = java.util.Arrays.copyOf(stack, depth * 2);
        }
        stack[depth++] = i;
      } else if (l.kinds[i] == CLOSE) {
        if (depth == 0) {
          return null;
        }
        l.closeOf[stack[--depth]] = i;
        l.parentOf[i] = depth == 0 ? -1 : stack[depth - 1];
      }
    }
    return depth == 0 && bracketsStayOnTheirLine(l) ? l : null;
  }

  /** Whether every brace the scanner finds is a block's line and every list closes on its line. */
  private static boolean bracketsStayOnTheirLine(Layout l) {
    HoconScanner scan = new HoconScanner(l.text);
    int openList = 0;
    int listLine = -1;
    for (int c = scan.next(); c != HoconScanner.END; c = scan.next()) {
      int line = scan.line() - 1;
      switch (c) {
        case '{' -> {
          if (l.kinds[line] != OPEN) {
            return false;
          }
        }
        case '}' -> {
          if (l.kinds[line] != CLOSE) {
            return false;
          }
        }
        case '[' -> {
          if (openList > 0 && listLine != line) {
            return false;
          }
          openList++;
          listLine = line;
        }
        case ']' -> {
          if (openList == 0 || listLine != line) {
            return false;
          }
          openList--;
        }
        case '$' -> {
          return false;
        }
        default -> {}
      }
    }
    return openList == 0;
  }

  private static boolean classify(Layout l, int line) {
    String t = l.text;
    int end = l.end(line);
    int i = l.starts[line];
    while (i < end && isSpace(t.charAt(i))) {
      i++;
    }
    if (i == end) {
      l.kinds[line] = BLANK;
      return true;
    }
    char c = t.charAt(i);
    if (c == '#' || (c == '/' && i + 1 < end && t.charAt(i + 1) == '/')) {
      l.kinds[line] = COMMENT;
      return true;
    }
    if (c == '}') {
      l.kinds[line] = CLOSE;
      return restIsSpace(t, i + 1, end);
    }
    int k = i;
    while (k < end && isKeyChar(t.charAt(k))) {
      k++;
    }
    if (k == i) {
      return false;
    }
    l.keys[line] = t.substring(i, k);
    int j = k;
    while (j < end && isSpace(t.charAt(j))) {
      j++;
    }
    if (j < end && t.charAt(j) == '{') {
      l.kinds[line] = OPEN;
      return restIsSpace(t, j + 1, end);
    }
    l.kinds[line] = FLAT;
    return k < end && (isSpace(t.charAt(k)) || t.charAt(k) == '.' || t.charAt(k) == '='
        || t.charAt(k) == ':');
  }

  private static boolean restIsSpace(String t, int from, int end) {
    for (int i = from; i < end; i++) {
      if (!isSpace(t.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\r';
  }

  private static boolean isKeyChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
        || c == '_';
  }
}
