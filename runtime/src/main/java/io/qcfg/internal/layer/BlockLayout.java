package io.qcfg.internal.layer;

/**
 * The lines of a plainly laid-out HOCON text and the blocks they form, for the two places that
 * hand parts of a file to Typesafe's parser and must get the whole file's parse back: {@link
 * EditReparse} (only the edited blocks of a reload) and {@link SplitParse} (a large file in parts
 * on the parser threads).
 *
 * <p>Plain means: every line is blank, a comment, {@code key {} (a simple key, nothing after the
 * brace), {@code }} alone, or one statement starting with a simple key (letters, digits, {@code -},
 * {@code _}; then a space, {@code .}, {@code =} or {@code :}) whose brackets close on the same line
 * and that has no comma outside a list (so each line belongs to exactly one block and defines at
 * most one key of it). Any other text has no layout ({@link #of} returns null).
 */
final class BlockLayout {
  static final int BLANK = 0;
  static final int COMMENT = 1;
  static final int OPEN = 2;
  static final int CLOSE = 3;
  static final int FLAT = 4;

  final String text;
  final int[] starts; // line i is text[starts[i], starts[i+1]-1)
  final int[] kinds;
  final String[] keys; // first key segment of OPEN and FLAT lines
  final int[] closeOf; // for an OPEN line, its CLOSE line
  final int[] parentOf; // for every line, the OPEN line of the innermost block around it, or -1

  private BlockLayout(String text, int[] starts) {
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

  /** Where line {@code line} ends: its {@code '\n'}, or one past the text's end. */
  int end(int line) {
    return starts[line + 1] - 1;
  }

  /**
   * The layout of {@code text}, or null when a line is not one of the plain kinds; with {@code
   * substitutions} false, also null for any {@code ${...}}.
   */
  static BlockLayout of(String text, boolean substitutions) {
    return of(text, lineStarts(text), substitutions);
  }

  /** As {@link #of(String, boolean)} with the line starts of {@link #lineStarts}. */
  static BlockLayout of(String text, int[] starts, boolean substitutions) {
    BlockLayout l = new BlockLayout(text, starts);
    int[] stack = new int[16];
    int depth = 0;
    for (int i = 0; i < l.lines(); i++) {
      if (!l.classify(i)) {
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
    return depth == 0 && l.bracketsStayOnTheirLine(substitutions) ? l : null;
  }

  /** Where each line starts, and one past the text's end plus one as the last entry. */
  static int[] lineStarts(String text) {
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

  /**
   * Whether every brace the scanner finds is a block's line, every list closes on its line, no
   * comma stands outside a list, and (unless allowed) there is no substitution.
   */
  private boolean bracketsStayOnTheirLine(boolean substitutions) {
    HoconScanner scan = new HoconScanner(text);
    int openList = 0;
    int listLine = -1;
    for (int c = scan.next(); c != HoconScanner.END; c = scan.next()) {
      int line = scan.line() - 1;
      switch (c) {
        case '{' -> {
          if (kinds[line] != OPEN) {
            return false;
          }
        }
        case '}' -> {
          if (kinds[line] != CLOSE) {
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
        case ',' -> {
          if (openList == 0) {
            return false; // a second statement on the line: a key the layout does not see
          }
        }
        case '$' -> {
          if (!substitutions) {
            return false;
          }
        }
        default -> {}
      }
    }
    return openList == 0;
  }

  private boolean classify(int line) {
    String t = text;
    int end = end(line);
    int i = starts[line];
    while (i < end && isSpace(t.charAt(i))) {
      i++;
    }
    if (i == end) {
      kinds[line] = BLANK;
      return true;
    }
    char c = t.charAt(i);
    if (c == '#' || (c == '/' && i + 1 < end && t.charAt(i + 1) == '/')) {
      kinds[line] = COMMENT;
      return true;
    }
    if (c == '}') {
      kinds[line] = CLOSE;
      return restIsSpace(t, i + 1, end);
    }
    int k = i;
    while (k < end && isKeyChar(t.charAt(k))) {
      k++;
    }
    if (k == i) {
      return false;
    }
    keys[line] = t.substring(i, k);
    int j = k;
    while (j < end && isSpace(t.charAt(j))) {
      j++;
    }
    if (j < end && t.charAt(j) == '{') {
      kinds[line] = OPEN;
      return restIsSpace(t, j + 1, end);
    }
    kinds[line] = FLAT;
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
