package io.qcfg.internal.layer;

/**
 * A rough scan of HOCON text for its structure, before or beside Typesafe's parser: it steps over
 * quoted and triple-quoted strings, comments and {@code ${...}} substitutions, counts lines, and
 * stops at each character that shapes the tree ({@code { [ } ] , = :}) and at each substitution
 * ({@code $}). It does not judge syntax; it serves the pre-parse limits ({@link LayerFileReader})
 * and the wording of syntax errors ({@link SyntaxProblems}), which must agree on what is a string
 * and what is a bracket.
 *
 * <p>{@link #keyStart()} is where the key before the current character may start: after the last
 * line break or {@code { [ } ] ,}; {@link SyntaxProblems#keyBefore} reads the key from there.
 */
final class HoconScanner {
  /** What {@link #next()} returns at the end of the text. */
  static final int END = -1;

  private final String text;
  private final int n;
  private int i = -1;
  private int line = 1;
  private int keyStart;
  private boolean keyStartsAfterCurrent;

  HoconScanner(String text) {
    this.text = text;
    this.n = text.length();
  }

  /** The next structural character, {@code '$'} for a whole {@code ${...}}, or {@link #END}. */
  int next() {
    if (keyStartsAfterCurrent) {
      keyStart = i + 1;
      keyStartsAfterCurrent = false;
    }
    for (i++; i < n; i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\n' -> newLine(i);
        case '"' -> skipString();
        case '#' -> i = endOfLine(i);
        case '/' -> {
          if (i + 1 < n && text.charAt(i + 1) == '/') {
            i = endOfLine(i);
          }
        }
        case '$' -> {
          if (i + 1 < n && text.charAt(i + 1) == '{') {
            int close = text.indexOf('}', i);
            i = close < 0 ? n : close; // ${a.b} is a path, not a key or a nesting
            return '$';
          }
        }
        case '{', '[', '}', ']', ',' -> {
          keyStartsAfterCurrent = true;
          return c;
        }
        case '=', ':' -> {
          return c;
        }
        default -> {}
      }
    }
    return END;
  }

  /** Where the current character is (for a substitution: its closing brace). */
  int position() {
    return i;
  }

  /** The line of the current character, from 1. */
  int line() {
    return line;
  }

  /** Where the key before the current character may start. */
  int keyStart() {
    return keyStart;
  }

  /** Whether the current {@code =} is the end of {@code +=}. */
  boolean isAppend() {
    return i > 0 && i < n && text.charAt(i) == '=' && text.charAt(i - 1) == '+';
  }

  private void newLine(int at) {
    line++;
    keyStart = at + 1;
  }

  private void skipString() {
    if (text.startsWith("\"\"\"", i)) {
      int end = text.indexOf("\"\"\"", i + 3);
      end = end < 0 ? n : end;
      for (int k = i; k < end; k++) {
        if (text.charAt(k) == '\n') {
          newLine(k);
        }
      }
      i = end + 2;
      return;
    }
    i++;
    while (i < n && text.charAt(i) != '"' && text.charAt(i) != '\n') {
      i += text.charAt(i) == '\\' ? 2 : 1;
    }
    if (i < n && text.charAt(i) == '\n') {
      newLine(i);
    }
  }

  private int endOfLine(int from) {
    int eol = text.indexOf('\n', from);
    return eol < 0 ? n : eol - 1;
  }
}
