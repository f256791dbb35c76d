package io.qcfg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qcfg.Qcfg;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The offline verbs over a state directory ({@code history --state}, {@code audit verify}), on a
 * state directory that a real qcfg instance wrote: three versions, secrets among the changes.
 */
class StateVerbsTest {
  @TempDir Path dir;
  @TempDir Path root;
  Path state;
  String s;

  @BeforeEach
  void runAnInstance() throws Exception {
    state = root.resolve("state");
    s = state.toString();
    Files.writeString(
        dir.resolve("application.conf"),
        "http { port = 8080 }\ndb { url = \"jdbc:x\", password = \"canary-H1\" }\n");
    Qcfg.start(Map.of("dir", dir.toString(), "state", s, "watch", "false", "jmx", "false"));
    Qcfg.setOverride("http.port", "9090");
    Qcfg.setOverride("db.password", "\"canary-H2\"");
    Qcfg.stop();
  }

  @AfterEach
  void stop() {
    Qcfg.stop();
  }

  static CliRun run(String... args) {
    return CliRun.of(args);
  }

  @Test
  void historyListsTheKeptVersionsWithoutAJvm() throws Exception {
    List<Path> before = files(state);
    CliRun r = run("history", "--state", s);
    assertThat(r.status()).isZero();
    String[] lines = r.out().split("\\R");
    assertThat(lines).hasSize(3);
    assertThat(lines[0]).matches(" +1  \\S+Z  development +[0-9a-f]{12}  - +startup");
    assertThat(lines[1])
        .matches(" +2  \\S+Z  development +[0-9a-f]{12}  - +override http\\.port by \\S+");
    assertThat(lines[2]).matches(" +3  .*override db\\.password by \\S+");
    assertThat(r.all()).doesNotContain("canary");

    JsonNode json = new ObjectMapper().readTree(run("--state", s, "history", "--json").out());
    assertThat(json).hasSize(3);
    assertThat(json.get(2).get("version").asLong()).isEqualTo(3);
    assertThat(json.get(2).get("checksum").asText()).hasSize(64);
    assertThat(json.get(0).fieldNames())
        .toIterable()
        .containsExactlyInAnyOrder("version", "checksum", "environment", "createdAt", "cause",
            "confirmed");
    // A read changes nothing in the state directory.
    assertThat(files(state)).isEqualTo(before);
  }

  @Test
  void historyShowsWhichVersionsAreConfirmed() throws Exception {
    // What probation writes when version 2 passes (issue 18); versions 1 and 3 were not.
    assertThat(io.qcfg.internal.history.HistoryStore.open(state, Integer.MAX_VALUE)
        .markConfirmed(2)).isTrue();
    String[] lines = run("history", "--state", s).out().split("\\R");
    assertThat(lines[0]).matches(" +1  .* [0-9a-f]{12}  -          startup");
    assertThat(lines[1]).matches(" +2  .* [0-9a-f]{12}  confirmed  override http\\.port by \\S+");
    assertThat(lines[2]).matches(" +3  .* [0-9a-f]{12}  -          override db.*");
    JsonNode json = new ObjectMapper().readTree(run("--state", s, "history", "--json").out());
    assertThat(json.get(0).get("confirmed").asBoolean()).isFalse();
    assertThat(json.get(1).get("confirmed").asBoolean()).isTrue();
  }

  @Test
  void historyOfAStateDirectoryWithoutHistoryIsAFailureNotACreation() throws Exception {
    CliRun none = run("history", "--state", root.resolve("nope").toString());
    assertThat(none.status()).isEqualTo(2);
    assertThat(none.err())
        .isEqualTo(
            "qcfg history: "
                + root.resolve("nope")
                + ": no such state directory; point --state at the JVM's state directory"
                + " (default: ./.qcfg/<dir name>-<hash>, from --dir), or ask a running JVM with --pid PID [QCFG-5233]\n");
    Path empty = Files.createDirectories(root.resolve("empty"));
    CliRun noHistory = run("history", "--state", empty.toString());
    assertThat(noHistory.status()).isEqualTo(1);
    assertThat(noHistory.err()).contains("no history here").contains("[QCFG-5234]");
    assertThat(files(empty)).containsExactly(empty);
  }

  @Test
  void auditVerifySaysTheChainIsIntact() throws Exception {
    long lines;
    try (Stream<String> l = Files.lines(state.resolve("audit.log"))) {
      lines = l.count();
    }
    assertThat(lines).isGreaterThanOrEqualTo(3);
    CliRun r = run("audit", "verify", "--state", s);
    assertThat(r.status()).isZero();
    assertThat(r.out()).isEqualTo("audit chain intact: " + lines + " lines\n");
    assertThat(r.all()).doesNotContain("canary");
  }

  @Test
  void auditVerifyNamesTheFirstEditedLine() throws Exception {
    Path log = state.resolve("audit.log");
    List<String> lines = Files.readAllLines(log);
    lines.set(1, lines.get(1).replace("http.port", "http.host"));
    Files.write(log, lines);
    CliRun r = run("audit", "verify", "--state", s);
    assertThat(r.status()).isEqualTo(1);
    assertThat(r.out())
        .startsWith("audit chain BROKEN in " + s + " (2 lines checked): audit.log:2: edited: ")
        .containsPattern("\\[QCFG-41\\d\\d\\]\\n$");
  }

  @Test
  void auditAnchorPrintsTheEndAndVerifyChecksAgainstIt() throws Exception {
    CliRun anchor = run("audit", "anchor", "--state", s);
    assertThat(anchor.status()).as(anchor.all()).isZero();
    assertThat(anchor.out()).matches("\\d+:[0-9a-f]{64}\n");
    String h = anchor.out().trim();
    CliRun ok = run("audit", "verify", "--state", s, "--anchor", h);
    assertThat(ok.status()).isZero();
    assertThat(ok.out()).endsWith("lines, anchor matched\n");
    // The last line and the head removed: the chain alone cannot tell, the anchor can.
    Path log = state.resolve("audit.log");
    List<String> lines = Files.readAllLines(log);
    Files.write(log, lines.subList(0, lines.size() - 1));
    Files.delete(state.resolve("audit.head"));
    io.qcfg.internal.audit.AuditLog.open(state, 1 << 20, 5); // a restart rebuilds the head
    CliRun cut = run("audit", "verify", "--state", s, "--anchor", h);
    assertThat(cut.status()).isEqualTo(1);
    assertThat(cut.out()).contains("before the anchor's seq").contains("[QCFG-4122]");
    CliRun bad = run("audit", "verify", "--state", s, "--anchor", "nonsense");
    assertThat(bad.status()).isEqualTo(2);
    assertThat(bad.err()).contains("[QCFG-4123]").contains("[QCFG-5245]");
  }

  @Test
  void auditVerifyRefusesADirectoryWithoutAnAuditLog() throws Exception {
    CliRun none = run("audit", "verify", "--state", root.resolve("nope").toString());
    assertThat(none.status()).isEqualTo(2);
    assertThat(none.err()).contains("no such state directory").contains("[QCFG-5236]");
    Path empty = Files.createDirectories(root.resolve("empty"));
    CliRun noLog = run("audit", "verify", "--state", empty.toString());
    assertThat(noLog.status()).isEqualTo(1);
    assertThat(noLog.err())
        .isEqualTo(
            "qcfg audit verify: "
                + empty
                + ": no audit log here (no audit.log or audit.head) [QCFG-5237]\n");
    CliRun bare = run("audit");
    assertThat(bare.status()).isEqualTo(2);
    assertThat(bare.err()).contains("Usage: qcfg audit").contains("verify");
  }

  private static List<Path> files(Path dir) throws Exception {
    try (Stream<Path> all = Files.walk(dir)) {
      return all.sorted().toList();
    }
  }
}
