package io.qcfg.internal.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** Differential: the text is what {@code Properties.store} writes, and {@code load} reads it back. */
class PropertiesTextTest {

  @Property(tries = 500)
  void oneEntryIsTheLineThatPropertiesStoreWrites(@ForAll String key, @ForAll String value)
      throws Exception {
    Properties p = new Properties();
    p.setProperty(key, value);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    p.store(out, null); // a date comment line, then the entry
    String stored = out.toString(StandardCharsets.ISO_8859_1);
    String entry = stored.substring(stored.indexOf('\n') + 1).replace(System.lineSeparator(), "\n");
    assertThat(PropertiesText.render(null, Map.of(key, value))).isEqualTo(entry);
  }

  @Property(tries = 500)
  void loadReadsBackEveryKeyAndValue(@ForAll String k1, @ForAll String v1, @ForAll String v2)
      throws Exception {
    Map<String, String> entries = new java.util.LinkedHashMap<>();
    entries.put(k1, v1);
    entries.put(k1 + "x", v2);
    Properties p = new Properties();
    p.load(new StringReader(PropertiesText.render("a comment", entries)));
    assertThat(p).containsExactlyInAnyOrderEntriesOf(entries);
  }

  @Example
  void theOutputIsAsciiWithUnicodeEscapes() {
    assertThat(PropertiesText.render("c: d", Map.of("d:\\x y", "é\u2028 \t")))
        .isEqualTo("#c: d\nd\\:\\\\x\\ y=\\u00E9\\u2028 \\t\n");
  }
}
