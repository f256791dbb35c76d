package io.qcfg.internal.layer;

import static io.qcfg.internal.layer.BlockLayout.COMMENT;
import static io.qcfg.internal.layer.BlockLayout.FLAT;
import static io.qcfg.internal.layer.BlockLayout.OPEN;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigParseOptions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * The parse of one large layer file in parts on the parser threads (issue 19): a file parsed
 * whole is one task on one core. The file is cut between statements into as many parts as there
 * are cores (at most 4); each part is parsed by Typesafe alone and the parts' trees are merged in
 * file order. The result must be the whole file's parse: values, origins (file and line) and
 * comments of every value, objects included, and even the order of each object's keys in its
 * map (which decides which of several failing substitutions a resolve reports).
 *
 * <p>Not wired into {@link LayerFileReader} yet: every measurement of this session (run R of
 * benchmarks/README.md, a machine at load 3 to 7) found it slower. In a cold build the other
 * files' parses already fill two cores; on a cold JVM the cut costs more than a second thread
 * saves; warm, with no free core, it costs its 5 to 20% of CPU. Where it should pay is a re-parse
 * of a large file with a core free (a reload that {@link EditReparse} declined): wire it into
 * {@code LayerFileReader.parseEdit}'s fallback once a quiet {@code
 * LayerParseBenchmark.qcfgSplitParse} is below {@code qcfgUnsyncReader}.
 *
 * <p>How a part keeps the whole file's lines: its text has every line of the file above it as an
 * empty line, except the headers ({@code key {}) of the blocks it starts inside of (the cut's
 * <em>spine</em>) and the comment lines right above them, which it repeats where they stand; then
 * its own lines, then a {@code }} for each block still open at its end. So Typesafe gives each of
 * its values the file's line, each spine block the header's line and comments, and the path
 * ({@code +=}) it has in the file.
 *
 * <p>Where a file may be cut, so that merging the parts is the parser's own merge:
 *
 * <ul>
 *   <li>the file has a {@link BlockLayout} (substitutions allowed), no {@code include} (its keys
 *       and lines come from another file) and no triple-quoted string;
 *   <li>the cut is just before a statement line whose line above is not a comment (which the
 *       parser would attach to the statement);
 *   <li>no key repeated in a block (or at the root) has occurrences on both sides of the cut, and
 *       a spine block's key is not repeated in its block: so the parts' trees share only the spine
 *       blocks, whose two halves carry the same origin, and every repeated key's occurrences (with
 *       their {@code +=} and self references) are merged by the parser within one part.
 * </ul>
 *
 * Anything else is parsed whole (null from {@link #parse}). A part that fails to parse also gives
 * null: the whole parse then reports the problem with the file's own words and lines.
 * {@code SplitParsePropertiesTest} compares this with the whole parse on random files. Public for
 * the benchmarks ({@code LayerParseBenchmark}).
 */
public final class SplitParse {
  /**
   * Characters per part below which a file is parsed whole. Cutting costs CPU: 15% more than the
   * whole parse for the benchmark's base file of 13 to 26 KB, 5 to 9% from 50 KB (the parts'
   * empty lines, the layout scan, the merge), which a second free core would repay (run R); under
   * 12 KB a part saves little more than the hand-off.
   */
  static final int MIN_PART_CHARS = 12 * 1024;

  private static final int MAX_PARTS =
      Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));

  private SplitParse() {}

  /**
   * {@link #parse(String, int, Function)} through {@link UnsyncStringReader}, as a layer file is
   * parsed; the whole parse when it declines.
   */
  public static Config parse(String text, int parts, ConfigParseOptions options) {
    Config split = parse(text, parts, part -> UnsyncStringReader.parse(part, options));
    return split != null ? split : UnsyncStringReader.parse(text, options);
  }

  /** How many parts a text of {@code chars} characters is cut into (1: parsed whole). */
  static int partsFor(int chars) {
    return Math.max(1, Math.min(MAX_PARTS, chars / MIN_PART_CHARS));
  }

  /**
   * The parse of {@code text} from {@code parts} parts, or null when it cannot be cut so that this
   * equals the whole parse, or when a part fails.
   *
   * @param parse parses a text as the file (same origin description, syntax and options); called
   *     on this thread and on parser threads at once
   */
  static Config parse(String text, int parts, Function<String, Config> parse) {
    if (parts < 2 || text.contains("include") || text.contains("\"\"\"")) {
      return null;
    }
    BlockLayout l = BlockLayout.of(text, true);
    int[] cuts = l == null ? new int[0] : cuts(l, parts);
    if (cuts.length == 0) {
      return null;
    }
    int[] bounds = new int[cuts.length + 2];
    System.arraycopy(cuts, 0, bounds, 1, cuts.length);
    bounds[bounds.length - 1] = l.lines();
    List<Future<Config>> rest = new ArrayList<>();
    for (int k = 1; k < bounds.length - 1; k++) {
      int from = bounds[k];
      int to = bounds[k + 1];
      rest.add(ParserPool.POOL.submit(() -> parse.apply(partText(l, from, to))));
    }
    Config merged;
    try {
      merged = parse.apply(partText(l, 0, bounds[1]));
    } catch (RuntimeException | StackOverflowError e) {
      rest.forEach(f -> f.cancel(true));
      return null;
    }
    for (Future<Config> f : rest) {
      Config part = awaitPart(f);
      if (part == null) {
        rest.forEach(other -> other.cancel(true));
        return null;
      }
      // The parts share only spine blocks (same origin, disjoint keys), so either direction
      // gives the same values and origins; earlier over later also inserts keys in file order,
      // as the parser does: the same HashMap order, so resolve meets failures in the same order.
      merged = merged.withFallback(part);
    }
    return merged;
  }

  /**
   * A part's parse, or null when it failed. Waits as the whole parse would have run: to the end,
   * interrupted or not (Typesafe's parser never looks); an interrupt is kept for the caller.
   */
  private static Config awaitPart(Future<Config> f) {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return f.get();
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          return null;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Lines {@code from}..{@code to}-1 with the spine above them and the braces that close it. */
  static String partText(BlockLayout l, int from, int to) {
    boolean[] repeated = new boolean[from];
    for (int b = l.parentOf[from]; b >= 0; b = l.parentOf[b]) {
      repeated[b] = true;
      for (int c = b - 1; c >= 0 && l.kinds[c] == COMMENT; c--) {
        repeated[c] = true;
      }
    }
    int chars = l.starts[Math.min(to, l.lines())] - l.starts[from] + from + 8;
    StringBuilder out = new StringBuilder(chars);
    for (int i = 0; i < from; i++) {
      if (repeated[i]) {
        out.append(l.text, l.starts[i], l.end(i));
      }
      out.append('\n');
    }
    out.append(l.text, l.starts[from], Math.min(l.text.length(), l.starts[to]));
    for (int b = to < l.lines() ? l.parentOf[to] : -1; b >= 0; b = l.parentOf[b]) {
      out.append("\n}");
    }
    return out.toString();
  }

  /** Up to {@code parts - 1} cut lines, in order, each near an equal share of the text. */
  static int[] cuts(BlockLayout l, int parts) {
    boolean[] blocked = blocked(l);
    int lines = l.lines();
    int window = Math.max(1, lines / (2 * parts));
    List<Integer> cuts = new ArrayList<>();
    int last = 0;
    for (int k = 1; k < parts; k++) {
      int target = lineAt(l, (int) ((long) l.text.length() * k / parts));
      for (int d = 0; d <= window; d++) {
        if (cutsAt(l, blocked, target + d, last)) {
          last = target + d;
          cuts.add(last);
          break;
        }
        if (d > 0 && cutsAt(l, blocked, target - d, last)) {
          last = target - d;
          cuts.add(last);
          break;
        }
      }
    }
    return cuts.stream().mapToInt(Integer::intValue).toArray();
  }

  private static boolean cutsAt(BlockLayout l, boolean[] blocked, int c, int after) {
    return c > after && c < l.lines() && !blocked[c] && (l.kinds[c] == OPEN || l.kinds[c] == FLAT)
        && l.kinds[c - 1] != COMMENT;
  }

  /** The line holding character {@code at}. */
  private static int lineAt(BlockLayout l, int at) {
    int i = java.util.Arrays.binarySearch(l.starts, at);
    return i >= 0 ? i : -i - 2;
  }

  /**
   * The lines a cut must not come before: those after the first occurrence of a key repeated in
   * its block (or at the root), up to the end of its last occurrence (the block's close for a
   * block). A cut inside a block is inside every block around it, so one array serves all levels.
   */
  static boolean[] blocked(BlockLayout l) {
    int lines = l.lines();
    int[] diff = new int[lines + 1];
    ArrayDeque<Map<String, int[]>> open = new ArrayDeque<>();
    open.push(new HashMap<>());
    for (int i = 0; i < lines; i++) {
      int kind = l.kinds[i];
      if (kind == OPEN || kind == FLAT) {
        int[] seen = open.peek().computeIfAbsent(l.keys[i], k -> new int[] {-1, -1});
        if (seen[0] < 0) {
          seen[0] = i;
        }
        seen[1] = i;
      }
      if (kind == OPEN) {
        open.push(new HashMap<>());
      } else if (kind == BlockLayout.CLOSE) {
        mark(l, open.pop(), diff);
      }
    }
    mark(l, open.pop(), diff);
    boolean[] blocked = new boolean[lines];
    int depth = 0;
    for (int i = 0; i < lines; i++) {
      depth += diff[i];
      blocked[i] = depth > 0;
    }
    return blocked;
  }

  private static void mark(BlockLayout l, Map<String, int[]> keys, int[] diff) {
    for (int[] seen : keys.values()) {
      if (seen[0] != seen[1]) {
        int end = l.kinds[seen[1]] == OPEN ? l.closeOf[seen[1]] : seen[1];
        diff[seen[0] + 1]++;
        diff[end + 1]--;
      }
    }
  }
}
