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

  /**
   * The first start writes its start tree on a thread of its own beside history and audit: a JVM
   * that ends right after its first read must still leave the tree behind, whole, and the next
   * start is served from it (not rebuilt from history). 20,000 leaves make the tree's write long
   * enough to still run when main returns.
   */
  @Test
  void aShortLivedFirstStartLeavesItsStartTreeAndTheNextStartIsServedFromIt() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("config"));
    StringBuilder conf = new StringBuilder("s { int = 80, string = seven }\nbulk {\n");
    for (int i = 0; i < 20_000; i++) {
      conf.append("  k").append(i).append(" = \"value ").append(i).append("\"\n");
    }
    Files.writeString(dir.resolve("application.conf"), conf.append("}\n"));
    Path state = tmp.resolve("state");
    String options = "dir=" + dir + ",state=" + state + ",env=development,jmx=false";
    try (AppJvm first = AppJvm.start(options, List.of(), "app.FirstUse")) {
      assertThat(first.awaitExit()).isZero();
      assertThat(first.stdout()).contains("value=seven");
    }
    assertThat(state.resolve("start-tree")).isRegularFile();
    try (Stream<Path> files = Files.list(state)) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
    }
    try (AppJvm second = AppJvm.start(options + ",trace=startup", List.of(), "app.FirstUse")) {
      assertThat(second.awaitExit()).isZero();
      assertThat(second.stdout()).contains("value=seven");
      String err = String.join("\n", second.stderr());
      assertThat(err).contains("fast path: start tree (secrets known, fields checked)")
          .doesNotContain("QCFG-1535").doesNotContain("rebuilt from history");
    }
  }
}
