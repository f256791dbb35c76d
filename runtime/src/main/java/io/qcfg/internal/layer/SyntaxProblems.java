package io.qcfg.internal.layer;

import com.typesafe.config.ConfigException;
import io.qcfg.Problem;
import io.qcfg.internal.crypto.ForeignText;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * HOCON syntax errors in words a person can act on. Typesafe reports a missing {@code }} at the
 * end of the file ("expecting a close parentheses ')' here, not: end of file"); the useful facts
 * are where the unclosed object starts and which path it belongs to, found here by a scan of the
 * text that skips strings and comments.
 */
final class SyntaxProblems {
  private SyntaxProblems() {}

  /** One unclosed bracket: its line, and the key text before it ({@code db.pool}), or "". */
  record Open(char bracket, int line, String key) {}

  /**
   * The problem for a parse failure of {@code text}: QCFG-1006 with Typesafe's location, or, when
   * an object or list is still open at the end of the file, QCFG-1023 at its opening line.
   */
  static Problem problem(ConfigException e, String display, String text) {
    Problem base = ForeignText.problem("QCFG-1006", e, display);
    String msg = e.getMessage() == null ? "" : e.getMessage();
    if (!msg.contains("end of file")) {
      return base;
    }
    List<Open> open = unclosed(text);
    if (open.isEmpty()) {
      return base;
    }
    Open innermost = open.get(open.size() - 1);
    List<String> keys = new ArrayList<>();
    for (Open o : open) {
      if (!o.key().isEmpty()) {
        keys.add(o.key());
      }
    }
    String path = String.join(".", keys);
    String what = innermost.bracket() == '{' ? "object" : "list";
    String close = innermost.bracket() == '{' ? "}" : "]";
    return new Problem("QCFG-1023", display + ":" + innermost.line(), path,
        "the " + what + (path.isEmpty() ? "" : " '" + path + "'") + " that starts on line "
            + innermost.line() + " is never closed: a '" + close + "' is missing before the end"
            + " of the file");
  }

  /** The brackets still open at the end of {@code text}, outermost first. */
  static List<Open> unclosed(String text) {
    Deque<Open> stack = new ArrayDeque<>();
    int line = 1;
    int lineStart = 0;
    int n = text.length();
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\n' -> {
          line++;
          lineStart = i + 1;
        }
        case '"' -> {
          if (text.startsWith("\"\"\"", i)) {
            int end = text.indexOf("\"\"\"", i + 3);
            end = end < 0 ? n : end;
            for (int k = i; k < end; k++) {
              if (text.charAt(k) == '\n') {
                line++;
                lineStart = k + 1;
              }
            }
            i = end + 2;
          } else {
            i++;
            while (i < n && text.charAt(i) != '"' && text.charAt(i) != '\n') {
              i += text.charAt(i) == '\\' ? 2 : 1;
            }
            if (i < n && text.charAt(i) == '\n') {
              line++;
              lineStart = i + 1;
            }
          }
        }
        case '#' -> i = eol(text, i);
        case '/' -> {
          if (i + 1 < n && text.charAt(i + 1) == '/') {
            i = eol(text, i);
          }
        }
        case '{', '[' -> {
          if (c == '{' && i > 0 && text.charAt(i - 1) == '$') {
            int end = text.indexOf('}', i);
            i = end < 0 ? n : end; // ${...} is a substitution, not an object
          } else {
            stack.push(new Open(c, line, keyBefore(text, lineStart, i)));
          }
        }
        case '}', ']' -> {
          if (!stack.isEmpty()) {
            stack.pop();
          }
        }
        default -> {}
      }
    }
    List<Open> out = new ArrayList<>(stack);
    java.util.Collections.reverse(out);
    return out;
  }

  /** {@code db.pool} from {@code "  db.pool = {"}; "" for a bracket inside a list or alone. */
  static String keyBefore(String text, int lineStart, int bracket) {
    String before = text.substring(lineStart, bracket).strip();
    if (before.endsWith("+=")) {
      before = before.substring(0, before.length() - 2).strip();
    } else if (before.endsWith("=") || before.endsWith(":")) {
      before = before.substring(0, before.length() - 1).strip();
    }
    int cut = Math.max(before.lastIndexOf('{'), Math.max(before.lastIndexOf(','),
        before.lastIndexOf('[')));
    before = before.substring(cut + 1).strip();
    if (before.isEmpty()) {
      return "";
    }
    for (int i = 0; i < before.length(); i++) { // a key: letters, digits, _ . " - only
      char c = before.charAt(i);
      if (!(Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '"' || c == '-')) {
        return "";
      }
    }
    return before;
  }

  private static int eol(String text, int i) {
    int eol = text.indexOf('\n', i);
    return eol < 0 ? text.length() : eol - 1;
  }
}
