package io.qcfg.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.qcfg.Qcfg;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A start-up's audit line says how many settings it started with, not which: to a fresh JVM
 * every path is new, and listing them all made each restart's line 30 KB at 1,000 settings and
 * 300 KB at 10,000. An applied change still names the paths it changed.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StartupAuditLineTest {
  @TempDir Path tmp;

  @AfterEach
  void stop() {
    Qcfg.stop();
  }

  @Test
  void startUpLinesCountThePathsAndChangesNameThem() throws Exception {
    Path dir = tmp.resolve("config");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("application.conf"), "a = 1\nb { c = x, d = [1, 2] }\n");
    Map<String, String> options = Map.of("dir", dir.toString(),
        "state", tmp.resolve("state").toString(), "watch", "false", "jmx", "false");
    Qcfg.start(options);
    Files.writeString(dir.resolve("application.conf"), "a = 2\nb { c = x, d = [1, 2] }\n");
    assertThat(Qcfg.reload().version()).isEqualTo(2);
    Qcfg.stop();
    Qcfg.start(options); // a restart on the same files: the same version, one more start-up line
    Qcfg.stop();

    List<String> lines = Files.readAllLines(tmp.resolve("state/audit.log"));
    List<String> startUps = lines.stream().filter(l -> l.contains("\"event\":\"startup\"")).toList();
    assertThat(startUps).hasSize(2).allSatisfy(l -> assertThat(l)
        .contains("\"paths\":\"3\"").doesNotContain("\"paths\":["));
    assertThat(lines).filteredOn(l -> l.contains("\"event\":\"applied\""))
        .singleElement().asString().contains("\"paths\":[\"a\"]");
  }
}
