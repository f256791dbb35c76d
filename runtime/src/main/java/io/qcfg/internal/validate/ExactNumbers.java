package io.qcfg.internal.validate;

import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.qcfg.Problem;
import io.qcfg.internal.tree.ConfigPaths;
import io.qcfg.internal.tree.Origins;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Numbers with the value the file wrote, not the value a {@code double} can hold.
 *
 * <p>Typesafe Config keeps an integer that does not fit a {@code long} as an unquoted string and
 * parses a decimal to the nearest {@code double} (keeping the text it was written as). The schema
 * must see what the user wrote: {@link #exact} gives a {@link BigInteger} or {@link BigDecimal}
 * where the usual {@code Integer}/{@code Long}/{@code Double} would lose something, and the usual
 * type otherwise. A number a {@code double} cannot hold at all ({@code 1e400}) is refused by
 * {@link #checkFinite}: its value would silently be infinity.
 */
public final class ExactNumbers {
  /** An unquoted integer; Typesafe leaves those beyond {@code long} as strings. */
  private static final Pattern INTEGER = Pattern.compile("-?[0-9]+");

  private ExactNumbers() {}

  /**
   * The number {@code v} holds, exactly, or null when it is not a number. An unquoted string of
   * digits (an integer beyond {@code long}) counts as a number; a quoted one does not.
   */
  public static Number exact(ConfigValue v) {
    if (v.valueType() == ConfigValueType.STRING) {
      String s = (String) v.unwrapped();
      return isUnquoted(v) && INTEGER.matcher(s).matches() ? new BigInteger(s) : null;
    }
    if (v.valueType() != ConfigValueType.NUMBER) {
      return null;
    }
    Number n = (Number) v.unwrapped();
    if (!(n instanceof Double d)) {
      return n;
    }
    // A number's string conversion is the text it was parsed from (Typesafe keeps it).
    String text = v.atKey("n").getString("n");
    BigDecimal written;
    try {
      written = new BigDecimal(text);
    } catch (NumberFormatException e) {
      return n; // built in code, not parsed: the double is all there is
    }
    if (!Double.isFinite(d) || BigDecimal.valueOf(d).compareTo(written) != 0) {
      return written;
    }
    return d; // nothing lost: keep the type everit has always seen
  }

  /** Whether {@code v} was written without quotes (Typesafe's own subclass says so). */
  private static boolean isUnquoted(ConfigValue v) {
    // Package-private in Typesafe; the name survives relocation (io.qcfg.shaded...).
    return v.getClass().getName().endsWith("ConfigString$Unquoted");
  }

  /** One problem (QCFG-1206) per number of {@code root} that is beyond a {@code double}. */
  public static void checkFinite(ConfigObject root, List<Problem> problems) {
    walk(root, "", problems);
  }

  private static void walk(ConfigValue v, String path, List<Problem> problems) {
    switch (v.valueType()) {
      case OBJECT -> {
        ConfigObject o = (ConfigObject) v;
        for (String key : new java.util.TreeSet<>(o.keySet())) {
          String quoted = ConfigPaths.quote(key);
          walk(o.get(key), path.isEmpty() ? quoted : path + "." + quoted, problems);
        }
      }
      case LIST -> {
        ConfigList list = (ConfigList) v;
        for (int i = 0; i < list.size(); i++) {
          walk(list.get(i), path + "." + i, problems);
        }
      }
      case NUMBER -> {
        if (v.unwrapped() instanceof Double d && !Double.isFinite(d)) {
          problems.add(
              new Problem(
                  "QCFG-1206",
                  Origins.location(v.origin()),
                  path,
                  "a number too large for a double (beyond ±1.7976931348623157e308); quote it"
                      + " if it is text"));
        }
      }
      default -> {}
    }
  }
}
