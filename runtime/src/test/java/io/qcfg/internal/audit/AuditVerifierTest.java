package io.qcfg.internal.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.qcfg.internal.log.Log;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each test builds a good log, damages it one way, and checks what verify reports. */
class AuditVerifierTest {
  @TempDir Path state;
  private Path active;

  @BeforeEach
  void writeTenLines() {
    Log.redirect(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    active = state.resolve("audit.log");
    AuditLog audit = AuditLog.open(state, 1 << 20, 5);
    for (int i = 1; i <= 10; i++) {
      audit.append(AuditLogTest.event("event " + i));
    }
  }

  @AfterEach
  void restoreLog() {
    Log.redirect(System.err);
  }

  private List<String> read(Path file) throws IOException {
    return new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
  }

  private void write(Path file, List<String> lines) throws IOException {
    Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
  }

  private static void assertBad(
      AuditVerifier.Result r, String file, long line, long checked, String reason) {
    assertThat(r.ok()).as(r.describe()).isFalse();
    assertThat(r.firstBadFile()).isEqualTo(file);
    assertThat(r.firstBadLine()).isEqualTo(line);
    assertThat(r.linesChecked()).isEqualTo(checked);
    assertThat(r.reason()).isEqualTo(reason);
  }

  @Test
  void anIntactLogIsOk() {
    AuditVerifier.Result r = AuditVerifier.verify(state);
    assertThat(r).isEqualTo(new AuditVerifier.Result(true, 10, null, 0, null));
    assertThat(r.describe()).isEqualTo("audit log OK: 10 line(s) checked");
  }

  @Test
  void anEmptyStateDirectoryIsOk() throws IOException {
    Path empty = Files.createDirectory(state.resolve("empty"));
    assertThat(AuditVerifier.verify(empty)).isEqualTo(AuditVerifier.Result.ok(0));
  }

  @Test
  void aMissingStateDirectoryIsReported() {
    Path missing = state.resolve("missing");
    AuditVerifier.Result r = AuditVerifier.verify(missing);
    assertThat(r.ok()).isFalse();
    assertThat(r.firstBadFile()).isEqualTo(missing.toString());
    assertThat(r.reason()).startsWith("cannot list: no such file: ").endsWith("[QCFG-4119]");
  }

  @Test
  void findsAnEditedLine() throws IOException {
    List<String> lines = read(active);
    lines.set(3, lines.get(3).replace("event 4", "event 4, honest"));
    write(active, lines);
    AuditVerifier.Result r = AuditVerifier.verify(state);
    assertBad(
        r,
        "audit.log",
        4,
        4,
        "edited: its SHA-256 does not match the prev of the next line (audit.log:5) [QCFG-4110]");
    assertThat(r.describe())
        .isEqualTo(
            "audit.log:4: edited: its SHA-256 does not match the prev of the next line"
                + " (audit.log:5) [QCFG-4110]");
  }

  @Test
  void findsADeletedLine() throws IOException {
    List<String> lines = read(active);
    lines.remove(4);
    write(active, lines);
    assertBad(
        AuditVerifier.verify(state),
        "audit.log",
        5,
        4,
        "seq 6 follows seq 4: lines were deleted, inserted or reordered [QCFG-4111]");
  }

  @Test
  void findsReorderedLines() throws IOException {
    List<String> lines = read(active);
    Collections.swap(lines, 6, 7);
    write(active, lines);
    assertBad(
        AuditVerifier.verify(state),
        "audit.log",
        7,
        6,
        "seq 8 follows seq 6: lines were deleted, inserted or reordered [QCFG-4111]");
  }

  @Test
  void findsAnEditedLastLineThroughTheHead() throws IOException {
    List<String> lines = read(active);
    lines.set(9, lines.get(9).replace("event 10", "event X"));
    write(active, lines);
    assertBad(
        AuditVerifier.verify(state),
        "audit.log",
        10,
        10,
        "edited: the last line's SHA-256 does not match audit.head [QCFG-4114]");
  }

  @Test
  void findsLinesCutOffTheEnd() throws IOException {
    List<String> lines = read(active);
    write(active, lines.subList(0, 8));
    assertBad(
        AuditVerifier.verify(state),
        "audit.log",
        8,
        8,
        "the log ends at seq 8 but audit.head says seq 10: lines were removed from the end"
            + " [QCFG-4114]");
  }

  @Test
  void findsATruncatedFile() throws IOException {
    byte[] bytes = Files.readAllBytes(active);
    Files.write(active, java.util.Arrays.copyOf(bytes, bytes.length - 30));
    assertBad(
        AuditVerifier.verify(state),
        "audit.log",
        10,
        9,
        "truncated: the last line has no newline (a cut file or an interrupted write)"
            + " [QCFG-4113]");
  }

  @Test
  void findsALineThatIsNotJson() throws IOException {
    List<String> lines = read(active);
    lines.set(2, lines.get(2).substring(0, 40));
    write(active, lines);
    AuditVerifier.Result r = AuditVerifier.verify(state);
    assertThat(r.firstBadLine()).isEqualTo(3);
    assertThat(r.linesChecked()).isEqualTo(2);
    assertThat(r.reason())
        .startsWith("not valid JSON, edited or truncated: Unexpected end-of-input")
        .endsWith("[QCFG-4112]");
  }

  @Test
  void findsAnEmptyLine() throws IOException {
    List<String> lines = read(active);
    lines.add(5, "");
    write(active, lines);
    assertBad(
        AuditVerifier.verify(state),
        "audit.log",
        6,
        5,
        "not a JSON object, edited or truncated [QCFG-4112]");
  }

  @Test
  void findsAFieldOfTheWrongType() throws IOException {
    List<String> lines = read(active);
    lines.set(1, lines.get(1).replace("\"seq\":2", "\"seq\":\"2\""));
    write(active, lines);
    assertBad(
        AuditVerifier.verify(state),
        "audit.log",
        2,
        1,
        "seq: expected a number of 1 or more, found \"2\" [QCFG-4117]");

    lines = read(active);
    lines.set(
        1,
        lines
            .get(1)
            .replace("\"seq\":\"2\"", "\"seq\":2")
            .replaceAll("\"prev\":\"[0-9a-f]+\"", "\"prev\":\"beef\""));
    write(active, lines);
    assertBad(
        AuditVerifier.verify(state),
        "audit.log",
        2,
        1,
        "prev: expected 64 hex digits, found \"beef\" [QCFG-4117]");
  }

  @Test
  void rotationThatPrunesOldFilesMovesTheStartTheHeadNames() throws IOException {
    Path pruned = state.resolve("pruned");
    AuditLog audit = AuditLog.open(pruned, 300, 1);
    for (int i = 1; i <= 12; i++) {
      audit.append(AuditLogTest.event("event " + i));
    }
    List<Path> files = AuditFormat.logFiles(pruned);
    assertThat(files).hasSize(2);
    long first = AuditFormat.Json.MAPPER.readTree(read(files.get(0)).get(0)).get("seq").asLong();
    assertThat(first).isGreaterThan(1);
    assertThat(Files.readString(pruned.resolve("audit.head"))).contains("\"first\":" + first + "}");
    assertThat(AuditVerifier.verify(pruned).ok()).isTrue();
    // And a restart keeps it.
    AuditLog.open(pruned, 300, 1).append(AuditLogTest.event("event 13"));
    assertThat(AuditVerifier.verify(pruned).ok()).isTrue();
  }

  @Test
  void findsAMissingField() throws IOException {
    List<String> lines = read(active);
    lines.set(1, lines.get(1).replace("\"actor\":\"qcfg\",", ""));
    write(active, lines);
    assertBad(
        AuditVerifier.verify(state),
        "audit.log",
        2,
        1,
        "actor: expected a string, found nothing [QCFG-4117]");
  }

  @Test
  void findsAFirstLineThatDoesNotStartTheChain() throws IOException {
    List<String> lines = read(active);
    lines.set(0, lines.get(0).replace("0".repeat(64), "1".repeat(64)));
    write(active, lines);
    assertBad(
        AuditVerifier.verify(state),
        "audit.log",
        1,
        0,
        "the first line (seq 1) must have prev of 64 zeros [QCFG-4116]");
  }

  @Test
  void findsAMissingOrUnreadableHead() throws IOException {
    Path head = state.resolve("audit.head");
    Files.writeString(head, "{\"seq\":10}");
    assertBad(
        AuditVerifier.verify(state),
        "audit.head",
        1,
        0,
        "unreadable: expected {\"seq\":N,\"hash\":\"<64 hex digits>\",\"first\":N}, found"
            + " {\"seq\":10} [QCFG-4115]");
    Files.delete(head);
    assertBad(
        AuditVerifier.verify(state),
        "audit.head",
        0,
        10,
        "missing: the end of the log cannot be checked (deleted?) [QCFG-4115]");
  }

  @Test
  void findsALineAddedByHandWithARecomputedChain() throws IOException {
    List<String> lines = read(active);
    String last = lines.get(9);
    String forged =
        last.replace("\"seq\":10", "\"seq\":11")
            .replaceAll(
                "\"prev\":\"[0-9a-f]+\"",
                "\"prev\":\"" + AuditFormat.sha256(last.getBytes(StandardCharsets.UTF_8)) + "\"");
    lines.add(forged);
    write(active, lines);
    assertBad(
        AuditVerifier.verify(state),
        "audit.log",
        11,
        11,
        "not covered by audit.head (seq 10): added by hand, or the JVM stopped between writing a"
            + " line and the head, which qcfg repairs at its next start [QCFG-4114]");
  }

  @Test
  void findsDeletedLogFilesThroughTheHead() throws IOException {
    Files.delete(active);
    assertBad(
        AuditVerifier.verify(state),
        "audit.head",
        1,
        0,
        "says the log ends at seq 10 but there is no line [QCFG-4114]");
  }

  @Test
  void namesTheRotatedFileThatHoldsTheBadLine() throws IOException {
    Path rotated = state.resolve("rotated");
    AuditLog audit = AuditLog.open(rotated, 400, 100);
    for (int i = 1; i <= 12; i++) {
      audit.append(AuditLogTest.event("event " + i));
    }
    List<Path> files = AuditFormat.logFiles(rotated);
    assertThat(files.size()).isGreaterThanOrEqualTo(3);
    assertThat(AuditVerifier.verify(rotated).ok()).isTrue();

    // An edit in the middle file is found, and the middle file is named.
    Path middle = files.get(1);
    List<String> original = read(middle);
    List<String> edited = new ArrayList<>(original);
    edited.set(0, edited.get(0).replace("\"cause\":\"event", "\"cause\":\"EVENT"));
    write(middle, edited);
    AuditVerifier.Result r = AuditVerifier.verify(rotated);
    assertThat(r.firstBadFile()).isEqualTo(middle.getFileName().toString());
    assertThat(r.firstBadLine()).isEqualTo(1);
    assertThat(r.reason()).startsWith("edited:");

    // The oldest file removed: the head knows where the log started.
    Path oldest = files.get(0);
    byte[] oldestBytes = Files.readAllBytes(oldest);
    Files.delete(oldest);
    r = AuditVerifier.verify(rotated);
    assertThat(r.firstBadFile()).isEqualTo(middle.getFileName().toString());
    assertThat(r.firstBadLine()).isEqualTo(1);
    assertThat(r.linesChecked()).isZero();
    assertThat(r.reason())
        .isEqualTo(
            "the log starts at seq "
                + (AuditFormat.lastSeqOf(oldest) + 1)
                + " but audit.head says it starts at seq 1: older lines or files were removed"
                + " [QCFG-4118]");
    Files.write(oldest, oldestBytes);
    write(middle, original);
    assertThat(AuditVerifier.verify(rotated).ok()).isTrue();

    // A whole middle file removed: a seq break at the first line of the next file.
    Files.delete(middle);
    r = AuditVerifier.verify(rotated);
    assertThat(r.firstBadFile()).isEqualTo(files.get(2).getFileName().toString());
    assertThat(r.firstBadLine()).isEqualTo(1);
    assertThat(r.reason()).endsWith("lines were deleted, inserted or reordered [QCFG-4111]");
  }
}
