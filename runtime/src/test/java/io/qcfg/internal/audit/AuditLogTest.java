package io.qcfg.internal.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.qcfg.internal.audit.AuditEvent.Type;
import io.qcfg.internal.log.Log;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditLogTest {
  @TempDir Path tmp;
  private Path state;
  private final ByteArrayOutputStream logged = new ByteArrayOutputStream();

  @BeforeEach
  void setUp() {
    state = tmp.resolve(".qcfg");
    Log.redirect(new PrintStream(logged, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restoreLog() {
    Log.redirect(System.err);
  }

  private String log() {
    return logged.toString(StandardCharsets.UTF_8);
  }

  static AuditEvent event(String cause) {
    return AuditEvent.of(Type.RELOAD_REQUESTED, "qcfg", cause);
  }

  /** Every line of every log file, in order. */
  static List<String> lines(Path state) throws IOException {
    List<String> all = new ArrayList<>();
    for (Path f : AuditFormat.logFiles(state)) {
      all.addAll(Files.readAllLines(f, StandardCharsets.UTF_8));
    }
    return all;
  }

  static JsonNode json(String line) throws IOException {
    return AuditFormat.Json.MAPPER.readTree(line);
  }

  @Test
  void writesOneLinePerEventWithKeysInFixedOrderChainedByHash() throws IOException {
    AuditLog audit = AuditLog.open(state, 1 << 20, 5);
    audit.append(
        AuditEvent.of(Type.APPLIED, "qcfg", "file-change: config/application.conf")
            .withVersions(3L, 4L)
            .withPaths(List.of("http.port", "db.url"))
            .withProblems(List.of("x: y [QCFG-1]"))
            .withDetails(Map.of("z", "last", "a", "first")));
    audit.append(AuditEvent.of(Type.STARTUP, "qcfg", "startup"));

    List<String> lines = lines(state);
    assertThat(lines).hasSize(2);
    String first = lines.get(0);
    String time = json(first).get("time").asText();
    assertThat(first)
        .isEqualTo(
            "{\"seq\":1,\"time\":\""
                + time
                + "\",\"event\":\"applied\",\"actor\":\"qcfg\","
                + "\"cause\":\"file-change: config/application.conf\",\"version\":4,"
                + "\"fromVersion\":3,\"paths\":[\"http.port\",\"db.url\"],"
                + "\"problems\":[\"x: y [QCFG-1]\"],\"details\":{\"a\":\"first\",\"z\":\"last\"},"
                + "\"prev\":\""
                + "0".repeat(64)
                + "\"}");
    assertThat(java.time.Instant.parse(time)).isNotNull();
    String second = lines.get(1);
    assertThat(second)
        .startsWith("{\"seq\":2,")
        .contains("\"event\":\"startup\",\"actor\":\"qcfg\",\"cause\":\"startup\",\"prev\":")
        .doesNotContain("version", "paths", "problems", "details");
    assertThat(json(second).get("prev").asText())
        .isEqualTo(AuditFormat.sha256(first.getBytes(StandardCharsets.UTF_8)));
    assertThat(Files.readString(state.resolve("audit.head")))
        .isEqualTo(
            "{\"seq\":2,\"hash\":\""
                + AuditFormat.sha256(second.getBytes(StandardCharsets.UTF_8))
                + "\",\"first\":1}\n");
    assertThat(AuditVerifier.verify(state)).isEqualTo(AuditVerifier.Result.ok(2));
    assertThat(audit.healthy()).isTrue();
    assertThat(audit.lastFailure()).isEmpty();
  }

  @Test
  void controlCharactersAndUnicodeNeverSplitALine() throws IOException {
    AuditLog audit = AuditLog.open(state, 1 << 20, 5);
    audit.append(event("a\nb\rc\u2028d\u0000é"));
    audit.append(event("next"));
    assertThat(lines(state)).hasSize(2);
    assertThat(json(lines(state).get(0)).get("cause").asText()).isEqualTo("a\nb\rc\u2028d\u0000é");
    assertThat(AuditVerifier.verify(state).ok()).isTrue();
  }

  @Test
  void reopenContinuesSeqAndChain() throws IOException {
    AuditLog.open(state, 1 << 20, 5).append(event("one"));
    AuditLog.open(state, 1 << 20, 5).append(event("two"));
    AuditLog third = AuditLog.open(state, 1 << 20, 5);
    third.append(event("three"));
    assertThat(lines(state))
        .extracting(l -> json(l).get("seq").asLong())
        .containsExactly(1L, 2L, 3L);
    assertThat(AuditVerifier.verify(state)).isEqualTo(AuditVerifier.Result.ok(3));
    assertThat(log()).isEmpty();
  }

  @Test
  void rotationKeepsTheChainAcrossFilesAndPrunesOldFiles() throws IOException {
    AuditLog audit = AuditLog.open(state, 400, 100);
    for (int i = 0; i < 20; i++) {
      audit.append(event("event " + i));
    }
    List<Path> files = AuditFormat.logFiles(state);
    assertThat(files.size()).isGreaterThan(3);
    assertThat(files.get(files.size() - 1).getFileName().toString()).isEqualTo("audit.log");
    for (Path f : files) {
      assertThat(Files.size(f)).isLessThanOrEqualTo(400);
    }
    // A rotated file is named for the seq of its last line.
    Path firstRotated = files.get(0);
    List<String> firstLines = Files.readAllLines(firstRotated);
    long lastSeqInFirst = json(firstLines.get(firstLines.size() - 1)).get("seq").asLong();
    assertThat(firstRotated.getFileName().toString())
        .isEqualTo(String.format("audit.%019d.log", lastSeqInFirst));
    // The first line of the next file chains to the last line of the previous one.
    List<String> secondLines = Files.readAllLines(files.get(1));
    assertThat(json(secondLines.get(0)).get("prev").asText())
        .isEqualTo(
            AuditFormat.sha256(
                firstLines.get(firstLines.size() - 1).getBytes(StandardCharsets.UTF_8)));
    assertThat(AuditVerifier.verify(state)).isEqualTo(AuditVerifier.Result.ok(20));

    // Keep two rotated files: the oldest go, and what is left still verifies.
    AuditLog pruning = AuditLog.open(state, 400, 2);
    for (int i = 20; i < 30; i++) {
      pruning.append(event("event " + i));
    }
    List<Path> kept = AuditFormat.logFiles(state);
    assertThat(kept).hasSize(3);
    AuditVerifier.Result r = AuditVerifier.verify(state);
    assertThat(r.ok()).as(r.describe()).isTrue();
    assertThat(json(lines(state).get(0)).get("seq").asLong()).isGreaterThan(1);
    assertThat(json(lines(state).get(lines(state).size() - 1)).get("seq").asLong()).isEqualTo(30);
  }

  @Test
  void aLineLongerThanTheLimitGetsAFileOfItsOwn() throws IOException {
    AuditLog audit = AuditLog.open(state, 100, 10);
    audit.append(event("x".repeat(300)));
    audit.append(event("y".repeat(300)));
    audit.append(event("z"));
    assertThat(AuditFormat.logFiles(state)).hasSize(3);
    assertThat(AuditVerifier.verify(state)).isEqualTo(AuditVerifier.Result.ok(3));
  }

  /** Turns the state directory into a file (root ignores permissions), or puts it back. */
  private void breakState() throws IOException {
    Files.move(state, tmp.resolve("aside"));
    Files.writeString(state, "not a directory");
  }

  private void fixState() throws IOException {
    Files.delete(state);
    Files.move(tmp.resolve("aside"), state);
  }

  @Test
  void aWriteFailureBuffersEventsAndTheChainResumesIntactOnceFixed() throws IOException {
    AuditLog audit = AuditLog.open(state, 1 << 20, 5);
    audit.append(event("before"));
    breakState();

    audit.append(event("during 1"));
    audit.append(event("during 2"));
    assertThat(audit.healthy()).isFalse();
    assertThat(audit.buffered()).isEqualTo(2);
    assertThat(audit.lastFailure().orElseThrow())
        .startsWith(state + ": cannot write the audit log (")
        .endsWith(
            "events are kept in memory (up to 10000) and written once it works again;"
                + " changes over JMX are refused until then [QCFG-4101]");
    assertThat(audit.retry()).isFalse();
    audit.append(event("during 3"));
    // Loud once per outage, not once per event.
    assertThat(log().split("QCFG-4101", -1)).hasSize(2);

    fixState();
    assertThat(audit.retry()).isTrue();
    assertThat(audit.healthy()).isTrue();
    assertThat(audit.buffered()).isZero();
    assertThat(log())
        .contains(
            state + ": the audit log is writable again; wrote 3 buffered event(s) [QCFG-4102]");
    audit.append(event("after"));

    assertThat(lines(state))
        .extracting(l -> json(l).get("cause").asText())
        .containsExactly("before", "during 1", "during 2", "during 3", "after");
    assertThat(AuditVerifier.verify(state)).isEqualTo(AuditVerifier.Result.ok(5));
    assertThat(audit.lastFailure()).isPresent(); // kept for diagnosis
  }

  @Test
  void theFirstAppendAfterTheFixFlushesTheBacklogFirst() throws IOException {
    AuditLog audit = AuditLog.open(state, 1 << 20, 5);
    audit.append(event("before"));
    breakState();
    audit.append(event("during"));
    fixState();
    audit.append(event("after"));
    assertThat(audit.healthy()).isTrue();
    assertThat(lines(state))
        .extracting(l -> json(l).get("cause").asText())
        .containsExactly("before", "during", "after");
    assertThat(AuditVerifier.verify(state).ok()).isTrue();
  }

  @Test
  void beyondTheBufferEventsAreCountedAndRecordedAsLost() throws IOException {
    AuditLog audit = AuditLog.open(state, 1 << 20, 5, 3);
    audit.append(event("before"));
    breakState();
    for (int i = 1; i <= 7; i++) {
      audit.append(event("during " + i));
    }
    assertThat(audit.buffered()).isEqualTo(4); // three events and one marker
    assertThat(log())
        .contains(
            state
                + ": the audit log is still not writable and 3 events are buffered;"
                + " further events are only counted [QCFG-4103]");
    fixState();
    audit.append(event("after"));

    List<String> lines = lines(state);
    assertThat(lines)
        .extracting(l -> json(l).get("event").asText() + " " + json(l).get("cause").asText())
        .containsExactly(
            "reload-requested before",
            "reload-requested during 1",
            "reload-requested during 2",
            "reload-requested during 3",
            "events-lost the audit log could not be written and its buffer was full",
            "reload-requested after");
    assertThat(json(lines.get(4)).get("details").get("lost").asText()).isEqualTo("4");
    assertThat(AuditVerifier.verify(state)).isEqualTo(AuditVerifier.Result.ok(6));
  }

  @Test
  void anUnusableStateDirectoryAtOpenIsReportedAndRecoveredLater() throws IOException {
    Files.writeString(state, "a file where the state directory belongs");
    AuditLog audit = AuditLog.open(state, 1 << 20, 5);
    assertThat(audit.healthy()).isFalse();
    audit.append(event("early"));
    assertThat(audit.buffered()).isEqualTo(1);
    assertThat(log()).contains("[QCFG-4101]");

    Files.delete(state);
    audit.append(event("later"));
    assertThat(audit.healthy()).isTrue();
    assertThat(lines(state))
        .extracting(l -> json(l).get("cause").asText())
        .containsExactly("early", "later");
    assertThat(AuditVerifier.verify(state)).isEqualTo(AuditVerifier.Result.ok(2));
  }

  @Test
  void openCutsOffAPartlyWrittenLastLine() throws IOException {
    AuditLog audit = AuditLog.open(state, 1 << 20, 5);
    audit.append(event("one"));
    audit.append(event("two"));
    Path active = state.resolve("audit.log");
    Files.writeString(active, "{\"seq\":3,\"time\":\"20", java.nio.file.StandardOpenOption.APPEND);

    AuditLog reopened = AuditLog.open(state, 1 << 20, 5);
    assertThat(log())
        .contains(
            active
                + ": removed an incomplete last line (19 bytes) left by an interrupted write"
                + " [QCFG-4104]");
    reopened.append(event("three"));
    assertThat(lines(state))
        .extracting(l -> json(l).get("seq").asLong())
        .containsExactly(1L, 2L, 3L);
    assertThat(AuditVerifier.verify(state)).isEqualTo(AuditVerifier.Result.ok(3));
  }

  @Test
  void openBringsAHeadThatIsSomeLinesBehindUpToDate() throws IOException {
    AuditLog audit = AuditLog.open(state, 1 << 20, 5);
    audit.append(event("one"));
    byte[] headAfterOne = Files.readAllBytes(state.resolve("audit.head"));
    audit.append(event("two"));
    audit.append(event("three"));
    // As if killed after a batch of two lines, before the head write.
    Files.write(state.resolve("audit.head"), headAfterOne);
    assertThat(AuditVerifier.verify(state).reason()).contains("not covered by audit.head");

    AuditLog.open(state, 1 << 20, 5);
    assertThat(log())
        .contains(
            state.resolve("audit.head")
                + ": 2 line(s) behind audit.log (the JVM stopped between writing lines and the"
                + " head); brought up to date [QCFG-4105]");
    assertThat(AuditVerifier.verify(state)).isEqualTo(AuditVerifier.Result.ok(3));
  }

  @Test
  void aHeadBehindABrokenChainIsNotRepaired() throws IOException {
    AuditLog audit = AuditLog.open(state, 1 << 20, 5);
    audit.append(event("one"));
    byte[] headAfterOne = Files.readAllBytes(state.resolve("audit.head"));
    audit.append(event("two"));
    audit.append(event("three"));
    Files.write(state.resolve("audit.head"), headAfterOne);
    Path active = state.resolve("audit.log");
    Files.writeString(active, Files.readString(active).replace("\"two\"", "\"TWO\""));

    AuditLog.open(state, 1 << 20, 5);
    assertThat(log()).contains("[QCFG-4108]").doesNotContain("QCFG-4105");
    AuditVerifier.Result r = AuditVerifier.verify(state);
    assertThat(r.firstBadLine()).isEqualTo(2);
    assertThat(r.reason()).startsWith("edited:");
  }

  @Test
  void openRecreatesAMissingHead() throws IOException {
    AuditLog.open(state, 1 << 20, 5).append(event("one"));
    Files.delete(state.resolve("audit.head"));
    AuditLog.open(state, 1 << 20, 5);
    assertThat(log())
        .contains(
            state.resolve("audit.head")
                + ": missing; recreated from the last line of audit.log [QCFG-4105]");
    assertThat(AuditVerifier.verify(state)).isEqualTo(AuditVerifier.Result.ok(1));
  }

  @Test
  void anEditedLastLineStaysVisibleAfterTheNextStart() throws IOException {
    AuditLog audit = AuditLog.open(state, 1 << 20, 5);
    audit.append(event("one"));
    audit.append(event("two"));
    Path active = state.resolve("audit.log");
    Files.writeString(active, Files.readString(active).replace("\"two\"", "\"TWO\""));

    AuditLog reopened = AuditLog.open(state, 1 << 20, 5);
    assertThat(log())
        .contains(
            active
                + ": the audit log ends at seq 2 but audit.head says seq 2 with another hash:"
                + " lines were edited, added or removed; run `audit verify` [QCFG-4108]");
    reopened.append(event("three")); // chains from the head, not from the edited line
    AuditVerifier.Result r = AuditVerifier.verify(state);
    assertThat(r.ok()).isFalse();
    assertThat(r.firstBadFile()).isEqualTo("audit.log");
    assertThat(r.firstBadLine()).isEqualTo(2);
    assertThat(r.reason()).startsWith("edited:");
  }

  @Test
  void anUnreadableLastLineIsReportedAtOpenAndStaysVisible() throws IOException {
    AuditLog audit = AuditLog.open(state, 1 << 20, 5);
    audit.append(event("one"));
    audit.append(event("two"));
    Path active = state.resolve("audit.log");
    List<String> lines = Files.readAllLines(active);
    Files.writeString(active, lines.get(0) + "\n{oops\n");

    AuditLog.open(state, 1 << 20, 5).append(event("three"));
    assertThat(log())
        .contains(
            active
                + ": the last audit line is not valid JSON: edited or damaged; run `audit verify`"
                + " [QCFG-4106]");
    AuditVerifier.Result r = AuditVerifier.verify(state);
    assertThat(r.firstBadLine()).isEqualTo(2);
    assertThat(r.reason()).endsWith("[QCFG-4112]");
  }

  @Test
  void anUnreadableHeadIsReportedAtOpenAndRecreated() throws IOException {
    AuditLog.open(state, 1 << 20, 5).append(event("one"));
    Path head = state.resolve("audit.head");
    Files.writeString(head, "{\"seq\":");
    AuditLog.open(state, 1 << 20, 5);
    assertThat(log())
        .contains(head + ": unreadable (Unexpected end-of-input")
        .contains("treated as missing [QCFG-4107]")
        .contains(head + ": missing; recreated from the last line of audit.log [QCFG-4105]");
    assertThat(AuditVerifier.verify(state)).isEqualTo(AuditVerifier.Result.ok(1));
  }

  @Test
  void deletedLogFilesAreReportedAtOpenAndStayVisible() throws IOException {
    AuditLog audit = AuditLog.open(state, 1 << 20, 5);
    audit.append(event("one"));
    audit.append(event("two"));
    Files.delete(state.resolve("audit.log"));

    AuditLog.open(state, 1 << 20, 5).append(event("three"));
    assertThat(log())
        .contains(
            state.resolve("audit.head")
                + ": says the log ends at seq 2 but there is no audit line: the log files were"
                + " deleted; run `audit verify` [QCFG-4108]");
    assertThat(json(lines(state).get(0)).get("seq").asLong()).isEqualTo(3);
    AuditVerifier.Result r = AuditVerifier.verify(state);
    assertThat(r.ok()).isFalse();
    assertThat(r.reason()).endsWith("older lines or files were removed [QCFG-4118]");
  }

  @Test
  void concurrentAppendsKeepOneOrderAndAnIntactChain() throws Exception {
    AuditLog audit = AuditLog.open(state, 64 * 1024, 1000);
    int threads = 8;
    int perThread = 500;
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      String name = "t" + t;
      Thread w =
          new Thread(
              () -> {
                try {
                  start.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  return;
                }
                for (int i = 0; i < perThread; i++) {
                  audit.append(event(name + "-" + i));
                }
              },
              "qcfg-test-appender-" + t);
      w.start();
      workers.add(w);
    }
    start.countDown();
    for (Thread w : workers) {
      w.join(120_000);
      assertThat(w.isAlive()).isFalse();
    }
    assertThat(audit.healthy()).isTrue();
    assertThat(AuditVerifier.verify(state)).isEqualTo(AuditVerifier.Result.ok(threads * perThread));

    List<String> lines = lines(state);
    Map<String, Integer> nextPerThread = new HashMap<>();
    long seq = 0;
    for (String line : lines) {
      JsonNode node = json(line);
      assertThat(node.get("seq").asLong()).isEqualTo(++seq);
      String[] cause = node.get("cause").asText().split("-");
      int expected = nextPerThread.getOrDefault(cause[0], 0);
      assertThat(Integer.parseInt(cause[1])).as("order within " + cause[0]).isEqualTo(expected);
      nextPerThread.put(cause[0], expected + 1);
    }
    assertThat(seq).isEqualTo(threads * perThread);
  }

  @Test
  void keyedHashIsStableAndDependsOnKeyAndValue() {
    // RFC 4231, test case 2.
    assertThat(
            AuditLog.keyedHash(
                "Jefe".getBytes(StandardCharsets.UTF_8), "what do ya want for nothing?"))
        .isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    byte[] key = "installation-key".getBytes(StandardCharsets.UTF_8);
    assertThat(AuditLog.keyedHash(key, "hunter2")).isEqualTo(AuditLog.keyedHash(key, "hunter2"));
    assertThat(AuditLog.keyedHash(key, "hunter2")).isNotEqualTo(AuditLog.keyedHash(key, "hunter3"));
    assertThat(AuditLog.keyedHash("other".getBytes(StandardCharsets.UTF_8), "hunter2"))
        .isNotEqualTo(AuditLog.keyedHash(key, "hunter2"));
    assertThat(AuditLog.keyedHash(key, "hunter2")).hasSize(64).doesNotContain("hunter2");
    assertThatThrownBy(() -> AuditLog.keyedHash(new byte[0], "x"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void eventsAreImmutableAndRejectNulls() {
    List<String> paths = new ArrayList<>(List.of("a"));
    AuditEvent e = event("c").withPaths(paths);
    paths.add("b");
    assertThat(e.paths()).containsExactly("a");
    assertThatThrownBy(() -> e.paths().add("x")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> AuditEvent.of(Type.APPLIED, null, "c"))
        .isInstanceOf(NullPointerException.class);
    Map<String, String> details = new HashMap<>();
    details.put("k", null);
    assertThatThrownBy(() -> event("c").withDetails(details))
        .isInstanceOf(NullPointerException.class);
    assertThat(Stream.of(Type.values()).map(Type::wireName))
        .contains(
            "startup",
            "applied",
            "rejected",
            "fallback",
            "rollback",
            "override-set",
            "override-cleared",
            "environment-switch",
            "access-denied",
            "reload-requested");
  }
}
