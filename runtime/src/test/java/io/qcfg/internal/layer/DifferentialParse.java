package io.qcfg.internal.layer;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import java.util.ArrayList;
import java.util.Set;

/** Helpers of the differential parse tests: a parse against Typesafe's parse of the whole text. */
final class DifferentialParse {
  private DifferentialParse() {}

  /** Typesafe's parse of the whole text, or null when it refuses the text. */
  static Config wholeOrNull(String text, ConfigParseOptions options) {
    try {
      return ConfigFactory.parseString(text, options);
    } catch (ConfigException refused) {
      return null;
    }
  }

  /**
   * Every value's origin (description, line, comments) equal, objects and lists included; with
   * {@code strict}, also every value's kind (class) and the order of each object's keys in its
   * map. Below an object whose keys are known only after resolving (a merge with a substitution)
   * it stops: a rendering with origins compares the rest.
   */
  static void assertSameOrigins(ConfigValue a, ConfigValue b, String path, boolean strict) {
    assertThat(a.origin().description()).as("origin of %s", path)
        .isEqualTo(b.origin().description());
    assertThat(a.origin().lineNumber()).as("line of %s", path).isEqualTo(b.origin().lineNumber());
    assertThat(a.origin().comments()).as("comments of %s", path)
        .isEqualTo(b.origin().comments());
    if (strict) {
      assertThat(a.getClass()).as("kind of %s", path).isEqualTo(b.getClass());
    }
    if (a instanceof ConfigObject ao && b instanceof ConfigObject bo) {
      Set<String> keys;
      try {
        keys = ao.keySet();
      } catch (ConfigException.NotResolved e) {
        return;
      }
      assertThat(keys).as("keys of %s", path).isEqualTo(bo.keySet());
      if (strict) {
        assertThat(new ArrayList<>(keys)).as("keys of %s, in map order", path)
            .isEqualTo(new ArrayList<>(bo.keySet()));
      }
      for (String k : keys) {
        assertSameOrigins(ao.get(k), bo.get(k), path + "." + k, strict);
      }
    } else if (a instanceof ConfigList al && b instanceof ConfigList bl) {
      assertThat(al.size()).as("size of %s", path).isEqualTo(bl.size());
      for (int i = 0; i < al.size(); i++) {
        assertSameOrigins(al.get(i), bl.get(i), path + "." + i, strict);
      }
    }
  }

  /** A random value as a plain statement line holds it: scalars, lists, strings with brackets. */
  static String plainValue(java.util.Random r) {
    return switch (r.nextInt(10)) {
      case 0 -> Integer.toString(r.nextInt(100));
      case 1 -> "\"s" + r.nextInt(10) + "\"";
      case 2 -> Boolean.toString(r.nextBoolean());
      case 3 -> "[1, " + r.nextInt(10) + "]";
      case 4 -> r.nextInt(60) + "s";
      case 5 -> "\"a{b}[\"";
      case 6 -> "null";
      case 7 -> "[\"x\", [2]]";
      case 8 -> "\"quoted, with a comma\"";
      default -> "plain text " + r.nextInt(5);
    };
  }
}
