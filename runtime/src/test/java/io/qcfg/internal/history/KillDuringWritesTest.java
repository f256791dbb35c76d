package io.qcfg.internal.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.qcfg.internal.audit.AuditEvent;
import io.qcfg.internal.audit.AuditLog;
import io.qcfg.internal.audit.AuditVerifier;
import io.qcfg.internal.log.Log;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Forks a JVM that writes history entries and audit lines as fast as it can, kills it with SIGKILL
 * at some moment, and checks that the state directory opens cleanly: every history entry readable,
 * versions contiguous, the audit chain intact after the repair open does.
 */
class KillDuringWritesTest {
  @TempDir Path state;
  private final ByteArrayOutputStream logged = new ByteArrayOutputStream();

  @AfterEach
  void restoreLog() {
    Log.redirect(System.err);
  }

  /** The child: appends until killed. */
  public static void main(String[] args) {
    Log.setLevel(Log.Level.OFF);
    Path state = Path.of(args[0]);
    HistoryStore history = HistoryStore.open(state, 20);
    AuditLog audit = AuditLog.open(state, 2048, 3);
    for (long v = history.lastVersion() + 1; ; v++) {
      history.append(HistoryStoreTest.entry(v));
      audit.append(
          AuditEvent.of(AuditEvent.Type.APPLIED, "qcfg", "file-change")
              .withVersions(v - 1, v)
              .withPaths(List.of("http.port")));
    }
  }

  @Test
  void aKilledWriterLeavesAStateDirectoryThatOpensCleanly() throws Exception {
    for (int round = 1; round <= 3; round++) {
      long target = HistoryStore.open(state, 20).lastVersion() + 5 + round;
      Path out = state.resolveSibling("child-" + round + ".out");
      Process child =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  KillDuringWritesTest.class.getName(),
                  state.toString())
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .start();
      try {
        // Watch without opening: open deletes temp files, and the child's are in flight.
        // Any file at or past the target: the writer keeps 20 and may prune the target file
        // itself between two polls when the machine is idle and it writes hundreds a second.
        Path historyDir = state.resolve("history");
        await().atMost(Duration.ofSeconds(60)).until(() -> newestVersion(historyDir) >= target);
        assertThat(child.isAlive()).as("the child still writes; see %s", out).isTrue();
      } finally {
        child.destroyForcibly(); // SIGKILL on Unix: no shutdown hooks, no flushing
        child.waitFor();
      }

      Log.redirect(new PrintStream(logged, true, StandardCharsets.UTF_8));
      HistoryStore history = HistoryStore.open(state, 20);
      List<HistoryEntry> entries = history.entries();
      assertThat(entries).isNotEmpty();
      for (int i = 1; i < entries.size(); i++) {
        assertThat(entries.get(i).version()).isEqualTo(entries.get(i - 1).version() + 1);
      }
      assertThat(entries.get(entries.size() - 1).version()).isEqualTo(history.lastVersion());
      assertThat(logged.toString(StandardCharsets.UTF_8)).doesNotContain("QCFG-4202");

      AuditLog.open(state, 2048, 3); // repairs a torn last line or a head one line behind
      assertThat(logged.toString(StandardCharsets.UTF_8))
          .doesNotContain("QCFG-4106", "QCFG-4107", "QCFG-4108");
      AuditVerifier.Result r = AuditVerifier.verify(state);
      assertThat(r.ok()).as(r.describe()).isTrue();
      Log.redirect(System.err);
    }
  }

  /** The highest version among the history files, or -1; never opens the store. */
  private static long newestVersion(Path historyDir) {
    try (var files = Files.list(historyDir)) {
      return files.map(f -> f.getFileName().toString())
          .filter(n -> n.matches("[0-9]+\\.json"))
          .mapToLong(n -> Long.parseLong(n.substring(0, n.length() - 5)))
          .max().orElse(-1);
    } catch (java.io.IOException | java.io.UncheckedIOException e) {
      return -1; // not there yet, or a file renamed while listed: poll again
    }
  }
}
