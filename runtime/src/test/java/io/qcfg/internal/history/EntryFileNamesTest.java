package io.qcfg.internal.history;

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
 * History's entry file names are read without a regular expression (issue 16: the class is
 * initialised before a restart's publish); {@link HistoryStore#versionOf} gives what the pattern
 * {@code (\d{19})\.json} it replaced gave.
 */
class EntryFileNamesTest {
  private static final Pattern ENTRY_FILE = Pattern.compile("(\\d{19})\\.json");

  static long byPattern(String name) {
    Matcher m = ENTRY_FILE.matcher(name);
    if (!m.matches()) {
      return 0;
    }
    try {
      return Long.parseLong(m.group(1));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  @Property(tries = 3000)
  void namesAreReadAsThePatternReadThem(@ForAll("names") String name) {
    assertThat(HistoryStore.versionOf(name)).as(name).isEqualTo(byPattern(name));
  }

  @Example
  void edges() {
    for (String name : new String[] {"0000000000000000001.json", "9223372036854775807.json",
        "9223372036854775808.json", "0000000000000000000.json", "000000000000000001.json",
        "00000000000000000001.json", "0000000000000000001.jsonx", "0000000000000000001.JSON",
        "000000000000000000\u0663.json", "+000000000000000001.json", "-000000000000000001.json",
        "0000000000000000001.json.tmp", ""}) {
      assertThat(HistoryStore.versionOf(name)).as(name).isEqualTo(byPattern(name));
    }
    assertThat(HistoryStore.versionOf(HistoryStore.fileName(42))).isEqualTo(42);
  }

  @Provide
  Arbitrary<String> names() {
    Arbitrary<String> digits = Arbitraries.strings().withChars("0123456789\u0663+-.")
        .ofMinLength(17).ofMaxLength(20);
    Arbitrary<String> suffix = Arbitraries.of(".json", ".jsonx", ".JSON", "json", ".json.tmp", "");
    return Arbitraries.oneOf(
        net.jqwik.api.Combinators.combine(digits, suffix).as(String::concat),
        Arbitraries.longs().between(0, Long.MAX_VALUE).map(HistoryStore::fileName),
        Arbitraries.strings().ofMaxLength(30));
  }
}
