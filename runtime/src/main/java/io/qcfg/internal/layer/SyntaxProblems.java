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
    HoconScanner scan = new HoconScanner(text);
    for (int c = scan.next(); c != HoconScanner.END; c = scan.next()) {
      switch (c) {
        case '{', '[' -> stack.push(new Open((char) c, scan.line(),
            keyBefore(text, scan.keyStart(), scan.position())));
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

  /**
   * {@code db.pool} from {@code "  db.pool = {"}; "" for a bracket inside a list or alone. By
   * index, without a substring per step: the structure scan asks it for every {@code =} of a file.
   */
  static String keyBefore(String text, int lineStart, int bracket) {
    int s = skipSpace(text, lineStart, bracket);
    int e = trimEnd(text, s, bracket);
    if (e - s >= 2 && text.charAt(e - 2) == '+' && text.charAt(e - 1) == '=') {
      e = trimEnd(text, s, e - 2);
    } else if (e > s && (text.charAt(e - 1) == '=' || text.charAt(e - 1) == ':')) {
      e = trimEnd(text, s, e - 1);
    }
    for (int i = e - 1; i >= s; i--) {
      char c = text.charAt(i);
      if (c == '{' || c == ',' || c == '[') {
        s = i + 1;
        break;
      }
    }
    s = skipSpace(text, s, e);
    e = trimEnd(text, s, e);
    if (s >= e) {
      return "";
    }
    for (int i = s; i < e; i++) { // a key: letters, digits, _ . " - only
      char c = text.charAt(i);
      if (!(Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '"' || c == '-')) {
        return "";
      }
    }
    return text.substring(s, e);
  }

  private static int skipSpace(String text, int from, int to) {
    while (from < to && Character.isWhitespace(text.charAt(from))) {
      from++;
    }
    return from;
  }

  private static int trimEnd(String text, int from, int to) {
    while (to > from && Character.isWhitespace(text.charAt(to - 1))) {
      to--;
    }
    return to;
  }
}
