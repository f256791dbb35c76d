package io.qcfg.internal.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.qcfg.Qcfg;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * In a JVM whose default locale writes other digits (Arabic, Thai), {@code String.format("%019d")}
 * wrote them: history file names in Arabic-Indic digits and a version counter of '?' bytes, so
 * versions restarted. Numbers in the state directory are ASCII in every locale.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ForeignDigitsLocaleTest {
  @TempDir Path tmp;
  private final Locale before = Locale.getDefault();

  @AfterEach
  void restore() {
    Qcfg.stop();
    Locale.setDefault(before);
  }

  @Test
  void versionsAndFileNamesAreAsciiUnderAnArabicDefaultLocale() throws Exception {
    Locale.setDefault(Locale.forLanguageTag("ar-EG"));
    assertThat(String.format("%d", 5)).as("this JDK writes Arabic-Indic digits").isNotEqualTo("5");
    Path dir = tmp.resolve("config");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("application.conf"), "a = 1\n");
    Map<String, String> options = Map.of("dir", dir.toString(),
        "state", tmp.resolve("state").toString(), "watch", "false", "jmx", "false");
    Qcfg.start(options);
    Files.writeString(dir.resolve("application.conf"), "a = 2\n");
    assertThat(Qcfg.reload().version()).isEqualTo(2);
    Qcfg.stop();
    Files.writeString(dir.resolve("application.conf"), "a = 3\n");
    assertThat(Qcfg.start(options).version()).isEqualTo(3); // the counter was read back

    try (Stream<Path> files = Files.list(tmp.resolve("state/history"))) {
      List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
      assertThat(names).contains("0000000000000000001.json", "0000000000000000003.json")
          .allMatch(n -> n.chars().allMatch(c -> c < 0x80), "ASCII");
    }
    String counter = new String(Files.readAllBytes(tmp.resolve("state/version.counter")),
        StandardCharsets.ISO_8859_1);
    assertThat(counter).doesNotContain("?").contains("0000000000000000003 ");
  }
}
