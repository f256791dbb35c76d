package io.qcfg.internal.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.StreamReadConstraints;
import io.qcfg.Qcfg;
import io.qcfg.QcfgException;
import io.qcfg.Snapshot;
import io.qcfg.internal.engine.Engine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15: every applied version is in history, whatever its size; if history cannot hold it,
 * it is not applied. History's limits are Jackson's (strings of 20 M characters, nesting 1,000
 * deep); here a string limit of 100 characters stands for them (through {@link
 * EntryTree#useLimits}), so a candidate with a 101-character value goes through every build step
 * and only history cannot hold it. Before, such a version was applied and missing from history.
 * (A real 1,000-level tree is in {@link EntryTreeTest}; built by the engine it also risks the
 * applier's stack, which is QCFG-1512's case, not this one.)
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HistoryHoldsEveryVersionTest {
  @TempDir Path tmp;

  @BeforeEach
  void smallLimits() {
    EntryTree.useLimits(StreamReadConstraints.builder().maxStringLength(100).build());
  }

  @AfterEach
  void stop() {
    Qcfg.stop();
    EntryTree.useLimits(null);
  }

  Map<String, String> options() {
    return Map.of("dir", tmp.resolve("config").toString(),
        "state", tmp.resolve("state").toString(), "watch", "false", "jmx", "false");
  }

  void write(String text) throws Exception {
    Files.createDirectories(tmp.resolve("config"));
    Files.writeString(tmp.resolve("config/application.conf"), text);
  }

  long[] historyFileVersions() throws Exception {
    try (Stream<Path> files = Files.list(tmp.resolve("state/history"))) {
      return files.map(f -> f.getFileName().toString())
          .filter(n -> n.matches("\\d{19}\\.json"))
          .mapToLong(n -> Long.parseLong(n.substring(0, 19)))
          .sorted().toArray();
    }
  }

  @Test
  void aCandidateHistoryCannotHoldIsRejectedAndVersionsStayGapFree() throws Exception {
    write("app.port = 1\n");
    Qcfg.start(options());
    Engine e = Engine.require();

    write("app.port = 1\napp.banner = \"" + "x".repeat(101) + "\"\n");
    assertThatThrownBy(Qcfg::reload)
        .isInstanceOf(QcfgException.Invalid.class)
        .hasMessageContaining("QCFG-1515")
        .hasMessageContaining("application.conf:2")
        .hasMessageContaining("app.banner")
        .hasMessageContaining("a value is longer than history can keep (100 characters)");
    assertThat(Qcfg.current().version()).isEqualTo(1);
    assertThat(Qcfg.current().hasPath("app.banner")).isFalse();
    assertThat(e.status().lastReloadSuccessful()).isFalse();
    assertThat(e.status().rejectedCount()).isEqualTo(1);
    assertThat(e.status().lastError()).contains("QCFG-1515");
    assertThat(Files.readString(tmp.resolve("state/audit.log")))
        .contains("\"rejected\"").contains("QCFG-1515");

    // Nothing was reserved: the next applied version is 2, and history holds 1 and 2.
    write("app.port = 2\napp.banner = \"" + "x".repeat(100) + "\"\n");
    Snapshot s = Qcfg.reload();
    assertThat(s.version()).isEqualTo(2);
    assertThat(e.status().lastReloadSuccessful()).isTrue();
    assertThat(e.history()).extracting(HistoryEntry::version).containsExactly(1L, 2L);
    assertThat(historyFileVersions()).containsExactly(1L, 2L);

    // ...and history reads version 2 back: a restart on an invalid file falls back to it.
    Qcfg.stop();
    write("app.port = {\n");
    Snapshot fallback = Qcfg.start(options());
    assertThat(fallback.getInt("app.port")).isEqualTo(2);
    assertThat(fallback.getString("app.banner")).hasSize(100);
  }

  @Test
  void aFirstBuildHistoryCannotHoldFallsBackToHistory() throws Exception {
    write("app.port = 1\n");
    Qcfg.start(options());
    Qcfg.stop();

    write("app.port = 3\napp.banner = \"" + "x".repeat(101) + "\"\n");
    Snapshot s = Qcfg.start(options());
    assertThat(s.getInt("app.port")).isEqualTo(1);
    assertThat(s.version()).isEqualTo(1);
    assertThat(Engine.require().status().lastError()).contains("QCFG-1515");
    assertThat(historyFileVersions()).containsExactly(1L);
  }

  @Test
  void aDiskThatCannotBeWrittenStillAppliesTheVersion() throws Exception {
    write("app.port = 1\n");
    Qcfg.start(options());
    // The history directory turns into a file: every write fails, as root too (permissions
    // would not stop root).
    Path history = tmp.resolve("state/history");
    try (Stream<Path> files = Files.list(history)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Files.delete(f);
      }
    }
    Files.delete(history);
    Files.writeString(history, "not a directory");

    write("app.port = 2\n");
    assertThat(Qcfg.reload().version()).as("QCFG-4204 keeps today's behaviour").isEqualTo(2);
    assertThat(Engine.require().status().lastReloadSuccessful()).isTrue();
    assertThat(Engine.require().status().rejectedCount()).isZero();
  }
}
