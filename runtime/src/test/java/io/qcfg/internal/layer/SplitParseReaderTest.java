package io.qcfg.internal.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link SplitParse}'s entry point with a layer file's options, as a reader would call it: a large
 * file is cut and gives the whole parse; broken in its second half, it fails with the whole
 * parse's exception, naming the same file and line in the same words.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SplitParseReaderTest {
  private static final ConfigParseOptions LAYER = ConfigParseOptions.defaults()
      .setSyntax(ConfigSyntax.CONF).setOriginDescription("config/application.conf")
      .setAllowMissing(false);

  @Test
  void theWholeParseAndTheWholeParsesProblem() {
    String text = SplitParsePropertiesTest.nested(3_000);
    assertThat(SplitParse.partsFor(text.length())).isGreaterThanOrEqualTo(
        Runtime.getRuntime().availableProcessors() > 1 ? 2 : 1);
    assertThat(SplitParse.parse(text, 2, SplitParsePropertiesTest::parse) != null).isTrue();
    Config split = SplitParse.parse(text, 2, LAYER);
    SplitParsePropertiesTest.assertSame(split, UnsyncStringReader.parse(text, LAYER));

    String[] lines = text.split("\n", -1);
    int broken = lines.length * 3 / 4;
    while (!lines[broken].contains("port = ")) {
      broken++;
    }
    lines[broken] = lines[broken].replace("port = ", "port = [1,");
    String bad = String.join("\n", lines);
    assertThat(SplitParse.parse(bad, 2, SplitParsePropertiesTest::parse) == null).isTrue();
    ConfigException inParts =
        (ConfigException) catchThrowable(() -> SplitParse.parse(bad, 2, LAYER));
    ConfigException whole =
        (ConfigException) catchThrowable(() -> UnsyncStringReader.parse(bad, LAYER));
    assertThat(inParts.getMessage()).isEqualTo(whole.getMessage())
        .startsWith("config/application.conf: " + whole.origin().lineNumber() + ": ");
    assertThat(inParts.origin().lineNumber()).isEqualTo(whole.origin().lineNumber())
        .isGreaterThan(lines.length / 2);
  }
}
