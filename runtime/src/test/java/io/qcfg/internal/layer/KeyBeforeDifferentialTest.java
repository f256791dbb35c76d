package io.qcfg.internal.layer;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Differential (issue 19): {@link SyntaxProblems#keyBefore}, now by index, against the substring
 * version it replaced (kept below), on random lines made of key characters, spaces, tabs, the
 * separators and brackets HOCON has, and a few others, at every start and end in them.
 */
class KeyBeforeDifferentialTest {
  @Property(tries = 3000)
  void sameKeyAsTheSubstringVersion(@ForAll("lines") String line) {
    for (int start = 0; start <= line.length(); start++) {
      for (int end = start; end <= line.length(); end++) {
        assertThat(SyntaxProblems.keyBefore(line, start, end)).as("[%d, %d) of <%s>", start, end,
            line).isEqualTo(keyBeforeBySubstrings(line, start, end));
      }
    }
  }

  @Provide
  Arbitrary<String> lines() {
    return Arbitraries.strings().withChars("ab1_.\"- \t\u00a0\u2003={}[],:+#$é").ofMaxLength(14);
  }

  /** The substring version {@link SyntaxProblems#keyBefore} had before. */
  static String keyBeforeBySubstrings(String text, int lineStart, int bracket) {
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
    for (int i = 0; i < before.length(); i++) {
      char c = before.charAt(i);
      if (!(Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '"' || c == '-')) {
        return "";
      }
    }
    return before;
  }
}
