package io.qcfg.internal.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Escapes as {@code String.format("\\u%04x")} wrote them, for every char. */
@Timeout(30)
class JsonTextTest {
  @Test
  void everyCharIsEscapedAsBefore() {
    for (int c = 0; c <= 0xFFFF; c++) {
      StringBuilder sb = new StringBuilder();
      JsonText.quote(sb, String.valueOf((char) c));
      String inner = sb.substring(1, sb.length() - 1);
      if (inner.startsWith("\\u")) {
        assertThat(inner).isEqualTo(String.format(Locale.ROOT, "\\u%04x", c));
      } else {
        assertThat(inner.length()).as("%x", c).isLessThanOrEqualTo(2);
      }
    }
  }
}
