package io.qcfg.internal.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Issue 16 item 2: the newest entry's head, streamed, agrees with the entry read in full. */
@Timeout(30)
class HistoryHeadTest {
  @TempDir Path state;

  private static HistoryEntry entry(long v, String sum) {
    return new HistoryEntry(v, sum, "staging", "option", Instant.parse("2026-01-02T03:04:05Z"),
        "startup", "qcfg", List.of("a.conf"), "{\"a\":{\"b\":[1,2.50,{\"c\":\"d\"}]}}");
  }

  private Path file(long v) {
    return state.resolve("history").resolve(HistoryStore.fileName(v));
  }

  @Test
  void theHeadOfTheNewestEntryIsReadWithoutLoadingTheEntries() {
    HistoryStore store = HistoryStore.open(state, 50);
    assertThat(store.head()).isEmpty();
    store.append(entry(1, "aaa"));
    store.append(entry(2, "bbb"));
    HistoryStore reopened = HistoryStore.open(state, 50);
    assertThat(reopened.head()).contains(new HistoryStore.Head(2, "bbb", "staging"));
    // and the same once the entries are loaded
    assertThat(reopened.entries()).hasSize(2);
    assertThat(reopened.head()).contains(new HistoryStore.Head(2, "bbb", "staging"));
  }

  @Test
  void aDamagedNewestEntryHasNoHeadAsTheFullReadSkipsIt() throws Exception {
    HistoryStore store = HistoryStore.open(state, 50);
    store.append(entry(1, "aaa"));
    store.append(entry(2, "bbb"));
    String good = Files.readString(file(2));
    for (String bad : List.of(good.substring(0, good.length() / 2), good + "{}",
        good.replace("\"format\":1", "\"format\":9"), good.replace("\"version\":2", "\"version\":3"),
        good.replace("\"createdAt\":\"2026-01-02T03:04:05Z\"", "\"createdAt\":\"yesterday\""),
        good.replace("\"checksum\":\"bbb\"", "\"checksum\":7"),
        good.replace("\"files\":[\"a.conf\"]", "\"files\":[1]"), "[]", "")) {
      Files.writeString(file(2), bad);
      HistoryStore reopened = HistoryStore.open(state, 50);
      assertThat(reopened.head()).as(bad).isEmpty();
      assertThat(reopened.entries()).as(bad).extracting(HistoryEntry::version).containsExactly(1L);
    }
  }
}
