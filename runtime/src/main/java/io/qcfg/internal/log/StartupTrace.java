package io.qcfg.internal.log;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The start-up trace ({@code trace=startup} or {@code QCFG_TRACE=startup}): each phase on the way
 * from {@code premain} to the first bound field, with its start (milliseconds after {@code premain}
 * began) and its duration, printed once as one table through {@link Log} when the first snapshot
 * is published, bound and recorded. {@code qcfg doctor startup} prints the same table from a fresh
 * JVM.
 *
 * <p>Off by default, and then it costs one static boolean read per phase: callers write {@code
 * long t = StartupTrace.begin(); ...; StartupTrace.end("phase", t);} and both return at once.
 * It turns itself off after printing, so that reloads never record anything.
 *
 * <p>Concurrency: phases are recorded from any thread (the layer parsers, the schema thread, the
 * application's thread) into a list under its own lock; {@link #ON} is volatile.
 */
public final class StartupTrace {
  /** Whether phases are recorded: a plain check for callers on hot paths. */
  public static volatile boolean ON;

  /** One phase: its name, the thread that ran it, start and end in {@link System#nanoTime}. */
  public record Phase(String name, String thread, long startNanos, long endNanos) {}

  private static final List<Phase> PHASES = new ArrayList<>(); // guarded by itself
  private static volatile long origin;
  private static volatile String note = "";
  private static volatile boolean notePremain;
  private static volatile CountDownLatch printed = new CountDownLatch(1);

  private StartupTrace() {}

  /**
   * Turns the trace on; offsets count from {@code originNanos} (when {@code premain} began, or
   * when {@code Qcfg.start} was called).
   */
  public static void enable(long originNanos) {
    synchronized (PHASES) {
      PHASES.clear();
      origin = originNanos;
      note = "";
      notePremain = false;
      printed = new CountDownLatch(1);
      ON = true;
    }
  }

  /** A line printed under the table's title (when premain began in the JVM's life). */
  public static void note(String text) {
    note = text == null ? "" : text;
  }

  /**
   * Asks for the line saying when premain began in the process's life, worked out when the table
   * prints (so premain pays nothing for it).
   */
  public static void notePremainStart() {
    notePremain = true;
  }

  /**
   * "premain began about N ms after the JVM process started", from the process's start in
   * {@code /proc/self/stat} and the system's {@code /proc/uptime} (both to 10 ms; the JDK's
   * {@code ProcessHandle.Info.startInstant} adds the boot time, known to a second only); empty
   * where there is no /proc.
   */
  static String premainNote(long origin, long now) {
    try {
      String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long startTicks = Long.parseLong(f[19]); // field 22, starttime, in USER_HZ (100) ticks
      String up = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/uptime"));
      long upMillis = Math.round(Double.parseDouble(up.substring(0, up.indexOf(' '))) * 1000);
      long ms = upMillis - startTicks * 10 - (now - origin) / 1_000_000;
      return ms < 0 ? "" : "premain began about " + ms + " ms after the JVM process started";
    } catch (java.io.IOException | RuntimeException e) {
      return ""; // not Linux: the line is left out
    }
  }

  /** The start of a phase: {@link System#nanoTime()} when the trace is on, else 0. */
  public static long begin() {
    return ON ? System.nanoTime() : 0;
  }

  /** Records the phase {@code name} that began at {@code startNanos} and ends now. */
  public static void end(String name, long startNanos) {
    if (ON && startNanos != 0) {
      record(name, startNanos, System.nanoTime());
    }
  }

  /** Records a phase with both ends given. */
  public static void record(String name, long startNanos, long endNanos) {
    if (!ON) {
      return;
    }
    Phase p = new Phase(name, Thread.currentThread().getName(), startNanos, endNanos);
    synchronized (PHASES) {
      if (ON) {
        PHASES.add(p);
      }
    }
  }

  /** The phases recorded so far, by start. */
  public static List<Phase> phases() {
    synchronized (PHASES) {
      List<Phase> out = new ArrayList<>(PHASES);
      out.sort(Comparator.comparingLong(Phase::startNanos));
      return out;
    }
  }

  /**
   * Prints the table through {@link Log} (INFO) and turns the trace off; does nothing when it is
   * off or already printed.
   *
   * @param outcome what the table ends with ("first snapshot version 3 bound", ...)
   */
  public static void print(String outcome) {
    List<Phase> all;
    synchronized (PHASES) {
      if (!ON) {
        return;
      }
      ON = false;
      all = new ArrayList<>(PHASES);
    }
    all.sort(Comparator.comparingLong(Phase::startNanos));
    // Numbers, phase and file names, thread names: qcfg's own text, printed unscrubbed so that a
    // duration equal to a secret value is not shown as <redacted>; the outcome may quote a
    // problem, so it is scrubbed.
    long now = System.nanoTime();
    String head = notePremain && note.isEmpty() ? premainNote(origin, now) : note;
    Log.infoBuiltByQcfg(table(all, origin, now, head,
        io.qcfg.internal.crypto.ForeignText.scrub(outcome)));
    printed.countDown();
  }

  /** Waits until the table was printed (for {@code qcfg doctor startup}'s probe JVM). */
  public static boolean awaitPrinted(long millis) throws InterruptedException {
    return printed.await(millis, TimeUnit.MILLISECONDS);
  }

  /** The table: a header, one line per phase, a total line. */
  static String table(List<Phase> phases, long origin, long now, String note, String outcome) {
    StringBuilder sb = new StringBuilder(256 + 80 * phases.size());
    sb.append("start-up trace (trace=startup), milliseconds after premain began:\n");
    if (!note.isEmpty()) {
      sb.append("  ").append(note).append('\n');
    }
    // Padded by hand: String.format wakes the formatter, regex and locale data (issue 16).
    row(sb, "start", "took", "phase", "thread").append(System.lineSeparator());
    for (Phase p : phases) {
      row(sb, ms(p.startNanos() - origin), ms(p.endNanos() - p.startNanos()), p.name(), p.thread())
          .append(System.lineSeparator());
    }
    sb.append("  ");
    pad(sb, ms(now - origin), 8);
    sb.append(' ');
    pad(sb, "", 9);
    sb.append("  ").append(outcome);
    return sb.toString();
  }

  /** {@code String.format("  %8s %9s  %-44s %s", start, took, phase, thread)}. */
  private static StringBuilder row(
      StringBuilder sb, String start, String took, String phase, String thread) {
    sb.append("  ");
    pad(sb, start, 8);
    sb.append(' ');
    pad(sb, took, 9);
    sb.append("  ").append(phase);
    for (int i = phase.length(); i < 44; i++) {
      sb.append(' ');
    }
    return sb.append(' ').append(thread);
  }

  private static void pad(StringBuilder sb, String s, int width) {
    for (int i = s.length(); i < width; i++) {
      sb.append(' ');
    }
    sb.append(s);
  }

  /** {@code nanos} in milliseconds with one decimal, rounded half up, as {@code %.1f} writes. */
  static String ms(long nanos) {
    long tenths = (Math.abs(nanos) + 50_000) / 100_000;
    return (nanos < 0 ? "-" : "") + tenths / 10 + "." + tenths % 10;
  }
}
