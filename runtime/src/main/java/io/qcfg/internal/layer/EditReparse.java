package io.qcfg.internal.layer;

import static io.qcfg.internal.layer.BlockLayout.CLOSE;
import static io.qcfg.internal.layer.BlockLayout.COMMENT;
import static io.qcfg.internal.layer.BlockLayout.OPEN;

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
 *   <li>both texts have a {@link BlockLayout}: every line is blank, a comment, {@code key {},
 *       {@code }} alone, or one statement whose brackets close on the same line (so each line
 *       belongs to exactly one block);
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
    int[] startsBefore = BlockLayout.lineStarts(before);
    int[] startsNow = BlockLayout.lineStarts(now);
    if (startsBefore.length != startsNow.length) {
      return null;
    }
    BlockLayout old = BlockLayout.of(before, startsBefore, false);
    BlockLayout edited = old == null ? null : BlockLayout.of(now, startsNow, false);
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

  private static Config splice(ConfigObject root, BlockLayout edited, List<Integer> blocks,
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
  private static void addOutermost(List<Integer> blocks, BlockLayout l, int block) {
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

  private static boolean inside(BlockLayout l, int line, int block) {
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
  private static ConfigValue parsedBlock(BlockLayout l, int open, int last,
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
  private static boolean uniqueAmongSiblings(BlockLayout l, int open) {
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

  private static List<String> chain(BlockLayout l, int open) {
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

  private static boolean sameLine(BlockLayout a, BlockLayout b, int i) {
    int len = a.end(i) - a.starts[i];
    return len == b.end(i) - b.starts[i]
        && a.text.regionMatches(a.starts[i], b.text, b.starts[i], len);
  }

  private static boolean sameBlocks(BlockLayout a, BlockLayout b) {
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
}
