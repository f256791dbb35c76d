package io.qcfg.internal.log;

import io.qcfg.internal.crypto.ForeignText;
import java.io.PrintStream;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * qcfg's own tiny logger: one line per message, in the {@link LogFormat} of the {@code log}
 * option (stderr text, JSON lines, or {@link System.Logger}). qcfg runs inside someone else's
 * JVM, so it never touches java.util.logging early (starting the JUL LogManager from premain
 * breaks servers that install their own) and never brings a logging framework.
 *
 * <p>The level comes from the system property {@code qcfg.log} or the environment variable {@code
 * QCFG_LOG}: {@code debug}, {@code info} (default), {@code warn}, {@code error} or {@code off}.
 * It filters in every format, before {@link System.Logger} sees a message. Callers must never pass
 * a secret value in a message; as a second wall, every line passes {@link ForeignText#scrub}.
 *
 * <p>Concurrency: the format, version source and system logger are volatile; the one writer of
 * each is the qcfg start-up ({@link #configure}, {@link #startupDone}) or the first qcfg thread
 * that logs in {@code system} format (under the class lock).
 */
public final class Log {
  public enum Level {
    DEBUG,
    INFO,
    WARN,
    ERROR,
    OFF
  }

  private static final LongSupplier NO_VERSION = () -> -1;
  private static final Set<String> ONCE = ConcurrentHashMap.newKeySet();
  private static volatile Level threshold = initialLevel();
  private static volatile PrintStream out = System.err;
  private static volatile LogFormat format = LogFormat.STDERR;
  private static volatile LongSupplier version = NO_VERSION;
  private static volatile boolean started; // System.Logger may be touched from now on
  private static volatile System.Logger system;

  private Log() {}

  private static Level initialLevel() {
    String v = System.getProperty("qcfg.log");
    if (v == null) {
      v = System.getenv("QCFG_LOG");
    }
    LogOption o = v == null ? null : LogOption.parse(v); // also the log option: json:debug
    return o == null || o.level() == null ? Level.INFO : o.level();
  }

  /**
   * Sets the format and level (the {@code log} option) at start-up. In {@code system} format,
   * messages go to stderr (text format) until {@link #startupDone} and, after it, to {@link
   * System.Logger} once a qcfg thread has touched it: premain and the transformer never start JUL.
   */
  public static void configure(LogOption option) {
    format = option.format();
    if (option.level() != null) {
      threshold = option.level();
    }
    version = NO_VERSION;
    started = false;
    ChangeLog.reset();
  }

  /**
   * Called on the qcfg thread after the first snapshot: JSON lines carry {@code activeVersion}
   * from now on, and {@code system} format may obtain its {@link System.Logger}.
   */
  public static void startupDone(LongSupplier activeVersion) {
    version = activeVersion;
    started = true;
  }

  public static void setLevel(Level level) {
    threshold = level;
  }

  /** For tests: send log lines somewhere else. */
  public static void redirect(PrintStream stream) {
    out = stream;
  }

  public static boolean enabled(Level level) {
    return level.compareTo(threshold) >= 0 && threshold != Level.OFF;
  }

  public static void debug(String message) {
    log(Level.DEBUG, message, null);
  }

  /**
   * Formats one time stamp, which reads the JVM's time zone (its data file, about 4 ms cold):
   * done on a qcfg thread before the publish, the {@code started} line after it, on a short-lived
   * JVM's exit path, finds it read (issue 16). Prints nothing.
   */
  public static void warmClock() {
    try {
      LogFormat.time(System.currentTimeMillis());
    } catch (RuntimeException e) {
      // the first line reads it then
    }
  }

  public static void info(String message) {
    log(Level.INFO, message, null);
  }

  public static void warn(String message) {
    log(Level.WARN, message, null);
  }

  public static void warn(String message, Throwable t) {
    log(Level.WARN, message, t);
  }

  public static void error(String message) {
    log(Level.ERROR, message, null);
  }

  public static void error(String message, Throwable t) {
    log(Level.ERROR, message, t);
  }

  /** Logs {@code message} at WARN the first time {@code key} is seen, never again. */
  public static void warnOnce(String key, String message) {
    if (ONCE.add(key)) {
      warn(message);
    }
  }

  private static void log(Level level, String message, Throwable t) {
    if (!enabled(level)) {
      return;
    }
    StringBuilder sb = new StringBuilder(128).append(message);
    if (t != null) {
      // Only the type and qcfg's wording: a stack trace may carry values from the application.
      sb.append(" (").append(t.getClass().getName()).append(": ")
          .append(ForeignText.describe(t)).append(')');
    }
    emit(level, sb.toString());
  }

  /**
   * Logs text qcfg built from its own numbers and names only, without the secret scrubber (the
   * start-up trace table: a duration that happens to equal a secret value would be redacted).
   * Never pass anything that holds a configuration value or a library's text.
   */
  static void infoBuiltByQcfg(String message) {
    if (enabled(Level.INFO)) {
      emit(Level.INFO, message, false);
    }
  }

  private static void emit(Level level, String message) {
    emit(level, message, true);
  }

  private static void emit(Level level, String message, boolean scrub) {
    String text = scrub ? ForeignText.scrub(message) : message; // whoever wrote the message
    LogFormat f = format;
    if (f == LogFormat.SYSTEM) {
      System.Logger l = systemLogger();
      if (l != null) {
        l.log(level == Level.DEBUG ? System.Logger.Level.DEBUG
            : level == Level.INFO ? System.Logger.Level.INFO
            : level == Level.WARN ? System.Logger.Level.WARNING : System.Logger.Level.ERROR, text);
        return;
      }
    }
    long now = System.currentTimeMillis();
    String line = f == LogFormat.JSON
        ? LogFormat.json(now, level, text, activeVersion())
        : LogFormat.text(now, level, text);
    PrintStream s = out;
    synchronized (s) {
      s.println(line);
    }
  }

  private static long activeVersion() {
    try {
      return version.getAsLong();
    } catch (RuntimeException e) {
      return -1; // stopped, or no snapshot
    }
  }

  /** The System.Logger, first obtained on a qcfg thread after start-up; else null. */
  private static System.Logger systemLogger() {
    System.Logger l = system;
    if (l != null || !started || !Thread.currentThread().getName().startsWith("qcfg-")) {
      return l;
    }
    synchronized (Log.class) {
      if (system == null) {
        try {
          system = System.getLogger("io.qcfg");
        } catch (RuntimeException | LinkageError e) {
          started = false; // a broken LoggerFinder: stay on stderr
          return null;
        }
      }
      return system;
    }
  }
}
