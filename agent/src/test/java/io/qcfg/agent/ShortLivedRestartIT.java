package io.qcfg.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16: readers go on as soon as the first snapshot is published, before history and audit
 * are written. An application that reads one value and ends at once must still leave its version
 * recorded, so that restarts on unchanged files keep one version (without the exit wait, each
 * start found the last one unrecorded: a new version and a "recovered" audit line every time).
 */
@Timeout(300)
class ShortLivedRestartIT {
  @TempDir Path tmp;

  @Test
  void fiveShortLivedStartsOnUnchangedFilesKeepOneVersionAndAuditFiveStarts() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("config"));
    Files.writeString(dir.resolve("application.conf"), "s { int = 80, string = seven }\n");
    Path state = tmp.resolve("state");
    for (int i = 0; i < 5; i++) {
      try (AppJvm app = AppJvm.start("dir=" + dir + ",state=" + state + ",env=development,jmx=false",
          List.of(), "app.FirstUse")) {
        assertThat(app.awaitExit()).isZero();
        assertThat(app.stdout()).contains("value=seven");
        assertThat(String.join("\n", app.stderr())).doesNotContain("QCFG-4121");
      }
    }
    try (Stream<Path> files = Files.list(state.resolve("history"))) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactly("0000000000000000001.json");
    }
    List<String> audit = Files.readAllLines(state.resolve("audit.log"));
    assertThat(audit).filteredOn(l -> l.contains("\"event\":\"startup\"")).hasSize(5)
        .allMatch(l -> l.contains("\"version\":1"));
    assertThat(audit).noneMatch(l -> l.contains("version-recovered"));
  }
}
