package io.qcfg.internal.log;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Where and how qcfg's log lines go: the {@code log} option. */
public enum LogFormat {
  /** One line per message on stderr: date-time, {@code [qcfg]}, level unless INFO, message. */
  STDERR,
  /** One JSON object per line on stderr: time, level, id, message, version. */
  JSON,
  /** {@link System.Logger} {@code io.qcfg}: JUL, or the application's LoggerFinder bridge. */
  SYSTEM;

  /** Built at the first log line, not when premain parses the option (issue 16). */
  private static final class Lazy {
    static final DateTimeFormatter TIME =
        DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX", Locale.ROOT);
    static final Pattern ID = Pattern.compile("QCFG-\\d{4}");
  }

  /** Parses the option value; null for an unknown one. */
  public static LogFormat parse(String s) {
    for (LogFormat f : values()) {
      if (f.name().equalsIgnoreCase(s.trim())) {
        return f;
      }
    }
    return null;
  }

  /** The stderr line: {@code 2026-12-04T06:29:25.123+00:00 [qcfg] WARN message}. */
  static String text(OffsetDateTime time, Log.Level level, String message) {
    return Lazy.TIME.format(time) + " [qcfg] " + (level == Log.Level.INFO ? "" : level.name() + " ")
        + message;
  }

  /**
   * The JSON line: {@code {"time":...,"level":...,"id":...,"message":...,"version":...}}; {@code
   * id} is the first QCFG-NNNN in the message, {@code version} the active one (-1: none yet), each
   * left out when unknown.
   */
  static String json(OffsetDateTime time, Log.Level level, String message, long version) {
    StringBuilder sb = new StringBuilder(96 + message.length())
        .append("{\"time\":\"").append(Lazy.TIME.format(time))
        .append("\",\"level\":\"").append(level.name()).append('"');
    Matcher m = Lazy.ID.matcher(message);
    if (m.find()) {
      sb.append(",\"id\":\"").append(m.group()).append('"');
    }
    sb.append(",\"message\":");
    quote(sb, message);
    if (version >= 0) {
      sb.append(",\"version\":").append(version);
    }
    return sb.append('}').toString();
  }

  private static void quote(StringBuilder sb, String s) {
    io.qcfg.internal.text.JsonText.quote(sb, s);
  }
}
