package io.qcfg.internal.layer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What the pre-parse limits and the syntax-error wording both see of a HOCON text. */
@Timeout(10)
class HoconScannerTest {
  /** Each stop as {@code char@line:key}. */
  static List<String> stops(String text) {
    List<String> out = new ArrayList<>();
    HoconScanner s = new HoconScanner(text);
    for (int c = s.next(); c != HoconScanner.END; c = s.next()) {
      boolean keyed = c == '{' || c == '[' || c == '=' || c == ':';
      String key = !keyed ? "" : SyntaxProblems.keyBefore(text, s.keyStart(),
          s.isAppend() ? s.position() - 1 : s.position());
      out.add((char) c + "@" + s.line() + ":" + key + (s.isAppend() ? "+" : ""));
    }
    return out;
  }

  @Test
  void stringsCommentsAndSubstitutionsAreNotStructure() {
    String text = """
        a.b { # { not an object
          c = "} not a close, \\" still the string {"
          d = ${a.b.c}x // ${not} [ counted
          e = \"\"\"multi { line
        ] text\"\"\"
          f += [1, 2]
        }
        """;
    assertThat(stops(text)).containsExactly(
        "{@1:a.b", "=@2:c", "=@3:d", "$@3:", "=@4:e", "=@6:f+", "[@6:f", ",@6:", "]@6:",
        "}@7:");
  }

  @Test
  void anUnclosedStringOrCommentEndsTheScanWithoutError() {
    assertThat(stops("a = \"open\nb { c = 1")).containsExactly("=@1:a", "{@2:b", "=@2:c");
    assertThat(stops("a = \"\"\"never closed { [")).containsExactly("=@1:a");
    assertThat(stops("# only a comment {")).isEmpty();
    assertThat(stops("x = ${unterminated")).containsExactly("=@1:x", "$@1:");
  }
}
