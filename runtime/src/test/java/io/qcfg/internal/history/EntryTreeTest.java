package io.qcfg.internal.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.StreamReadConstraints;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15: history's own limits are checked when the tree is parsed, before a version exists
 * (small limits through the package-private seam stand for Jackson's 20 MB and 1,000 digits).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class EntryTreeTest {
  @TempDir Path state;

  static String nested(int levels) {
    return "{\"a\":".repeat(levels) + "1" + "}".repeat(levels);
  }

  static HistoryEntry entry(long version, String tree) {
    return new HistoryEntry(version, "c".repeat(64), "production", "option",
        Instant.parse("2025-01-02T03:04:05Z"), "startup", "qcfg", List.of(), tree);
  }

  @Test
  void aTreeAsDeepAsHistoryCanReadBackIsKeptOneLevelDeeperIsNot() throws Exception {
    int entryDepth = StreamReadConstraints.defaults().getMaxNestingDepth(); // 1,000
    EntryTree fits = EntryTree.parse(nested(entryDepth - 1));
    HistoryStore store = HistoryStore.open(state, 5);
    store.append(entry(1, fits.json()), fits);
    assertThat(HistoryStore.open(state, 5).get(1)).as("read back after a restart").isPresent();

    assertThatThrownBy(() -> EntryTree.parse(nested(entryDepth)))
        .isInstanceOf(EntryTree.CannotHold.class)
        .hasMessageContaining("nests deeper than history can keep (999 levels)")
        .satisfies(e -> assertThat(((EntryTree.CannotHold) e).path())
            .startsWith("a.a.a").hasSize(2 * (entryDepth - 1) - 1));
  }

  @Test
  void eachLimitIsNamedWithThePathWhereItIsHit() throws Exception {
    StreamReadConstraints small = StreamReadConstraints.builder()
        .maxStringLength(10).maxNumberLength(5).maxNameLength(8).maxNestingDepth(4).build();
    assertThatThrownBy(() -> EntryTree.parse("{\"db\":{\"url\":\"" + "x".repeat(11) + "\"}}",
        small))
        .hasMessageContaining("a value is longer than history can keep (10 characters)")
        .satisfies(e -> assertThat(((EntryTree.CannotHold) e).path()).isEqualTo("db.url"));
    assertThatThrownBy(() -> EntryTree.parse("{\"n\":{\"x.y\":1234567}}", small))
        .hasMessageContaining("a number is longer than history can keep (5 digits)")
        .satisfies(e -> assertThat(((EntryTree.CannotHold) e).path()).isEqualTo("n.\"x.y\""));
    assertThatThrownBy(() -> EntryTree.parse("{\"hosts\":[\"a\",\"" + "y".repeat(11) + "\"]}",
        small))
        .satisfies(e -> assertThat(((EntryTree.CannotHold) e).path())
            .as("a list is a leaf").isEqualTo("hosts"));
    assertThatThrownBy(() -> EntryTree.parse("{\"a\":{\"b\":{\"c\":{\"d\":1}}}}", small))
        .hasMessageContaining("(3 levels)")
        .satisfies(e -> assertThat(((EntryTree.CannotHold) e).path()).isEqualTo("a.b.c"));
    assertThatThrownBy(() -> EntryTree.parse("{\"" + "k".repeat(9) + "\":1}", small))
        .hasMessageContaining("a key is longer than history can keep (8 characters)");
    assertThat(EntryTree.parse("{\"db\":{\"url\":\"" + "x".repeat(10) + "\"}}", small).json())
        .contains("xxxxxxxxxx");
  }

  @Test
  void appendWithoutAParsedTreeRefusesWhatHistoryCannotHoldAndKeepsNothing() {
    HistoryStore store = HistoryStore.open(state, 5);
    assertThatThrownBy(() -> store.append(entry(1, nested(1000))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nests deeper");
    assertThat(store.lastVersion()).isZero();
    assertThat(store.entries()).isEmpty();
  }
}
