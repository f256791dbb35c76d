package io.qcfg.internal.log;

import io.qcfg.internal.crypto.ForeignText;
import java.io.PrintStream;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * qcfg's own tiny logger: one line per message to stderr, prefixed {@code [qcfg]}. qcfg runs
 * inside someone else's JVM, so it never touches java.util.logging (starting the JUL LogManager
 * from premain breaks servers that install their own) and never brings a logging framework.
 *
 * <p>The level comes from the system property {@code qcfg.log} or the environment variable {@code
 * QCFG_LOG}: {@code debug}, {@code info} (default), {@code warn}, {@code error} or {@code off}.
 * Callers must never pass a secret value in a message; as a second wall, every line passes
 * {@link ForeignText#scrub}.
 */
public final class Log {
  public enum Level {
    DEBUG,
    INFO,
    WARN,
    ERROR,
    OFF
  }

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");
  private static final Set<String> ONCE = ConcurrentHashMap.newKeySet();
  private static volatile Level threshold = initialLevel();
  private static volatile PrintStream out = System.err;

  private Log() {}

  private static Level initialLevel() {
    String v = System.getProperty("qcfg.log");
    if (v == null) {
      v = System.getenv("QCFG_LOG");
    }
    if (v == null) {
      return Level.INFO;
    }
    try {
      return Level.valueOf(v.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return Level.INFO;
    }
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
    StringBuilder sb =
        new StringBuilder(128)
            .append(LocalTime.now().format(TIME))
            .append(" [qcfg] ")
            .append(level == Level.INFO ? "" : level.name() + " ")
            .append(message);
    if (t != null) {
      // Only the type and qcfg's wording: a stack trace may carry values from the application.
      sb.append(" (").append(t.getClass().getName()).append(": ")
          .append(ForeignText.describe(t)).append(')');
    }
    PrintStream s = out;
    String line = ForeignText.scrub(sb.toString()); // whoever wrote the message
    synchronized (s) {
      s.println(line);
    }
  }
}
