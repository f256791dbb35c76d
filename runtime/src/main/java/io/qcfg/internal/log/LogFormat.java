package io.qcfg.internal.log;

import io.qcfg.internal.text.IsoTime;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Where and how qcfg's log lines go: the {@code log} option. */
public enum LogFormat {
  /** One line per message on stderr: date-time, {@code [qcfg]}, level unless INFO, message. */
  STDERR,
  /** One JSON object per line on stderr: time, level, id, message, version. */
  JSON,
  /** {@link System.Logger} {@code io.qcfg}: JUL, or the application's LoggerFinder bridge. */
  SYSTEM;

  /** Only for a clock before year 1 or after 9999 (issue 16: java.time.format is cold). */
  private static final class Lazy {
    static final DateTimeFormatter TIME =
        DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX", Locale.ROOT);
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
  static String text(long epochMilli, Log.Level level, String message) {
    return time(epochMilli) + " [qcfg] " + (level == Log.Level.INFO ? "" : level.name() + " ")
        + message;
  }

  /**
   * The JSON line: {@code {"time":...,"level":...,"id":...,"message":...,"version":...}}; {@code
   * id} is the first QCFG-NNNN in the message, {@code version} the active one (-1: none yet), each
   * left out when unknown.
   */
  static String json(long epochMilli, Log.Level level, String message, long version) {
    StringBuilder sb = new StringBuilder(96 + message.length())
        .append("{\"time\":\"").append(time(epochMilli))
        .append("\",\"level\":\"").append(level.name()).append('"');
    int id = messageId(message);
    if (id >= 0) {
      sb.append(",\"id\":\"").append(message, id, id + 9).append('"');
    }
    sb.append(",\"message\":");
    quote(sb, message);
    if (version >= 0) {
      sb.append(",\"version\":").append(version);
    }
    return sb.append('}').toString();
  }

  /** {@code yyyy-MM-dd'T'HH:mm:ss.SSSXXX} in the JVM's time zone. */
  static String time(long epochMilli) {
    Instant at = Instant.ofEpochMilli(epochMilli);
    ZoneOffset offset = ZoneId.systemDefault().getRules().getOffset(at);
    String fast = IsoTime.millisWithOffset(epochMilli, offset.getTotalSeconds());
    return fast != null ? fast : Lazy.TIME.format(OffsetDateTime.ofInstant(at, offset));
  }

  /** Where the first {@code QCFG-NNNN} (ASCII digits) starts in {@code message}; -1: none. */
  static int messageId(String message) {
    for (int at = message.indexOf("QCFG-"); at >= 0; at = message.indexOf("QCFG-", at + 1)) {
      if (at + 9 <= message.length() && isDigit(message, at + 5) && isDigit(message, at + 6)
          && isDigit(message, at + 7) && isDigit(message, at + 8)) {
        return at;
      }
    }
    return -1;
  }

  private static boolean isDigit(String s, int at) {
    char c = s.charAt(at);
    return c >= '0' && c <= '9';
  }

  private static void quote(StringBuilder sb, String s) {
    io.qcfg.internal.text.JsonText.quote(sb, s);
  }
}
