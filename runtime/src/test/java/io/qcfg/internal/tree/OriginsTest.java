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

  /**
   * {@link Origins#fileOf} takes a one-line origin's file without building its description (issue
   * 16): for every origin, that of a line, of none, of a range of lines (an object over several)
   * or of a merge (an object from two files), it is the description without its line suffix.
   */
  @Property(tries = 500)
  void theFileOfAnOriginIsItsDescriptionWithoutTheLine(@ForAll("descriptions") String d,
      @ForAll @net.jqwik.api.constraints.IntRange(min = -1, max = 100_000) int line) {
    var plain = com.typesafe.config.ConfigOriginFactory.newSimple(d);
    for (var o : java.util.List.of(plain, plain.withLineNumber(line))) {
      assertThat(Origins.fileOf(o)).isEqualTo(Origins.withoutLineSuffix(o.description()));
    }
    var options = com.typesafe.config.ConfigParseOptions.defaults().setOriginDescription(d);
    var one = com.typesafe.config.ConfigFactory.parseString("a {\n b = 1\n c = [2,\n 3]\n}\n"
        + "d = x\na { f = 5 }\n", options); // a twice in one file: an object over lines 1-6
    var two = com.typesafe.config.ConfigFactory.parseString("a.e = 4\n", options
        .setOriginDescription(d + "2"));
    java.util.List<String> described = new java.util.ArrayList<>();
    for (var tree : java.util.List.of(one, one.withFallback(two))) {
      walk(tree.root(), o -> {
        described.add(o.description());
        assertThat(Origins.fileOf(o)).as(o.description())
            .isEqualTo(Origins.withoutLineSuffix(o.description()));
      });
    }
    assertThat(described).anyMatch(x -> x.matches(".*: \\d+-\\d+")); // a range of lines
    assertThat(described).anyMatch(x -> x.startsWith("merge of ")); // an object of two files
  }

  private static void walk(com.typesafe.config.ConfigValue v,
      java.util.function.Consumer<com.typesafe.config.ConfigOrigin> each) {
    each.accept(v.origin());
    if (v instanceof com.typesafe.config.ConfigObject o) {
      o.values().forEach(c -> walk(c, each));
    } else if (v instanceof com.typesafe.config.ConfigList l) {
      l.forEach(c -> walk(c, each));
    }
  }

  @Provide
  Arbitrary<String> descriptions() {
    return Arbitraries.strings().withChars("ab/.: 019\u0663,-").ofMaxLength(16);
  }
}
