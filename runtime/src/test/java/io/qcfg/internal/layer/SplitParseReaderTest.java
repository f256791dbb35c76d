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
 * {@link SplitParse} through the file reader, as a reload reads a large base file that the edit
 * re-parse declines (here: lines added): the file is cut and gives the whole parse; broken in its
 * second half, its problem names the same file, line and reason as a first, whole parse's.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SplitParseReaderTest {
  @TempDir Path dir;

  @Test
  void aReloadGivesTheWholeParseAndTheWholeParsesProblem() throws Exception {
    Path file = dir.resolve("application.conf");
    String text = SplitParsePropertiesTest.nested(3_000);
    assertThat(SplitParse.partsFor(text.length())).isGreaterThanOrEqualTo(
        Runtime.getRuntime().availableProcessors() > 1 ? 2 : 1);
    assertThat(SplitParse.parse(text, 2, SplitParsePropertiesTest::parse) != null).isTrue();
    Config reloaded = reload(file, text);
    SplitParsePropertiesTest.assertSame(reloaded, ConfigFactory.parseString(text,
        ConfigParseOptions.defaults().setOriginDescription(Origins.display(file))));

    String[] lines = text.split("\n", -1);
    int broken = lines.length * 3 / 4;
    while (!lines[broken].contains("port = ")) {
      broken++;
    }
    lines[broken] = lines[broken].replace("port = ", "port = [1,");
    String bad = String.join("\n", lines);
    assertThat(SplitParse.parse(bad, 2, SplitParsePropertiesTest::parse) == null).isTrue();
    String split = catchThrowable(() -> reload(file, bad)).getMessage();
    String whole = catchThrowable(() ->
        new LayerFileReader(Limits.DEFAULT).read(file, dir.toRealPath())).getMessage();
    int line = ((ConfigException) catchThrowable(() -> SplitParsePropertiesTest.parse(bad)))
        .origin().lineNumber();
    assertThat(line).isGreaterThan(lines.length / 2);
    assertThat(split).isEqualTo(whole).contains(Origins.display(file) + ":" + line + ": ");
  }

  /** {@code text} read by a reader that read another version of the file first. */
  private Config reload(Path file, String text) throws Exception {
    LayerFileReader reader = new LayerFileReader(Limits.DEFAULT);
    Files.writeString(file, "a = 1\n");
    reader.read(file, dir.toRealPath());
    Files.writeString(file, text);
    return reader.read(file, dir.toRealPath()).config();
  }
}
