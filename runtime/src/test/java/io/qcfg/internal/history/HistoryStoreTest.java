package io.qcfg.internal.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.qcfg.QcfgException;
import io.qcfg.internal.log.Log;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HistoryStoreTest {
  @TempDir Path state;
  private final ByteArrayOutputStream logged = new ByteArrayOutputStream();

  @BeforeEach
  void captureLog() {
    Log.redirect(new PrintStream(logged, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restoreLog() {
    Log.redirect(System.err);
  }

  private String log() {
    return logged.toString(StandardCharsets.UTF_8);
  }

  static HistoryEntry entry(long version) {
    return new HistoryEntry(
        version,
        "c".repeat(63) + (version % 10),
        "production",
        "option",
        Instant.parse("2025-01-02T03:04:05.123456789Z").plusSeconds(version),
        version == 1 ? "startup" : "file-change: config/application.conf",
        "qcfg",
        List.of("config/application.conf", "config/environments/production.conf"),
        "{\"http\":{\"port\":"
            + (8000 + version)
            + ",\"ratio\":1.50,\"big\":123456789012345678901234567890,"
            + "\"password\":\"<secret>\",\"key\":\"ENC[abc]\",\"hosts\":[\"a\",\"b\"]}}");
  }

  private Path file(long version) {
    return state.resolve("history").resolve(HistoryStore.fileName(version));
  }

  private List<String> historyFiles() throws IOException {
    try (Stream<Path> s = Files.list(state.resolve("history"))) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void entriesSurviveReopenAndVersionsKeepRising() {
    HistoryStore store = HistoryStore.open(state, 50);
    assertThat(store.lastVersion()).isZero();
    assertThat(store.latest()).isEmpty();
    assertThat(store.writable()).isTrue();
    store.append(entry(1));
    store.append(entry(2));

    HistoryStore reopened = HistoryStore.open(state, 50);
    assertThat(reopened.entries()).containsExactly(entry(1), entry(2));
    assertThat(reopened.lastVersion()).isEqualTo(2);
    assertThat(reopened.latest()).contains(entry(2));
    assertThat(reopened.get(1)).contains(entry(1));
    assertThat(reopened.get(3)).isEmpty();
    // Exact decimals and big integers come back unchanged.
    assertThat(reopened.get(2).orElseThrow().tree())
        .contains("\"ratio\":1.50", "\"big\":123456789012345678901234567890");

    reopened.append(entry(3));
    reopened.append(entry(7)); // a gap is allowed: versions rise, they need not be dense
    assertThat(HistoryStore.open(state, 50).entries())
        .extracting(HistoryEntry::version)
        .containsExactly(1L, 2L, 3L, 7L);
    assertThat(log()).isEmpty();
  }

  @Test
  void treeIsStoredAsCompactJson() {
    HistoryStore store = HistoryStore.open(state, 50);
    HistoryEntry pretty =
        new HistoryEntry(
            1,
            "x",
            "dev",
            "default",
            Instant.EPOCH,
            "startup",
            "qcfg",
            List.of(),
            "{ \"a\" : { \"b\" : [ 1, 2 ] } }\n");
    store.append(pretty);
    assertThat(store.latest().orElseThrow().tree()).isEqualTo("{\"a\":{\"b\":[1,2]}}");
    assertThat(HistoryStore.open(state, 50).latest().orElseThrow().tree())
        .isEqualTo("{\"a\":{\"b\":[1,2]}}");
  }

  @Test
  void appendRefusesAVersionThatDoesNotRiseAndChangesNothing() throws IOException {
    HistoryStore store = HistoryStore.open(state, 50);
    store.append(entry(1));
    store.append(entry(2));
    assertThatThrownBy(() -> store.append(entry(2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("history version 2 is not after the last version 2");
    assertThatThrownBy(() -> store.append(entry(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("history version 1 is not after the last version 2");
    assertThat(store.entries()).containsExactly(entry(1), entry(2));
    assertThat(historyFiles()).hasSize(2);
  }

  @Test
  void appendRefusesATreeThatIsNotJson() throws IOException {
    HistoryStore store = HistoryStore.open(state, 50);
    HistoryEntry bad =
        new HistoryEntry(
            1, "x", "dev", "default", Instant.EPOCH, "startup", "qcfg", List.of(), "{\"a\":");
    assertThatThrownBy(() -> store.append(bad))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("history version 1: tree is not JSON");
    assertThat(store.entries()).isEmpty();
    assertThat(store.lastVersion()).isZero();
    assertThat(historyFiles()).isEmpty();
  }

  @Test
  void keepsOnlyTheNewestVersions() throws IOException {
    HistoryStore store = HistoryStore.open(state, 3);
    for (long v = 1; v <= 5; v++) {
      store.append(entry(v));
    }
    assertThat(store.entries()).extracting(HistoryEntry::version).containsExactly(3L, 4L, 5L);
    assertThat(historyFiles())
        .containsExactly(
            HistoryStore.fileName(3), HistoryStore.fileName(4), HistoryStore.fileName(5));
    assertThat(store.get(2)).isEmpty();

    // A smaller `keep` at the next start prunes at open.
    HistoryStore smaller = HistoryStore.open(state, 2);
    assertThat(smaller.entries()).extracting(HistoryEntry::version).containsExactly(4L, 5L);
    assertThat(historyFiles()).containsExactly(HistoryStore.fileName(4), HistoryStore.fileName(5));
    assertThat(smaller.lastVersion()).isEqualTo(5);
  }

  @Test
  void keepBelowOneIsABadOption() {
    assertThatThrownBy(() -> HistoryStore.open(state, 0))
        .isInstanceOf(QcfgException.BadOption.class)
        .hasMessage(
            "option history: expected a number of versions to keep, at least 1, found 0"
                + " [QCFG-0001]");
  }

  @Test
  void leftoverTempFilesAreDeletedAndOtherFilesLeftAlone() throws IOException {
    HistoryStore.open(state, 50).append(entry(1));
    Path temp = state.resolve("history").resolve(HistoryStore.fileName(2) + ".tmp");
    Files.writeString(temp, "{\"format\":1,\"vers"); // a write killed half-way
    Path notes = state.resolve("history").resolve("README.txt");
    Files.writeString(notes, "mine");

    HistoryStore store = HistoryStore.open(state, 50);
    assertThat(store.entries()).containsExactly(entry(1));
    assertThat(store.lastVersion()).isEqualTo(1);
    assertThat(temp).doesNotExist();
    assertThat(notes).hasContent("mine");
    assertThat(log())
        .contains(temp + ": removed the leftover of an interrupted history write [QCFG-4203]");
    store.append(entry(2));
    assertThat(store.latest()).contains(entry(2));
  }

  static Stream<Arguments> corruptEntries() {
    String good =
        "{\"format\":1,\"version\":2,\"checksum\":\"c\",\"environment\":\"dev\","
            + "\"environmentSource\":\"default\",\"createdAt\":\"2025-01-01T00:00:00Z\","
            + "\"cause\":\"startup\",\"actor\":\"qcfg\",\"files\":[],\"tree\":{}}";
    return Stream.of(
        Arguments.of(
            "truncated",
            good.substring(0, 60),
            "not valid JSON, truncated or edited (line 1, column 61)"),
        Arguments.of("empty", "", "expected a JSON object, found nothing"),
        Arguments.of("array", "[1,2]", "expected a JSON object, found array"),
        Arguments.of("trailing garbage", good + "}", "not valid JSON, truncated or edited"),
        Arguments.of(
            "newer format",
            good.replace("\"format\":1", "\"format\":2"),
            "format 2 is not known to this qcfg (expected 1); written by a newer version?"),
        Arguments.of(
            "wrong version",
            good.replace("\"version\":2", "\"version\":9"),
            "holds version 9 but is named for 2"),
        Arguments.of(
            "missing checksum",
            good.replace("\"checksum\":\"c\",", ""),
            "checksum: expected a string, found nothing"),
        Arguments.of(
            "numeric actor",
            good.replace("\"actor\":\"qcfg\"", "\"actor\":7"),
            "actor: expected a string, found number"),
        Arguments.of(
            "bad time",
            good.replace("2025-01-01T00:00:00Z", "yesterday"),
            "createdAt: expected an ISO-8601 instant, found \"yesterday\""),
        Arguments.of(
            "files not strings",
            good.replace("\"files\":[]", "\"files\":[1]"),
            "files: expected an array of strings, found number"),
        Arguments.of("no tree", good.replace(",\"tree\":{}", ""), "tree: missing"),
        Arguments.of(
            "duplicate key",
            good.replace("\"cause\":", "\"actor\":\"x\",\"cause\":"),
            "not valid JSON, truncated or edited (line 1, column"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corruptEntries")
  void aCorruptEntryIsSkippedWithAWarningThatNamesTheFile(
      String kind, String content, String reason) throws IOException {
    HistoryStore first = HistoryStore.open(state, 50);
    first.append(entry(1));
    first.append(entry(2));
    first.append(entry(3));
    Files.writeString(file(2), content);

    HistoryStore store = HistoryStore.open(state, 50);
    assertThat(store.entries()).containsExactly(entry(1), entry(3));
    assertThat(store.lastVersion()).isEqualTo(3);
    assertThat(log())
        .contains(file(2) + ": skipping unreadable history entry: " + reason)
        .contains("[QCFG-4202]")
        .doesNotContain(HistoryStore.fileName(1))
        .doesNotContain(HistoryStore.fileName(3))
        // the parser's own words (Jackson's) never reach the log, only qcfg's
        .doesNotContain("Unexpected").doesNotContain("Duplicate field")
        .doesNotContain("Trailing token").doesNotContain("com.fasterxml");
  }

  @Test
  void aCorruptNewestEntryStillCountsForTheVersion() throws IOException {
    HistoryStore first = HistoryStore.open(state, 50);
    first.append(entry(1));
    first.append(entry(2));
    byte[] whole = Files.readAllBytes(file(2));
    Files.write(file(2), java.util.Arrays.copyOf(whole, whole.length / 2)); // torn by hand

    HistoryStore store = HistoryStore.open(state, 50);
    assertThat(store.latest()).contains(entry(1)); // the fallback gets the last valid one
    assertThat(store.lastVersion()).isEqualTo(2); // and version 2 is never handed out again
    assertThatThrownBy(() -> store.append(entry(2))).isInstanceOf(IllegalArgumentException.class);
    store.append(entry(3));
    assertThat(store.latest()).contains(entry(3));
  }

  @Test
  void aStateDirectoryThatCannotBeCreatedLeavesAnEmptyUnwritableStore() {
    // Tests run as root, where permissions are not enforced; /proc refuses new entries to root.
    Path state = Path.of("/proc/self/qcfg-state");
    HistoryStore store = HistoryStore.open(state, 50);
    assertThat(store.writable()).isFalse();
    assertThat(store.entries()).isEmpty();
    assertThat(store.lastVersion()).isZero();
    assertThat(log())
        .contains(state.resolve("history") + ": cannot write the history directory (")
        .contains("history is not kept until it can be written [QCFG-4201]");

    assertThatThrownBy(() -> store.append(entry(1)))
        .isInstanceOfSatisfying(
            QcfgException.Refused.class, e -> assertThat(e.id()).isEqualTo("QCFG-4204"))
        .hasMessageStartingWith(
            state.resolve("history").resolve(HistoryStore.fileName(1))
                + ": cannot write history version 1 (")
        .hasMessageEndingWith(
            "); the snapshot stays applied but is not kept in history [QCFG-4204]");
    assertThat(store.entries()).isEmpty();
    assertThat(store.lastVersion()).isZero();
  }

  @Test
  void aStatePathThatIsAFileLeavesAnUnwritableStore() throws IOException {
    Path notADir = state.resolve("state");
    Files.writeString(notADir, "");
    HistoryStore store = HistoryStore.open(notADir, 50);
    assertThat(store.writable()).isFalse();
    assertThat(log()).contains("[QCFG-4201]");
    assertThatThrownBy(() -> store.append(entry(1))).isInstanceOf(QcfgException.Refused.class);
  }

  @Test
  void aFailedWriteIsRefusedAndTheStoreRecoversWhenTheDirectoryIsBack() throws IOException {
    HistoryStore store = HistoryStore.open(state, 50);
    store.append(entry(1));
    // Root ignores permissions, so break the directory instead: a file where it should be.
    Path dir = state.resolve("history");
    Path aside = state.resolve("history.aside");
    Files.move(dir, aside);
    Files.writeString(dir, "not a directory");

    assertThatThrownBy(() -> store.append(entry(2)))
        .isInstanceOf(QcfgException.Refused.class)
        .hasMessageContaining("cannot write history version 2");
    assertThatThrownBy(() -> store.append(entry(2))).isInstanceOf(QcfgException.Refused.class);
    assertThat(store.writable()).isFalse();
    assertThat(store.entries()).containsExactly(entry(1));
    assertThat(store.lastVersion()).isEqualTo(1);
    // Logged once per outage, thrown every time.
    assertThat(log().split("QCFG-4204", -1)).hasSize(2);

    Files.delete(dir);
    Files.move(aside, dir);
    store.append(entry(2));
    assertThat(store.writable()).isTrue();
    assertThat(log()).contains(dir + ": history is writable again [QCFG-4205]");
    assertThat(HistoryStore.open(state, 50).entries()).containsExactly(entry(1), entry(2));
  }

  @Test
  void aReadOnlyDirectoryIsSeenAtOpenWherePermissionsAreEnforced() throws IOException {
    HistoryStore.open(state, 50).append(entry(1));
    Path dir = state.resolve("history");
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
    try {
      boolean enforced;
      try {
        Files.delete(Files.createFile(dir.resolve("probe")));
        enforced = false;
      } catch (IOException e) {
        enforced = true;
      }
      assumeThat(enforced).as("permissions are enforced (not root)").isTrue();
      HistoryStore store = HistoryStore.open(state, 50);
      assertThat(store.writable()).isFalse();
      assertThat(store.entries()).containsExactly(entry(1)); // still readable
      assertThatThrownBy(() -> store.append(entry(2))).isInstanceOf(QcfgException.Refused.class);
    } finally {
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  @Test
  void readersAlwaysSeeAConsistentListWhileTheWriterAppends() throws Exception {
    HistoryStore store = HistoryStore.open(state, 10);
    AtomicBoolean done = new AtomicBoolean();
    ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
    List<Thread> readers = new ArrayList<>();
    for (int r = 0; r < 3; r++) {
      Thread t =
          new Thread(
              () -> {
                while (!done.get()) {
                  List<HistoryEntry> seen = store.entries();
                  if (seen.size() > 10) {
                    errors.add("size " + seen.size());
                  }
                  for (int i = 1; i < seen.size(); i++) {
                    if (seen.get(i).version() != seen.get(i - 1).version() + 1) {
                      errors.add("order " + seen);
                    }
                  }
                  if (!seen.isEmpty()
                      && store.lastVersion() < seen.get(seen.size() - 1).version()) {
                    errors.add("lastVersion behind the list");
                  }
                }
              },
              "qcfg-test-reader-" + r);
      t.start();
      readers.add(t);
    }
    for (long v = 1; v <= 150; v++) {
      store.append(entry(v));
    }
    done.set(true);
    for (Thread t : readers) {
      t.join(10_000);
    }
    assertThat(errors).isEmpty();
    assertThat(store.entries()).extracting(HistoryEntry::version).startsWith(141L).endsWith(150L);
  }
}
