package io.qcfg.internal.log;

import java.util.Locale;

/**
 * The {@code log} option: a format ({@code stderr}, {@code json}, {@code system}), a level
 * ({@code debug}, {@code info}, {@code warn}, {@code error}, {@code off}), or both as {@code
 * json:debug}. A level alone keeps {@code QCFG_LOG=debug}, the level switch that came before the
 * option, working: {@code QCFG_LOG} is also the option's environment variable.
 *
 * @param format where lines go
 * @param level the threshold, or null to keep the current one
 */
public record LogOption(LogFormat format, Log.Level level) {
  /** {@code stderr}, level unchanged. */
  public static final LogOption DEFAULT = new LogOption(LogFormat.STDERR, null);

  /** Parses the option value; null when it is not of the form above. */
  public static LogOption parse(String s) {
    LogFormat format = null;
    Log.Level level = null;
    String[] words = s.trim().split(":", -1);
    if (words.length > 2) {
      return null;
    }
    for (String w : words) {
      LogFormat f = LogFormat.parse(w);
      Log.Level l = level(w);
      if (f != null && format == null) {
        format = f;
      } else if (l != null && level == null) {
        level = l;
      } else {
        return null;
      }
    }
    return new LogOption(format == null ? LogFormat.STDERR : format, level);
  }

  static Log.Level level(String w) {
    for (Log.Level l : Log.Level.values()) {
      if (l.name().equals(w.trim().toUpperCase(Locale.ROOT))) {
        return l;
      }
    }
    return null;
  }
}
