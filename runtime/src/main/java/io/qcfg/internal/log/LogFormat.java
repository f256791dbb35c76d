package io.qcfg.internal.log;

import io.qcfg.internal.text.IsoTime;
import java.time.Instant;
import java.time.OffsetDateTime;
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
    int offset = offsetSeconds(java.util.TimeZone.getDefault(), epochMilli);
    String fast = IsoTime.millisWithOffset(epochMilli, offset);
    return fast != null ? fast : Lazy.TIME.format(OffsetDateTime.ofInstant(
        Instant.ofEpochMilli(epochMilli), ZoneOffset.ofTotalSeconds(offset)));
  }

  /** 1900-01-01T00:00Z and 2036-01-01T00:00Z: where the two offsets below agree. */
  static final long SAME_OFFSETS_FROM = -2_208_988_800_000L;
  static final long SAME_OFFSETS_UNTIL = 2_082_758_400_000L;

  /**
   * The offset of {@code zone} at {@code epochMilli}, in seconds, as {@code
   * zone.toZoneId().getRules().getOffset(instant)} gives it. Between 1900 and 2036 from {@link
   * java.util.TimeZone} itself, which reads the same time-zone data: {@code ZoneId}'s rules load
   * {@code java.time.zone.ZoneRulesProvider}, whose {@code ServiceLoader} opens every jar of the
   * class path, qcfg.jar (7 MB, thousands of entries) among them: 75-100 ms cold for the first log
   * line, which a fast restart writes right after its publish, before an exit may end the JVM
   * (issue 16). Outside those years the two differ (local mean time; a few zones' rules from the
   * last hours of 2036), and the rules decide. {@code LogFormatTest} compares both on every zone.
   */
  static int offsetSeconds(java.util.TimeZone zone, long epochMilli) {
    if (epochMilli >= SAME_OFFSETS_FROM && epochMilli < SAME_OFFSETS_UNTIL) {
      return zone.getOffset(epochMilli) / 1000;
    }
    return zone.toZoneId().getRules().getOffset(Instant.ofEpochMilli(epochMilli))
        .getTotalSeconds();
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
