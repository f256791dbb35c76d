package io.qcfg.internal.migrate;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Converts a duration or size value from one unit to another with exact decimal arithmetic, for the
 * {@code convert} migration step. See the package documentation for the rules users see.
 *
 * <p>Units in migration files are the canonical names only ({@link #canonical(String)}), so that
 * {@code m} is unambiguous (minutes). Values in the user's configuration may use every spelling
 * Typesafe Config accepts for the kind of the step's units ({@code 1500 millis}, {@code 10 K}).
 */
final class UnitConversion {

  /** Whether a unit measures time or bytes. */
  enum Kind {
    DURATION("duration"),
    SIZE("size");

    final String noun;

    Kind(String noun) {
      this.noun = noun;
    }
  }

  /** One unit: its canonical name and its size in nanoseconds or bytes. */
  record Unit(String name, Kind kind, BigDecimal factor) {}

  /** How the converted value is written. */
  enum Output {
    /** A string with the unit: {@code "1.5s"}. */
    STRING,
    /** A plain number counted in the target unit: {@code 1.5}. */
    NUMBER
  }

  /** The outcome of converting one value: the new value or why there is none. */
  sealed interface Result {
    record Converted(Object value) implements Result {}

    record Failed(String reason, boolean inexact) implements Result {}
  }

  private static final Map<String, Unit> CANONICAL = new LinkedHashMap<>();
  private static final Map<String, Unit> DURATION_SPELLINGS = new LinkedHashMap<>();
  private static final Map<String, Unit> SIZE_SPELLINGS = new LinkedHashMap<>();
  private static final Pattern AMOUNT =
      Pattern.compile("([+-]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?)\\s*([A-Za-z]*)");

  static {
    duration("ns", 1L, "nano", "nanos", "nanosecond", "nanoseconds");
    duration("us", 1_000L, "micro", "micros", "microsecond", "microseconds");
    duration("ms", 1_000_000L, "milli", "millis", "millisecond", "milliseconds");
    duration("s", 1_000_000_000L, "second", "seconds");
    duration("m", 60_000_000_000L, "minute", "minutes");
    duration("h", 3_600_000_000_000L, "hour", "hours");
    duration("d", 86_400_000_000_000L, "day", "days");
    size("B", BigDecimal.ONE, "b", "byte", "bytes");
    String[] prefixes = {"kilo", "mega", "giga", "tera", "peta", "exa"};
    for (int i = 0; i < prefixes.length; i++) {
      String letter = prefixes[i].substring(0, 1).toUpperCase();
      String binaryPrefix = prefixes[i].substring(0, 2) + "bi";
      // Typesafe spells kilo-decimal "kB"; the others "MB", "GB", ...
      String decimal = i == 0 ? "kB" : letter + "B";
      size(decimal, BigDecimal.TEN.pow(3 * (i + 1)), prefixes[i] + "byte", prefixes[i] + "bytes");
      size(
          letter + "iB",
          BigDecimal.valueOf(1024).pow(i + 1),
          letter,
          letter.toLowerCase(),
          letter + "i",
          binaryPrefix + "byte",
          binaryPrefix + "bytes");
    }
  }

  private static void duration(String name, long nanos, String... spellings) {
    add(new Unit(name, Kind.DURATION, BigDecimal.valueOf(nanos)), DURATION_SPELLINGS, spellings);
  }

  private static void size(String name, BigDecimal bytes, String... spellings) {
    add(new Unit(name, Kind.SIZE, bytes), SIZE_SPELLINGS, spellings);
  }

  private static void add(Unit unit, Map<String, Unit> spellings, String... more) {
    CANONICAL.put(unit.name(), unit);
    spellings.put(unit.name(), unit);
    for (String s : more) {
      spellings.put(s, unit);
    }
  }

  private final Unit from;
  private final Unit to;
  private final Output output;

  UnitConversion(Unit from, Unit to, Output output) {
    if (from.kind() != to.kind()) {
      throw new IllegalArgumentException(from.name() + " and " + to.name() + " differ in kind");
    }
    this.from = from;
    this.to = to;
    this.output = output;
  }

  /** The unit with this canonical name, e.g. {@code ms} or {@code MiB}. Case-sensitive. */
  static Optional<Unit> canonical(String name) {
    return Optional.ofNullable(CANONICAL.get(name));
  }

  /** Every canonical unit name, for error messages. */
  static String canonicalNames() {
    return String.join(", ", CANONICAL.keySet());
  }

  Unit from() {
    return from;
  }

  Unit to() {
    return to;
  }

  Output output() {
    return output;
  }

  /**
   * Converts a number (counted in the source unit) or a string (a number with or without a unit).
   * Never includes the value itself in a failure reason: it might be a secret.
   */
  Result convert(Object unwrapped) {
    BigDecimal base;
    if (unwrapped instanceof Number n) {
      base = decimal(n).multiply(from.factor());
    } else if (unwrapped instanceof String s) {
      Matcher m = AMOUNT.matcher(s.trim());
      if (!m.matches()) {
        return new Result.Failed(
            "expected a number or a "
                + from.kind().noun
                + " string like \"10"
                + from.name()
                + "\", found a string that is neither",
            false);
      }
      Unit unit = m.group(2).isEmpty() ? from : spellings().get(m.group(2));
      if (unit == null) {
        return new Result.Failed(
            "expected a "
                + from.kind().noun
                + " unit ("
                + String.join(", ", names())
                + "),"
                + " found the unit '"
                + m.group(2)
                + "'",
            false);
      }
      base = new BigDecimal(m.group(1)).multiply(unit.factor());
    } else {
      return new Result.Failed(
          "expected a number or a string, found " + typeName(unwrapped), false);
    }
    BigDecimal amount;
    try {
      amount = base.divide(to.factor()).stripTrailingZeros();
    } catch (ArithmeticException e) {
      return new Result.Failed(
          "the value cannot be written exactly in "
              + to.name()
              + " (it would need endless decimals); convert it by hand",
          true);
    }
    String text = amount.scale() < 0 ? amount.setScale(0).toPlainString() : amount.toPlainString();
    if (output == Output.STRING) {
      return new Result.Converted(text + to.name());
    }
    if (amount.scale() <= 0 && amount.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0) {
      return new Result.Converted(amount.longValueExact());
    }
    return new Result.Converted(amount.doubleValue());
  }

  private Map<String, Unit> spellings() {
    return from.kind() == Kind.DURATION ? DURATION_SPELLINGS : SIZE_SPELLINGS;
  }

  private Iterable<String> names() {
    return CANONICAL.values().stream()
        .filter(u -> u.kind() == from.kind())
        .map(Unit::name)
        .toList();
  }

  private static BigDecimal decimal(Number n) {
    if (n instanceof Integer || n instanceof Long) {
      return BigDecimal.valueOf(n.longValue());
    }
    return new BigDecimal(n.toString());
  }

  private static String typeName(Object unwrapped) {
    if (unwrapped == null) {
      return "null";
    }
    if (unwrapped instanceof Boolean) {
      return "a boolean";
    }
    if (unwrapped instanceof java.util.List) {
      return "a list";
    }
    if (unwrapped instanceof java.util.Map) {
      return "an object";
    }
    return unwrapped.getClass().getSimpleName();
  }
}
