package io.qcfg.internal.watch;

import io.qcfg.QcfgException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the configuration directory is watched: the value of the {@code watch} option.
 *
 * <ul>
 *   <li>{@code true}: {@link Native}, the operating system's file events (inotify on Linux);
 *   <li>{@code false}: {@link Off}, no live reload;
 *   <li>{@code poll:<interval>}, e.g. {@code poll:2s} or {@code poll:500ms}: {@link Poll}, hash
 *       every file's content each interval. For file systems that send no events (some network and
 *       FUSE mounts) and for symlinks pointing outside the directory.
 * </ul>
 */
public sealed interface WatchMode permits WatchMode.Native, WatchMode.Off, WatchMode.Poll {
  /** The mode for {@code watch=true}. */
  WatchMode NATIVE = new Native();

  /** The mode for {@code watch=false}. */
  WatchMode OFF = new Off();

  /** The shortest poll interval accepted: hashing every file more often is a waste of CPU. */
  Duration MIN_POLL_INTERVAL = Duration.ofMillis(100);

  /** The longest poll interval accepted. */
  Duration MAX_POLL_INTERVAL = Duration.ofHours(1);

  /** Native file events. */
  record Native() implements WatchMode {
    @Override
    public String toString() {
      return "true";
    }
  }

  /** No watching. */
  record Off() implements WatchMode {
    @Override
    public String toString() {
      return "false";
    }
  }

  /**
   * Content polling every {@code interval}.
   *
   * @param interval from {@link #MIN_POLL_INTERVAL} to {@link #MAX_POLL_INTERVAL}
   */
  record Poll(Duration interval) implements WatchMode {
    public Poll {
      Objects.requireNonNull(interval, "interval");
      if (interval.compareTo(MIN_POLL_INTERVAL) < 0 || interval.compareTo(MAX_POLL_INTERVAL) > 0) {
        throw new IllegalArgumentException("poll interval out of range: " + interval);
      }
    }

    @Override
    public String toString() {
      return "poll:" + interval.toMillis() + "ms";
    }
  }

  /**
   * Parses the value of the {@code watch} option: {@code true}, {@code false} (any case) or {@code
   * poll:<n><unit>} with a whole number and unit {@code ms}, {@code s}, {@code m} or {@code h},
   * from 100ms to 1h. Surrounding blanks are ignored.
   *
   * @throws QcfgException.BadOption for anything else, with id QCFG-4301 (not a known value),
   *     QCFG-4302 (bad interval syntax) or QCFG-4303 (interval out of range)
   */
  static WatchMode parse(String option) {
    if (option == null) {
      throw bad(
          "QCFG-4301", "expected true, false or poll:<interval> (e.g. poll:2s), found nothing");
    }
    String value = option.strip();
    if (value.equalsIgnoreCase("true")) {
      return NATIVE;
    }
    if (value.equalsIgnoreCase("false")) {
      return OFF;
    }
    if (value.regionMatches(true, 0, "poll:", 0, 5)) {
      return new Poll(parseInterval(value));
    }
    throw bad(
        "QCFG-4301",
        "expected true, false or poll:<interval> (e.g. poll:2s), found \"" + option + "\"");
  }

  private static Duration parseInterval(String value) {
    // Compiled per call: parse runs once at start-up, and interfaces cannot hold private fields.
    Matcher m =
        Pattern.compile("([0-9]{1,9})\\s*(ms|s|m|h)", Pattern.CASE_INSENSITIVE)
            .matcher(value.substring(5).strip());
    if (!m.matches()) {
      throw bad(
          "QCFG-4302",
          "expected a poll interval as a whole number with unit ms, s, m or h"
              + " (e.g. poll:2s, poll:500ms), found \""
              + value
              + "\"");
    }
    long amount = Long.parseLong(m.group(1)); // at most 9 digits: cannot overflow
    Duration interval =
        switch (m.group(2).toLowerCase(Locale.ROOT)) {
          case "ms" -> Duration.ofMillis(amount);
          case "s" -> Duration.ofSeconds(amount);
          case "m" -> Duration.ofMinutes(amount);
          default -> Duration.ofHours(amount);
        };
    if (interval.compareTo(MIN_POLL_INTERVAL) < 0 || interval.compareTo(MAX_POLL_INTERVAL) > 0) {
      throw bad("QCFG-4303", "expected a poll interval from 100ms to 1h, found \"" + value + "\"");
    }
    return interval;
  }

  private static QcfgException.BadOption bad(String id, String what) {
    return new QcfgException.BadOption("option watch: " + what + " [" + id + "]");
  }
}
