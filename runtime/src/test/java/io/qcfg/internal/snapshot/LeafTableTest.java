package io.qcfg.internal.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigValueFactory;
import io.qcfg.Qcfg;
import io.qcfg.Snapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lookup table of a snapshot (issue 19 item 4): it answers as a {@link HashMap} of the same
 * leaves would, a reload that changes values but no paths shares the last snapshot's path index,
 * one that changes the paths does not, and readers never see a mix of two snapshots.
 */
class LeafTableTest {
  @TempDir Path dir;

  /** Differential: every get, containsKey, size and entry against a HashMap of the same puts. */
  @Property(tries = 300)
  void answersAsAHashMap(@ForAll("paths") List<String> paths,
      @ForAll("paths") List<String> probes) {
    Map<String, Leaf> expected = new HashMap<>();
    LeafTable.Builder b = new LeafTable.Builder(0);
    int i = 0;
    for (String p : paths) {
      Leaf leaf = new Leaf(ConfigValueFactory.fromAnyRef(i++));
      expected.put(p, leaf);
      b.add(p, leaf);
    }
    LeafTable table = b.build(null);
    assertThat(table.size()).isEqualTo(expected.size());
    assertThat(Map.copyOf(table)).isEqualTo(expected);
    for (String p : probes) {
      assertThat(table.get(p)).isSameAs(expected.get(p));
      assertThat(table.containsKey(p)).isEqualTo(expected.containsKey(p));
    }
    // Rebuilt over the same paths: the index is shared, the leaves are the new ones.
    LeafTable.Builder again = new LeafTable.Builder(0);
    for (String p : paths) {
      again.add(new String(p), expected.get(p));
    }
    LeafTable next = again.build(table);
    assertThat(next.sharesIndexWith(table)).isTrue();
    assertThat(Map.copyOf(next)).isEqualTo(expected);
  }

  /**
   * The start tree's order (issue 16): the paths' index is made while some leaves are still
   * unknown (sealed secrets), they are set after it, and the table answers as one built at the
   * end would.
   */
  @Property(tries = 200)
  void anIndexMadeBeforeSomeLeavesAreSetAnswersTheSame(@ForAll("paths") List<String> paths,
      @ForAll("paths") List<String> probes) {
    Map<String, Leaf> expected = new HashMap<>();
    LeafTable.Builder b = new LeafTable.Builder(0);
    List<Integer> later = new ArrayList<>();
    List<Leaf> laterLeaves = new ArrayList<>();
    int i = 0;
    for (String p : paths) {
      Leaf leaf = new Leaf(ConfigValueFactory.fromAnyRef(i));
      expected.put(p, leaf);
      if (i++ % 2 == 0) {
        later.add(b.add(p, null));
        laterLeaves.add(leaf);
      } else {
        b.add(p, leaf);
      }
    }
    PathIndex index = b.index();
    for (int k = 0; k < later.size(); k++) {
      b.set(later.get(k), laterLeaves.get(k));
    }
    LeafTable table = b.buildOn(index);
    assertThat(Map.copyOf(table)).isEqualTo(expected);
    for (String p : probes) {
      assertThat(table.get(p)).isSameAs(expected.get(p));
    }
  }

  @Provide
  Arbitrary<List<String>> paths() {
    // Few distinct short names: repeats, collisions in the table and near-misses are common.
    return Arbitraries.strings().withChars("ab.\"0").ofMaxLength(4).list().ofMaxSize(60);
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void aValueChangeSharesTheIndexAPathChangeDoesNot() throws Exception {
    Path app = dir.resolve("application.conf");
    Files.writeString(app, "a.port = 1\nb.name = x\n");
    Qcfg.start(Map.of("dir", dir.toString(), "state", dir.resolve("state").toString(),
        "watch", "false", "jmx", "false"));
    try {
      ConfigSnapshot first = (ConfigSnapshot) Qcfg.current();
      Files.writeString(app, "a.port = 2\nb.name = y\n");
      ConfigSnapshot second = (ConfigSnapshot) Qcfg.reload();
      assertThat(second.leaves().sharesIndexWith(first.leaves())).isTrue();
      assertThat(second.getInt("a.port")).isEqualTo(2);
      assertThat(second.getString("b.name")).isEqualTo("y");
      assertThat(first.getInt("a.port")).as("the old snapshot is untouched").isEqualTo(1);

      Files.writeString(app, "a.port = 2\nb.label = y\n");
      ConfigSnapshot third = (ConfigSnapshot) Qcfg.reload();
      assertThat(third.leaves().sharesIndexWith(second.leaves())).isFalse();
      assertThat(third.leaves().keySet()).containsExactlyInAnyOrder("a.port", "b.label");
      assertThat(third.leaves().get("b.name")).isNull();
      assertThat(second.getString("b.name")).isEqualTo("y");
    } finally {
      Qcfg.stop();
    }
  }

  /**
   * Many readers look up every leaf of one snapshot while reloads change all their values (the
   * paths stay, so each new snapshot shares the index): every snapshot read shows one version.
   */
  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void readersNeverSeeTwoSnapshotsInOne() throws Exception {
    int n = 50;
    Files.writeString(dir.resolve("application.conf"), values(0, n));
    Qcfg.start(Map.of("dir", dir.toString(), "state", dir.resolve("state").toString(),
        "watch", "false", "jmx", "false"));
    try {
      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong torn = new AtomicLong();
      AtomicLong reads = new AtomicLong();
      List<Throwable> errors = new CopyOnWriteArrayList<>();
      List<Thread> readers = new ArrayList<>();
      for (int r = 0; r < 3; r++) {
        Thread t = new Thread(() -> {
          try {
            while (!stop.get()) {
              Snapshot s = Qcfg.current();
              int v = s.getInt("k.v0");
              for (int i = 1; i < n; i++) {
                if (s.getInt("k.v" + i) != v) {
                  torn.incrementAndGet();
                }
              }
              reads.incrementAndGet();
            }
          } catch (Throwable e) {
            errors.add(e);
          }
        }, "leaf-table-reader-" + r);
        t.start();
        readers.add(t);
      }
      ConfigSnapshot last = (ConfigSnapshot) Qcfg.current();
      int shared = 0;
      for (int round = 1; round <= 100; round++) {
        Qcfg.setOverride("k", "{" + values(round, n).replace('\n', ',') + "}");
        ConfigSnapshot now = (ConfigSnapshot) Qcfg.current();
        shared += now.leaves().sharesIndexWith(last.leaves()) ? 1 : 0;
        last = now;
      }
      stop.set(true);
      for (Thread t : readers) {
        t.join();
      }
      assertThat(errors).isEmpty();
      assertThat(torn.get()).isZero();
      assertThat(reads.get()).isPositive();
      assertThat(shared).as("reloads that shared the index").isGreaterThanOrEqualTo(99);
      assertThat(Qcfg.current().getInt("k.v" + (n - 1))).isEqualTo(100);
    } finally {
      Qcfg.stop();
    }
  }

  private static String values(int value, int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append(i == 0 ? "" : "\n").append(value == 0 ? "k." : "").append("v").append(i)
          .append(" = ").append(value);
    }
    return sb.toString();
  }
}
