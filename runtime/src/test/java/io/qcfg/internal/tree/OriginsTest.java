package io.qcfg.internal.tree;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Differential (issue 19): {@link Origins#withoutLineSuffix} against the regular expression it
 * replaced, on random descriptions made of file-name characters, digits (ASCII and others),
 * colons and spaces.
 */
class OriginsTest {
  private static final Pattern LINE_SUFFIX = Pattern.compile("^(.*?): (\\d+)$");

  @Property(tries = 5000)
  void sameAsTheRegularExpression(@ForAll("descriptions") String d) {
    Matcher m = LINE_SUFFIX.matcher(d);
    assertThat(Origins.withoutLineSuffix(d)).isEqualTo(m.matches() ? m.group(1) : d);
  }

  @Example
  void examples() {
    assertThat(Origins.withoutLineSuffix("config/a.conf: 12")).isEqualTo("config/a.conf");
    assertThat(Origins.withoutLineSuffix("merge of a.conf: 1,b.conf: 2")).isEqualTo(
        "merge of a.conf: 1,b.conf");
    assertThat(Origins.withoutLineSuffix("env variables")).isEqualTo("env variables");
    assertThat(Origins.withoutLineSuffix("a: ")).isEqualTo("a: ");
  }

  @Provide
  Arbitrary<String> descriptions() {
    return Arbitraries.strings().withChars("ab/.: 019\u0663,-").ofMaxLength(16);
  }
}
