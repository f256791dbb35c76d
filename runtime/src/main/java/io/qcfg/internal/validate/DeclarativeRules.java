package io.qcfg.internal.validate;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.qcfg.Problem;
import io.qcfg.QcfgException;
import io.qcfg.internal.crypto.ForeignText;
import io.qcfg.internal.snapshot.ConfigSnapshot;
import io.qcfg.internal.tree.Origins;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Cross-field rules written in {@code rules.conf} of the configuration directory, checked on
 * every candidate:
 *
 * <pre>
 * rules = [
 *   # the path must exist (in the listed environments; all when "in" is absent)
 *   { require = "db.url", in = [staging, production] }
 *   # the value must have been written as ENC[...] in the configuration files
 *   { encrypted = "db.password", in = [production] }
 *   # ordering between two numbers or two durations: less-than, less-or-equal
 *   { path = "pool.min", less-or-equal = "pool.max" }
 *   { path = "http.connect-timeout", less-than = "http.request-timeout" }
 * ]
 * </pre>
 *
 * Every rule may carry {@code message = "..."}, shown instead of the generated reason.
 */
public final class DeclarativeRules {
  /** One rule, with the line of {@code rules.conf} it was written on. */
  public record Rule(String kind, String path, String other, Set<String> in, String message, String location) {}

  /**
   * Parses {@code rules.conf} as HOCON, within the limits and checks layer files get; throws
   * {@link QcfgException.Invalid} with the file's problems.
   */
  @FunctionalInterface
  public interface HoconSource {
    Config parse(Path file) throws java.io.IOException;
  }

  private DeclarativeRules() {}

  /** Parses {@code rules.conf}; an absent file is no rules. */
  public static List<Rule> load(Path file, HoconSource reader, List<Problem> problems) {
    List<Rule> out = new ArrayList<>();
    if (!Files.exists(file)) {
      return out;
    }
    String display = Origins.display(file);
    Config c;
    try {
      c = reader.parse(file);
    } catch (QcfgException.Invalid e) {
      problems.addAll(e.problems());
      return out;
    } catch (java.io.IOException e) {
      problems.add(new Problem("QCFG-1301", display, "", "cannot read: " + io.qcfg.internal.crypto.ForeignText.describe(e)));
      return out;
    }
    if (!c.hasPath("rules")) {
      problems.add(new Problem("QCFG-1301", display, "rules", "expected a list 'rules = [...]'"));
      return out;
    }
    List<? extends ConfigObject> list;
    try {
      list = c.getObjectList("rules");
    } catch (ConfigException e) {
      problems.add(ForeignText.problem("QCFG-1301", e, display));
      return out;
    }
    for (ConfigObject o : list) {
      Config r = o.toConfig();
      String loc = Origins.location(o.origin());
      Set<String> in = r.hasPath("in") ? Set.copyOf(r.getStringList("in")) : Set.of();
      String message = r.hasPath("message") ? r.getString("message") : null;
      if (r.hasPath("require")) {
        out.add(new Rule("require", r.getString("require"), null, in, message, loc));
      } else if (r.hasPath("encrypted")) {
        out.add(new Rule("encrypted", r.getString("encrypted"), null, in, message, loc));
      } else if (r.hasPath("path") && (r.hasPath("less-than") || r.hasPath("less-or-equal"))) {
        String kind = r.hasPath("less-than") ? "less-than" : "less-or-equal";
        out.add(new Rule(kind, r.getString("path"), r.getString(kind), in, message, loc));
      } else {
        problems.add(
            new Problem(
                "QCFG-1302",
                loc,
                "",
                "unknown rule: expected one of require, encrypted, or path with less-than /"
                    + " less-or-equal; found keys " + o.keySet()));
      }
    }
    return out;
  }

  /** Checks every rule that applies to the candidate's environment. */
  public static void check(List<Rule> rules, ConfigSnapshot s, List<Problem> problems) {
    for (Rule r : rules) {
      if (!r.in().isEmpty() && !r.in().contains(s.environment())) {
        continue;
      }
      switch (r.kind()) {
        case "require" -> {
          if (!s.hasPath(r.path())) {
            problems.add(
                new Problem(
                    "QCFG-1303",
                    r.location(),
                    r.path(),
                    reason(r, "required in " + s.environment() + " (rules.conf), but missing")));
          }
        }
        case "encrypted" -> {
          if (s.hasPath(r.path()) && !s.encryptedPaths().contains(r.path())) {
            problems.add(
                new Problem(
                    "QCFG-1304",
                    s.origin(r.path()).map(io.qcfg.Origin::location).orElse(r.location()),
                    r.path(),
                    reason(r, "must be written as ENC[...] in " + s.environment()
                        + " (rules.conf, " + r.location() + "), found plain text")));
          }
        }
        default -> compare(r, s, problems);
      }
    }
  }

  private static void compare(Rule r, ConfigSnapshot s, List<Problem> problems) {
    if (!s.hasPath(r.path()) || !s.hasPath(r.other())) {
      return; // absence is for "require" rules to judge
    }
    Double a = magnitude(s.config().getValue(r.path()), s, r.path());
    Double b = magnitude(s.config().getValue(r.other()), s, r.other());
    String loc = s.origin(r.path()).map(io.qcfg.Origin::location).orElse(r.location());
    if (a == null || b == null) {
      problems.add(
          new Problem(
              "QCFG-1305", loc, r.path(),
              reason(r, "cannot compare with " + r.other() + ": both must be numbers or durations")));
      return;
    }
    boolean ok = r.kind().equals("less-than") ? a < b : a <= b;
    if (!ok) {
      String op = r.kind().equals("less-than") ? "less than" : "less than or equal to";
      problems.add(
          new Problem(
              "QCFG-1306",
              loc,
              r.path(),
              reason(r, "expected " + op + " " + r.other() + " (" + s.describe(r.other())
                  + "), found " + s.describe(r.path()))));
    }
  }

  private static Double magnitude(ConfigValue v, ConfigSnapshot s, String path) {
    if (v.valueType() == ConfigValueType.NUMBER) {
      return ((Number) v.unwrapped()).doubleValue();
    }
    if (v.valueType() == ConfigValueType.STRING) {
      try {
        Duration d = s.config().getDuration(path);
        return (double) d.toNanos();
      } catch (ConfigException e) {
        return null;
      }
    }
    return null;
  }

  private static String reason(Rule r, String generated) {
    return r.message() == null ? generated : r.message() + " (" + generated + ")";
  }
}
