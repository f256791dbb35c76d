package io.qcfg.internal.snapshot;

import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import com.typesafe.config.impl.ConfigImplUtil;
import io.qcfg.internal.validate.ExactNumbers;
import java.math.BigInteger;
import java.util.Comparator;
import org.json.JSONArray;
import org.json.JSONObject;

/**
 * What {@link TreeIndex} needs of single values: their org.json form, their canonical text, and
 * the key order.
 */
final class TreeValues {
  private TreeValues() {}

  static Object scalarJson(ConfigValue v) {
    if (v.valueType() == ConfigValueType.NULL) {
      return JSONObject.NULL;
    }
    // Exact numbers: big integers and precise decimals reach the schema as written.
    Number exact = ExactNumbers.exact(v);
    return exact != null ? exact : v.unwrapped();
  }

  /** A subtree as org.json values without canonical text (secret subtrees). */
  static Object plainJson(ConfigValue v) {
    if (v instanceof ConfigObject o) {
      JSONObject out = new JSONObject();
      for (String k : o.keySet()) {
        out.put(k, plainJson(o.get(k)));
      }
      return out;
    }
    if (v instanceof ConfigList list) {
      JSONArray out = new JSONArray();
      for (ConfigValue c : list) {
        out.put(plainJson(c));
      }
      return out;
    }
    return scalarJson(v);
  }

  /** What Typesafe's concise rendering writes for a scalar, without its StringBuilder. */
  static void appendScalar(StringBuilder canonical, ConfigValue v) {
    switch (v.valueType()) {
      case STRING -> appendJsonString(canonical, (String) v.unwrapped());
      case NULL -> canonical.append("null");
      default -> canonical.append(v.unwrapped()); // numbers and booleans: unwrapped().toString()
    }
  }

  /**
   * Appends what Typesafe's {@code ConfigImplUtil.renderJsonString} gives for {@code s}: the
   * string itself in quotes when no character needs an escape (a C0 control, a quote or a
   * backslash), else Typesafe's rendering. Every leaf's string passes here for the checksum:
   * Typesafe's per-character switch was hot enough at a first start for C2 to spend tens of
   * milliseconds compiling it; this scan is smaller. {@code TreeValuesJsonStringTest} compares
   * the two.
   */
  static void appendJsonString(StringBuilder out, String s) {
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == '"' || c == '\\') {
        out.append(ConfigImplUtil.renderJsonString(s));
        return;
      }
    }
    out.append('"').append(s).append('"');
  }

  /** {@link #appendJsonString} as a string. */
  static String jsonString(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2);
    appendJsonString(sb, s);
    return sb.toString();
  }

  // Typesafe's render order (SimpleConfigObject.RenderComparator): all-digit keys first, by
  // numeric value, then the others by String order.
  static final Comparator<String> RENDER_ORDER = (a, b) -> {
    boolean ad = allDigits(a);
    boolean bd = allDigits(b);
    if (ad && bd) {
      return new BigInteger(a).compareTo(new BigInteger(b));
    }
    return ad ? -1 : bd ? 1 : a.compareTo(b);
  };

  /**
   * Sorts keys into {@link #RENDER_ORDER}; without an all-digit key that is String order, sorted
   * without the comparator's digit scans per comparison.
   */
  static void sortForRender(String[] keys) {
    for (String k : keys) {
      if (allDigits(k)) {
        java.util.Arrays.sort(keys, RENDER_ORDER);
        return;
      }
    }
    java.util.Arrays.sort(keys);
  }

  private static boolean allDigits(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (!Character.isDigit(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }
}
