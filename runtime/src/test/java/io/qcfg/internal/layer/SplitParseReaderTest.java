package io.qcfg.internal.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import io.qcfg.internal.tree.Origins;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SplitParse} through the file reader, as a build reads a large base file: the file is cut
 * and gives the whole parse; broken in its second half, its problem names the same file, line
 * and reason as the whole parse's (the same text with a last line that forbids cutting).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SplitParseReaderTest {
  @TempDir Path dir;

  @Test
  void theReaderGivesTheWholeParseAndTheWholeParsesProblem() throws Exception {
    Path file = dir.resolve("application.conf");
    String text = SplitParsePropertiesTest.nested(3_000);
    assertThat(SplitParse.partsFor(text.length())).isGreaterThanOrEqualTo(
        Runtime.getRuntime().availableProcessors() > 1 ? 2 : 1);
    Files.writeString(file, text);
    Config read = new LayerFileReader(Limits.DEFAULT).read(file, dir.toRealPath()).config();
    SplitParsePropertiesTest.assertSame(read, ConfigFactory.parseString(text,
        ConfigParseOptions.defaults().setOriginDescription(Origins.display(file))));

    String[] lines = text.split("\n", -1);
    int broken = lines.length * 3 / 4;
    while (!lines[broken].contains("port = ")) {
      broken++;
    }
    lines[broken] = lines[broken].replace("port = ", "port = [1,");
    String bad = String.join("\n", lines);
    assertThat(SplitParse.parse(text, 2, SplitParsePropertiesTest::parse) != null).isTrue();
    assertThat(SplitParse.parse(bad, 2, SplitParsePropertiesTest::parse) == null).isTrue();
    Files.writeString(file, bad);
    String split = catchThrowable(() ->
        new LayerFileReader(Limits.DEFAULT).read(file, dir.toRealPath())).getMessage();
    Files.writeString(file, bad + "\n# \"\"\" (not cut)\n");
    String whole = catchThrowable(() ->
        new LayerFileReader(Limits.DEFAULT).read(file, dir.toRealPath())).getMessage();
    int line = ((ConfigException) catchThrowable(() -> SplitParsePropertiesTest.parse(bad)))
        .origin().lineNumber();
    assertThat(line).isGreaterThan(lines.length / 2);
    assertThat(split).isEqualTo(whole).contains(Origins.display(file) + ":" + line + ": ");
  }
}
