package io.qcfg.internal.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.impl.ConfigImplUtil;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The checksum's canonical strings are Typesafe's: {@link TreeValues#appendJsonString} gives
 * exactly what {@code ConfigImplUtil.renderJsonString} gives (a change would change every
 * checksum, and so every version after an upgrade).
 */
class TreeValuesJsonStringTest {
  @Property(tries = 5000)
  void itRendersAsTypesafeRenders(@ForAll("strings") String s) {
    assertThat(TreeValues.jsonString(s)).isEqualTo(ConfigImplUtil.renderJsonString(s));
  }

  @Example
  void edges() {
    for (String s : new String[] {"", "plain", "a\"b", "a\\b", "\n", "\u0000", "\u001f", "\u007f",
        "\u0080", "\u2028", "é😀", "\ud800", "tab\there", "end\\"}) {
      assertThat(TreeValues.jsonString(s)).as(s).isEqualTo(ConfigImplUtil.renderJsonString(s));
      StringBuilder sb = new StringBuilder("x");
      TreeValues.appendJsonString(sb, s);
      assertThat(sb.toString()).isEqualTo("x" + ConfigImplUtil.renderJsonString(s));
    }
  }

  @Provide
  Arbitrary<String> strings() {
    return Arbitraries.oneOf(
        Arbitraries.strings().all().ofMaxLength(12),
        Arbitraries.strings().withCharRange('\u0000', '\u0080').ofMaxLength(12),
        Arbitraries.strings().alpha().numeric().withChars("-_.\"\\ ").ofMaxLength(20));
  }
}
