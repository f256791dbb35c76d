package io.qcfg.internal.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class StartupTraceTest {
  private final ByteArrayOutputStream log = new ByteArrayOutputStream();

  @AfterEach
  void off() {
    StartupTrace.ON = false;
    Log.redirect(System.err);
  }

  @Test
  void offRecordsNothingAndPrintsNothing() {
    StartupTrace.ON = false;
    long t = StartupTrace.begin();
    assertThat(t).isZero();
    StartupTrace.end("parse x", t);
    Log.redirect(new PrintStream(log, true, StandardCharsets.UTF_8));
    StartupTrace.print("done");
    assertThat(log.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void printsOneTableSortedByStartOnceAndThenStopsRecording() throws Exception {
    long origin = System.nanoTime();
    StartupTrace.enable(origin);
    StartupTrace.record("second", origin + 5_000_000, origin + 7_500_000);
    StartupTrace.record("first", origin + 1_000_000, origin + 2_000_000);
    assertThat(StartupTrace.phases()).extracting(StartupTrace.Phase::name)
        .containsExactly("first", "second");
    Log.redirect(new PrintStream(log, true, StandardCharsets.UTF_8));
    StartupTrace.print("first snapshot: version 1");
    StartupTrace.print("again");
    StartupTrace.record("late", origin, origin + 1);
    String text = log.toString(StandardCharsets.UTF_8);
    assertThat(text).containsOnlyOnce("start-up trace (trace=startup)")
        .contains("first snapshot: version 1").doesNotContain("again").doesNotContain("late");
    assertThat(text.indexOf(" first ")).isLessThan(text.indexOf(" second "));
    assertThat(text).containsPattern("\\s1\\.0\\s+1\\.0\\s+first")
        .containsPattern("\\s5\\.0\\s+2\\.5\\s+second");
    assertThat(StartupTrace.awaitPrinted(1)).isTrue();
  }

  @Test
  void theTableShowsTheNoteAndTheThread() {
    String t = StartupTrace.table(List.of(new StartupTrace.Phase("parse a.conf", "qcfg-parse-1",
        0, 3_000_000)), 0, 4_000_000, "premain began about 90 ms after the JVM process started",
        "done");
    assertThat(t).contains("premain began about 90 ms", "parse a.conf", "qcfg-parse-1")
        .endsWith("done");
  }

  @Test
  void theTableIsWhatStringFormatWroteBefore() {
    List<StartupTrace.Phase> phases = List.of(
        new StartupTrace.Phase("parse a.conf", "qcfg-parse-1", 1_250_000, 3_349_999),
        new StartupTrace.Phase("x".repeat(50), "main", 0, 123_456_789_012L),
        new StartupTrace.Phase("early", "qcfg-state", -40_000, 50_000));
    String n = System.lineSeparator();
    StringBuilder expected = new StringBuilder("start-up trace (trace=startup), milliseconds after"
        + " premain began:\n").append(String.format(java.util.Locale.ROOT,
        "  %8s %9s  %-44s %s%n", "start", "took", "phase", "thread"));
    for (StartupTrace.Phase p : phases) {
      expected.append(String.format(java.util.Locale.ROOT, "  %8.1f %9.1f  %-44s %s%n",
          (p.startNanos()) / 1e6, (p.endNanos() - p.startNanos()) / 1e6, p.name(), p.thread()));
    }
    expected.append(String.format(java.util.Locale.ROOT, "  %8.1f %9s  %s", 7_000_000 / 1e6, "",
        "done"));
    assertThat(StartupTrace.table(phases, 0, 7_000_000, "", "done") + n)
        .isEqualTo(expected + n);
  }

  @Test
  void millisecondsAreRoundedAsPercentPointOneF() {
    java.util.Random random = new java.util.Random(16);
    for (int i = 0; i < 20_000; i++) {
      long nanos = i < 10_000 ? (i - 5_000) * 50_000L + (i % 3) - 1 : random.nextLong() >> 20;
      assertThat(StartupTrace.ms(nanos)).as("%d", nanos)
          .isEqualTo(String.format(java.util.Locale.ROOT, "%.1f", nanos / 1e6));
    }
  }

  /**
   * The "premain began" line comes from /proc to 10 ms: asked at "now", it is the JVM's age, which
   * the JVM's own start time confirms (the JDK's coarse process start put it 200+ ms late).
   */
  @Test
  void premainLineIsTheProcessAgeToTensOfMilliseconds() {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        java.nio.file.Files.exists(java.nio.file.Path.of("/proc/self/stat")));
    long now = System.nanoTime();
    long jvmAge = java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime();
    String note = StartupTrace.premainNote(now, now);
    assertThat(note).startsWith("premain began about ").endsWith(" ms after the JVM process started");
    long age = Long.parseLong(note.replaceAll("[^0-9]", ""));
    assertThat(age).isBetween(jvmAge - 20, jvmAge + 150);
  }
}
