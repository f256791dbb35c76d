package io.qcfg.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.qcfg.Qcfg;
import io.qcfg.Snapshot;
import io.qcfg.internal.audit.AuditVerifier;
import io.qcfg.internal.engine.Engine;
import io.qcfg.internal.history.VersionCounter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The state directory: versions never repeat (issue 15 item 9), one owner (item 10), one
 * configuration directory (item 11), and an unchanged restart is not a new version (issue 16
 * item 4).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StateDirOwnershipTest {
  @TempDir Path tmp;

  Snapshot start(Path config, Path state) {
    return Qcfg.start(Map.of("dir", config.toString(), "state", state.toString(),
        "watch", "false", "jmx", "false"));
  }

  Snapshot start() {
    return start(tmp.resolve("config"), tmp.resolve("state"));
  }

  void write(String file, String text) throws Exception {
    Path p = tmp.resolve("config").resolve(file);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
  }

  @AfterEach
  void stop() {
    Qcfg.stop();
  }

  List<String> auditLines() throws Exception {
    return Files.readAllLines(tmp.resolve("state/audit.log"), StandardCharsets.UTF_8);
  }

  @Test
  void fiveRestartsOnUnchangedFilesKeepOneVersionAndOneHistoryEntry() throws Exception {
    write("application.conf", "a = 1\n");
    for (int i = 0; i < 5; i++) {
      assertThat(start().version()).isEqualTo(1);
      Qcfg.stop();
    }
    try (Stream<Path> files = Files.list(tmp.resolve("state/history"))) {
      assertThat(files.count()).isEqualTo(1);
    }
    assertThat(auditLines()).filteredOn(l -> l.contains("\"event\":\"startup\"")).hasSize(5)
        .allMatch(l -> l.contains("\"version\":1"));
    // A real change is the next version.
    write("application.conf", "a = 2\n");
    assertThat(start().version()).isEqualTo(2);
    assertThat(AuditVerifier.verify(tmp.resolve("state")).ok()).isTrue();
  }

  @Test
  void fiveJvmRestartsOnUnchangedFilesKeepOneVersion() throws Exception {
    write("application.conf", "a = 7\n");
    for (int i = 0; i < 5; i++) {
      assertThat(runSecondJvm()).contains("version=1 a=7");
    }
    try (Stream<Path> files = Files.list(tmp.resolve("state/history"))) {
      assertThat(files.count()).isEqualTo(1);
    }
    assertThat(auditLines()).filteredOn(l -> l.contains("\"event\":\"startup\"")).hasSize(5);
  }

  @Test
  void versionsContinueFromTheMaximumAfterHistoryIsLost() throws Exception {
    write("application.conf", "a = 1\n");
    start();
    for (int i = 2; i <= 4; i++) {
      write("application.conf", "a = " + i + "\n");
      Qcfg.reload();
    }
    assertThat(Qcfg.current().version()).isEqualTo(4);
    Qcfg.stop();
    deleteTree(tmp.resolve("state/history"));
    assertThat(start().version()).as("history deleted: the counter remembers").isEqualTo(5);
    Qcfg.stop();
    deleteTree(tmp.resolve("state/history"));
    Files.delete(tmp.resolve("state").resolve(VersionCounter.FILE));
    write("application.conf", "a = 6\n");
    assertThat(start().version()).as("history and counter deleted: the audit log remembers")
        .isEqualTo(6);
    Qcfg.stop();
    write("application.conf", "a = 1\n"); // the content of version 1 again: still a new number
    assertThat(start().version()).isEqualTo(7);
    assertThat(VersionCounter.read(tmp.resolve("state"))).isEqualTo(7);
  }

  @Test
  void aStateDirectoryOfAnotherConfigurationDirectoryIsNeverUsed() throws Exception {
    Path other = tmp.resolve("other-config");
    Files.createDirectories(other);
    Files.writeString(other.resolve("application.conf"), "db.url = \"jdbc:other\"\n");
    start(other, tmp.resolve("state"));
    Qcfg.stop();
    // This configuration is invalid: without its own history there is nothing to fall back to.
    write("application.conf", "db.url = {\n");
    assertThat(org.assertj.core.api.Assertions.catchThrowable(this::start))
        .isInstanceOf(io.qcfg.QcfgException.Invalid.class);
    write("application.conf", "db.url = \"jdbc:mine\"\n");
    Snapshot s = start();
    assertThat(s.getString("db.url")).isEqualTo("jdbc:mine");
    assertThat(Engine.require().status().lastError()).contains("QCFG-4209").contains("other-config");
    assertThat(Engine.require().history()).isEmpty();
    assertThat(Files.readString(tmp.resolve("state/state.properties")))
        .contains("other-config").doesNotContain("config/application");
  }

  void applyFourVersions() throws Exception {
    write("application.conf", "a = 1\n");
    start();
    for (int i = 2; i <= 4; i++) {
      write("application.conf", "a = " + i + "\n");
      Qcfg.reload();
    }
    Qcfg.stop();
  }

  void cutAuditLines(int n) throws Exception {
    Path log = tmp.resolve("state/audit.log");
    List<String> lines = auditLines();
    Files.write(log, lines.subList(0, lines.size() - n));
    Files.delete(tmp.resolve("state/audit.head"));
  }

  @Test
  void auditLinesCutOffTheEndWithTheHeadAreReportedAfterARestart() throws Exception {
    applyFourVersions();
    cutAuditLines(2);
    assertThat(start().version()).isEqualTo(4);
    AuditVerifier.Result r = AuditVerifier.verify(tmp.resolve("state"));
    assertThat(r.ok()).as(r.describe()).isFalse();
    assertThat(r.reason()).contains("version 4").contains("ends at version 2")
        .endsWith("[QCFG-4121]");
  }

  @Test
  void oneVersionLostByACrashBeforeItsAuditLineIsRecordedNotReported() throws Exception {
    applyFourVersions();
    cutAuditLines(1);
    // What a kill -9 between history and audit leaves: the head matches the last line.
    io.qcfg.internal.audit.AuditLog.open(tmp.resolve("state"), 1 << 20, 5);
    assertThat(start().version()).isEqualTo(4);
    assertThat(auditLines()).anyMatch(l -> l.contains("\"event\":\"version-recovered\""));
    assertThat(AuditVerifier.verify(tmp.resolve("state")).ok()).isTrue();
  }

  /**
   * A fast restart opens the audit log after its publish (issue 16): a version whose audit line a
   * crash lost is still recorded, before the restart's own start-up line, and the log verifies.
   */
  @Test
  void aFastRestartRecordsAVersionWhoseAuditLineACrashLostBeforeItsOwnLine() throws Exception {
    write("application.conf", "a = 1\n");
    start();
    Qcfg.stop();
    write("application.conf", "a = 2\n");
    assertThat(start().version()).isEqualTo(2); // built in full: keeps the fingerprint of 2
    Qcfg.stop();
    cutAuditLines(1);
    // What a kill -9 between the publish and the audit write leaves: the head matches the end.
    io.qcfg.internal.audit.AuditLog.open(tmp.resolve("state"), 1 << 20, 5);
    assertThat(start().version()).isEqualTo(2);
    assertThat(Engine.require().startPath()).isEqualTo("fast path: inputs unchanged");
    List<String> lines = auditLines();
    assertThat(lines.get(lines.size() - 2)).contains("\"event\":\"version-recovered\"")
        .contains("\"version\":2");
    assertThat(lines.get(lines.size() - 1)).contains("\"event\":\"startup\"")
        .contains("fast start").contains("\"version\":2");
    AuditVerifier.Result r = AuditVerifier.verify(tmp.resolve("state"));
    assertThat(r.ok()).as(r.describe()).isTrue();
  }

  @Test
  void aStateDirectoryThatCannotBeLockedStillServesTheStartUpFallback() throws Exception {
    write("application.conf", "a = 1\n");
    start();
    Qcfg.stop();
    // The lock file cannot be opened (as on a read-only mount, which root in CI cannot simulate).
    Path lock = tmp.resolve("state").resolve(io.qcfg.internal.history.StateLock.FILE);
    Files.delete(lock);
    Files.createDirectory(lock);
    write("application.conf", "a = {\n");
    Snapshot s = start();
    assertThat(s.getInt("a")).isEqualTo(1);
    assertThat(s.cause()).contains("fallback to version 1");
  }

  /** The second JVM: starts qcfg on the given directories and says what it got. */
  public static void main(String[] args) {
    Snapshot s = Qcfg.start(Map.of("dir", args[0], "state", args[1], "watch", "false",
        "jmx", "false"));
    System.out.println("version=" + s.version() + " a=" + s.getInt("a"));
    System.out.println("lastError=" + Engine.require().status().lastError());
    System.out.println("app still running");
  }

  String runSecondJvm() throws Exception {
    Path out = tmp.resolve("child.out");
    Process child = new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", System.getProperty("java.class.path"),
            StateDirOwnershipTest.class.getName(),
            tmp.resolve("config").toString(), tmp.resolve("state").toString())
        .redirectErrorStream(true).redirectOutput(out.toFile()).start();
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("child ends").isTrue();
    String text = Files.readString(out);
    assertThat(child.exitValue()).as(text).isZero();
    return text;
  }

  @Test
  void aSecondJvmOnTheSameStateDirectoryRunsWithoutStateAndNamesTheOwner() throws Exception {
    write("application.conf", "a = 1\n");
    start();
    write("application.conf", "a = 2\n");
    Qcfg.reload();
    List<String> auditBefore = auditLines();
    byte[] counterBefore = Files.readAllBytes(tmp.resolve("state").resolve(VersionCounter.FILE));

    String second = runSecondJvm();
    assertThat(second)
        .contains("QCFG-4208")
        .contains("pid " + ProcessHandle.current().pid())
        .contains("give each JVM its own state=")
        .contains("a=2")
        .contains("app still running");
    assertThat(second.lines().filter(l -> l.startsWith("lastError=")).findFirst().orElseThrow())
        .contains("QCFG-4208");
    // Nothing of the owner's state was touched.
    assertThat(auditLines()).isEqualTo(auditBefore);
    assertThat(Files.readAllBytes(tmp.resolve("state").resolve(VersionCounter.FILE)))
        .isEqualTo(counterBefore);
    try (Stream<Path> files = Files.list(tmp.resolve("state/history"))) {
      assertThat(files.count()).isEqualTo(2);
    }
    write("application.conf", "a = 3\n");
    assertThat(Qcfg.reload().version()).isEqualTo(3);
    assertThat(AuditVerifier.verify(tmp.resolve("state")).ok()).isTrue();

    // Once the owner stops, the next JVM owns the directory and continues its versions.
    Qcfg.stop();
    String next = runSecondJvm();
    assertThat(next).contains("version=3 a=3").doesNotContain("QCFG-4208");
  }

  static void deleteTree(Path dir) throws Exception {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
