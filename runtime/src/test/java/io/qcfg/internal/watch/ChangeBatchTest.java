package io.qcfg.internal.watch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChangeBatchTest {
  private static final long MS = 1_000_000;

  @Test
  void isDueOnceQuietForTheWindow() {
    ChangeBatch batch = new ChangeBatch(Duration.ofMillis(50), Duration.ofSeconds(2));
    assertThat(batch.isDue(0)).isFalse();
    batch.add(Path.of("a.conf"), 0);
    batch.add(Path.of("b.conf"), 40 * MS);
    assertThat(batch.isDue(89 * MS)).isFalse();
    assertThat(batch.isDue(90 * MS)).isTrue();
    assertThat(batch.take()).containsExactlyInAnyOrder(Path.of("a.conf"), Path.of("b.conf"));
    assertThat(batch.isEmpty()).isTrue();
  }

  @Test
  void aTreeThatNeverGoesQuietIsStillDeliveredAfterTheMaxDelay() {
    ChangeBatch batch = new ChangeBatch(Duration.ofMillis(50), Duration.ofSeconds(2));
    for (long t = 0; t <= 2000; t += 10) {
      batch.add(Path.of("a.conf"), t * MS);
    }
    assertThat(batch.isDue(2000 * MS)).isTrue();
  }

  @Test
  void collapsesToTheWholeDirectoryPastTheCapAndStaysCollapsedUntilTaken() {
    ChangeBatch batch = new ChangeBatch(Duration.ofMillis(50), Duration.ofSeconds(2));
    for (int i = 0; i < 10_000; i++) {
      batch.add(Path.of("secrets", "k" + i), i);
    }
    assertThat(batch.take()).containsExactly(ChangeBatch.WHOLE_DIR);
    batch.add(Path.of("a.conf"), 0);
    assertThat(batch.take()).containsExactly(Path.of("a.conf"));
  }

  @Test
  void aFileWrittenInPlaceIsDueOnlyAfterTwoIdenticalReadsSettleApart() {
    Map<Path, Object> content = new HashMap<>(Map.of(Path.of("a.conf"), "half"));
    ChangeBatch batch = new ChangeBatch(
        Duration.ofMillis(50), Duration.ofMillis(250), Duration.ofSeconds(2), content::get);
    batch.addInPlace(Path.of("a.conf"), 0);
    assertThat(batch.isDue(50 * MS)).as("first read, not yet due").isFalse();
    assertThat(batch.dueNanos()).isEqualTo(300 * MS);
    content.put(Path.of("a.conf"), "whole"); // written on without an event (events lost)
    assertThat(batch.isDue(300 * MS)).as("second read differs").isFalse();
    assertThat(batch.isDue(549 * MS)).isFalse();
    assertThat(batch.isDue(550 * MS)).as("same content settle apart").isTrue();
  }

  @Test
  void aNewEventWhileSettlingStartsOver() {
    ChangeBatch batch = new ChangeBatch(
        Duration.ofMillis(50), Duration.ofMillis(250), Duration.ofSeconds(2), p -> "same");
    batch.addInPlace(Path.of("a.conf"), 0);
    assertThat(batch.isDue(50 * MS)).isFalse();
    batch.addInPlace(Path.of("a.conf"), 100 * MS); // the writer's second burst
    assertThat(batch.isDue(300 * MS)).as("the first read was before the burst").isFalse();
    assertThat(batch.isDue(549 * MS)).isFalse();
    assertThat(batch.isDue(550 * MS)).isTrue();
  }

  /**
   * What a delivery hands over with its paths: the content a file written in place settled on
   * (not a later read), and the others' content as the batch is taken.
   */
  @Test
  void theSeenContentIsTheSettledOneForAFileWrittenInPlace() {
    Map<Path, Object> content = new HashMap<>(Map.of(Path.of("a.conf"), "whole",
        Path.of("b.conf"), "renamed"));
    ChangeBatch batch = new ChangeBatch(
        Duration.ofMillis(50), Duration.ofMillis(250), Duration.ofSeconds(2), content::get);
    batch.addInPlace(Path.of("a.conf"), 0);
    batch.add(Path.of("b.conf"), 0);
    batch.add(Path.of("gone.conf"), 0);
    assertThat(batch.isDue(50 * MS)).isFalse();
    assertThat(batch.isDue(300 * MS)).isTrue();
    content.put(Path.of("a.conf"), "the next write's first burst");
    Map<Path, Object> expected = new HashMap<>();
    expected.put(Path.of("a.conf"), "whole");
    expected.put(Path.of("b.conf"), "renamed");
    expected.put(Path.of("gone.conf"), null);
    assertThat(batch.seen()).isEqualTo(expected);
    batch.take();
    batch.add(Path.of("a.conf"), 400 * MS); // the next batch settles anew
    assertThat(batch.seen()).containsEntry(Path.of("a.conf"), "the next write's first burst");
  }

  @Test
  void renamedIntoPlaceOrGoneNeedsNoSettling() {
    ChangeBatch batch = new ChangeBatch(
        Duration.ofMillis(50), Duration.ofMillis(250), Duration.ofSeconds(2), p -> null);
    batch.add(Path.of("a.conf"), 0);
    assertThat(batch.isDue(50 * MS)).isTrue();
    batch.take();
    // A temporary file written in place, then renamed away: nothing left to settle.
    batch.addInPlace(Path.of("a.conf.new"), 0);
    batch.add(Path.of("a.conf"), 10 * MS);
    assertThat(batch.isDue(60 * MS)).isTrue();
  }

  @Test
  void maxDelayIsTwoSecondsOrTenWindows() {
    assertThat(ChangeBatch.maxDelayFor(Duration.ofMillis(50))).isEqualTo(Duration.ofSeconds(2));
    assertThat(ChangeBatch.maxDelayFor(Duration.ofSeconds(1))).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void editorNoiseNames() {
    for (String noise :
        new String[] {
          "application.conf~",
          ".application.conf.swp",
          ".local.conf.swx",
          ".a.swo",
          "4913",
          "x.tmp",
          "application.conf___jb_tmp___",
          "application.conf___jb_old___",
          ".#local.conf",
          "#local.conf#"
        }) {
      assertThat(EditorNoise.matches(noise)).as(noise).isTrue();
    }
    for (String real :
        new String[] {"application.conf", "local.conf", "db.password", "4914", "#", "..data"}) {
      assertThat(EditorNoise.matches(real)).as(real).isFalse();
    }
    assertThat(EditorNoise.isVolumeInternal("..data")).isTrue();
    assertThat(EditorNoise.isVolumeInternal("..2026_01_01_00_00_00.1")).isTrue();
    assertThat(EditorNoise.isVolumeInternal(".hidden.conf")).isFalse();
  }
}
