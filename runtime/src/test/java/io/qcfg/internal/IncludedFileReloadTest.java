package io.qcfg.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.qcfg.Qcfg;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 item 1: an edit of an included file was never applied (the parse cache was keyed by
 * the including file alone; reload answered "unchanged"). Included files are watched with the
 * directory and key the parse cache; an include that appears is noticed too.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IncludedFileReloadTest {
  @TempDir Path tmp;

  @AfterEach
  void stop() {
    Qcfg.stop();
  }

  @Test
  void editsOfAnIncludedFileAreApplied() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("config"));
    Files.writeString(dir.resolve("application.conf"), "include \"extra.conf\"\ninclude \"later\"\n");
    Files.writeString(dir.resolve("extra.conf"), "v = 1\n");
    Qcfg.start(Map.of("dir", dir.toString(), "state", tmp.resolve("state").toString(),
        "jmx", "false"));
    assertThat(Qcfg.current().getInt("v")).isEqualTo(1);

    Files.writeString(dir.resolve("extra.conf"), "v = 2\n");
    await().atMost(Duration.ofSeconds(10)).until(() -> Qcfg.current().getInt("v") == 2);
    assertThat(Qcfg.current().origin("v").orElseThrow().layer()).isEqualTo("base");

    Files.writeString(dir.resolve("later.conf"), "w = 3\n"); // an include that appears
    await().atMost(Duration.ofSeconds(10)).until(() -> Qcfg.current().hasPath("w"));
    assertThat(Qcfg.reload().getInt("w")).isEqualTo(3);
  }
}
