package io.qcfg.internal.tree;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ConfigPathsTest {

  /** The ASCII shortcut of {@link ConfigPaths#quote} against its definition, for every char. */
  @Test
  @Timeout(30)
  void quotesAKeyWhereCharacterSaysItIsNoLetterOrDigitForEveryChar() {
    for (char c = 0; c < Character.MAX_VALUE; c++) {
      String key = "a" + c + "b";
      boolean plain = Character.isLetterOrDigit(c) || c == '-' || c == '_';
      assertThat(ConfigPaths.quote(key)).as("char %d", (int) c)
          .isEqualTo(plain ? key : ConfigUtil.quoteString(key));
    }
    assertThat(ConfigPaths.quote("")).isEqualTo("\"\"");
    assertThat(ConfigPaths.quote("max-connections_2")).isEqualTo("max-connections_2");
  }
}
