package io.qcfg.internal.text;

import java.time.Instant;

/**
 * ISO-8601 timestamps as {@link Instant#toString()} and {@link Instant#parse} write and read
 * them, without {@code java.time.format}: the first {@code Instant.toString()} of a JVM loads
 * about 60 formatter and temporal classes (9 ms and more, cold) on qcfg's start path (history,
 * audit and log lines). Years 0000 to 9999 are done here; any other instant, and any text not in
 * the canonical form, goes to the JDK, so the results are the JDK's in every case.
 */
public final class IsoTime {
  private static final long MIN_SECOND = -62_167_219_200L; // 0000-01-01T00:00:00Z
  private static final long MAX_SECOND = 253_402_300_799L; // 9999-12-31T23:59:59Z
  private static final long YEAR_1 = -62_135_596_800L; // 0001-01-01T00:00:00Z ("yyyy" is of era)

  private IsoTime() {}

  /** Exactly {@code t.toString()}. */
  public static String instant(Instant t) {
    long seconds = t.getEpochSecond();
    if (seconds < MIN_SECOND || seconds > MAX_SECOND) {
      return t.toString();
    }
    StringBuilder sb = new StringBuilder(30);
    dateTime(sb, seconds);
    fraction(sb, t.getNano());
    return sb.append('Z').toString();
  }

  /**
   * {@code yyyy-MM-dd'T'HH:mm:ss.SSSXXX} (what {@code DateTimeFormatter.ofPattern} writes) for
   * {@code epochMilli} at {@code offsetSeconds} from UTC; null for a year outside 0001 to 9999.
   */
  public static String millisWithOffset(long epochMilli, int offsetSeconds) {
    long local = Math.floorDiv(epochMilli, 1000) + offsetSeconds;
    if (local < YEAR_1 || local > MAX_SECOND) {
      return null;
    }
    StringBuilder sb = new StringBuilder(29);
    dateTime(sb, local);
    sb.append('.');
    pad(sb, (int) Math.floorMod(epochMilli, 1000), 3);
    int abs = Math.abs(offsetSeconds);
    if (abs < 60) {
      return sb.append('Z').toString(); // XXX drops the seconds; nothing left is "Z"
    }
    sb.append(offsetSeconds < 0 ? '-' : '+');
    pad(sb, abs / 3600, 2);
    sb.append(':');
    pad(sb, abs / 60 % 60, 2);
    return sb.toString();
  }

  /** Exactly {@code Instant.parse(text)}: the same instant, or the same exception. */
  public static Instant parseInstant(CharSequence text) {
    Instant fast = parseCanonical(text);
    return fast != null ? fast : Instant.parse(text);
  }

  /** {@code yyyy-MM-ddTHH:mm:ss[.SSS|.SSSSSS|.SSSSSSSSS]Z} with valid fields; else null. */
  private static Instant parseCanonical(CharSequence s) {
    int n = s.length();
    if (n != 20 && n != 24 && n != 27 && n != 30) {
      return null;
    }
    if (s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
        || s.charAt(16) != ':' || s.charAt(n - 1) != 'Z' || (n > 20 && s.charAt(19) != '.')) {
      return null;
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 2);
    int day = digits(s, 8, 2);
    int hour = digits(s, 11, 2);
    int minute = digits(s, 14, 2);
    int second = digits(s, 17, 2);
    int nano = n == 20 ? 0 : digits(s, 20, n - 21);
    if (year < 0 || month < 1 || month > 12 || day < 1 || day > monthLength(year, month)
        || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59
        || nano < 0) {
      return null;
    }
    for (int i = n - 21; i < 9; i++) {
      nano *= 10;
    }
    long epochSecond = daysFromCivil(year, month, day) * 86_400L
        + hour * 3600L + minute * 60L + second;
    return Instant.ofEpochSecond(epochSecond, nano);
  }

  /** The ASCII decimal number of {@code count} digits at {@code at}; -1 if one is not a digit. */
  private static int digits(CharSequence s, int at, int count) {
    int v = 0;
    for (int i = at; i < at + count; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  private static int monthLength(int year, int month) {
    if (month == 2) {
      boolean leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
      return leap ? 29 : 28;
    }
    return month == 4 || month == 6 || month == 9 || month == 11 ? 30 : 31;
  }

  /** {@code yyyy-MM-ddTHH:mm:ss} of the UTC second {@code seconds} (a year 0000 to 9999). */
  private static void dateTime(StringBuilder sb, long seconds) {
    long day = Math.floorDiv(seconds, 86_400L);
    int secondOfDay = (int) Math.floorMod(seconds, 86_400L);
    // Civil date from a day count (H. Hinnant, "chrono-Compatible Low-Level Date Algorithms").
    long z = day + 719_468L;
    long era = Math.floorDiv(z, 146_097L);
    long doe = z - era * 146_097L;
    long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    int d = (int) (doy - (153 * mp + 2) / 5 + 1);
    int m = (int) (mp < 10 ? mp + 3 : mp - 9);
    int y = (int) (yoe + era * 400 + (m <= 2 ? 1 : 0));
    pad(sb, y, 4);
    sb.append('-');
    pad(sb, m, 2);
    sb.append('-');
    pad(sb, d, 2);
    sb.append('T');
    pad(sb, secondOfDay / 3600, 2);
    sb.append(':');
    pad(sb, secondOfDay / 60 % 60, 2);
    sb.append(':');
    pad(sb, secondOfDay % 60, 2);
  }

  /** Days from 1970-01-01 to the civil date (the inverse of the conversion above). */
  private static long daysFromCivil(int year, int month, int day) {
    long y = month <= 2 ? year - 1 : year;
    long era = Math.floorDiv(y, 400L);
    long yoe = y - era * 400;
    long doy = (153L * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146_097L + doe - 719_468L;
  }

  /** {@code Instant.toString}'s fraction: none, or 3, 6 or 9 digits, as few as are exact. */
  private static void fraction(StringBuilder sb, int nano) {
    if (nano == 0) {
      return;
    }
    sb.append('.');
    if (nano % 1_000_000 == 0) {
      pad(sb, nano / 1_000_000, 3);
    } else if (nano % 1000 == 0) {
      pad(sb, nano / 1000, 6);
    } else {
      pad(sb, nano, 9);
    }
  }

  private static void pad(StringBuilder sb, int value, int width) {
    String s = Integer.toString(value);
    for (int i = s.length(); i < width; i++) {
      sb.append('0');
    }
    sb.append(s);
  }
}
