package io.qcfg.internal.text;

/**
 * Fixed-width numbers for file names and state files, without {@code String.format}: that loads
 * the formatter and the default locale's number symbols (10–20 ms in a cold JVM, on the way to
 * qcfg's first publish), and in a locale with other digits it would write those digits.
 */
public final class Digits {
  private Digits() {}

  /** {@code value} (not negative) in decimal, left-padded with zeros to {@code width}. */
  public static String zeroPadded(long value, int width) {
    if (value < 0) {
      throw new IllegalArgumentException("negative: " + value);
    }
    return pad(Long.toString(value), width);
  }

  /** {@code value} (not negative) in lower-case hex, left-padded with zeros to {@code width}. */
  public static String hex(long value, int width) {
    if (value < 0) {
      throw new IllegalArgumentException("negative: " + value);
    }
    return pad(Long.toHexString(value), width);
  }

  private static String pad(String s, int width) {
    return s.length() >= width ? s : "0".repeat(width - s.length()) + s;
  }
}
