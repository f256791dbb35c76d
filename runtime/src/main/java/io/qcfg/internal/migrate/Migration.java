package io.qcfg.internal.migrate;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.qcfg.Problem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * One migration file, {@code migrations/NNN-name.conf}: the steps that take a configuration from
 * format {@code sourceFormat} to {@code sourceFormat + 1}. The file format is described in the
 * package documentation.
 *
 * @param sourceFormat the format this migration starts from ({@code NNN})
 * @param file the file as shown in messages, e.g. {@code config/migrations/001-split-db.conf}
 * @param steps the steps, in the order written
 */
record Migration(int sourceFormat, String file, List<MigrationStep> steps) {

  static final List<String> VERBS = List.of("rename", "delete", "default", "wrap-list", "convert");
  private static final Set<String> TOP_LEVEL = Set.of("from", "steps", "description");
  private static final Map<String, List<String>> KEYS =
      Map.of(
          "rename", List.of("rename", "to"),
          "delete", List.of("delete"),
          "default", List.of("default", "value"),
          "wrap-list", List.of("wrap-list"),
          "convert", List.of("convert", "from-unit", "to-unit", "as"));

  Migration {
    steps = List.copyOf(steps);
  }

  /**
   * Reads the migration in {@code path}; adds every problem found to {@code problems} and returns
   * empty if there was any.
   */
  static Optional<Migration> read(int sourceFormat, Path path, List<Problem> problems) {
    int before = problems.size();
    String file = path.toString();
    Config config;
    try {
      config = HoconText.parseFile(path);
    } catch (ConfigException e) {
      problems.add(
          new Problem("QCFG-4503", at(file, e), "", "syntax error: " + HoconText.reason(e)));
      return Optional.empty();
    }
    if (!config.isResolved()) {
      problems.add(
          new Problem(
              "QCFG-4507",
              file,
              "",
              "expected plain values, found a substitution ${...}; migration files are"
                  + " self-contained"));
      return Optional.empty();
    }
    ConfigObject root = config.root();
    for (String key : new TreeSet<>(root.keySet())) {
      if (!TOP_LEVEL.contains(key)) {
        problems.add(
            new Problem(
                "QCFG-4505",
                HoconText.location(root.get(key).origin()),
                key,
                "unknown key; a migration file has: from, steps, description"));
      }
    }
    ConfigValue from = root.get("from");
    if (from != null
        && !(from.unwrapped() instanceof Number n && isWhole(n) && n.longValue() == sourceFormat)) {
      problems.add(
          new Problem(
              "QCFG-4504",
              HoconText.location(from.origin()),
              "from",
              "expected "
                  + sourceFormat
                  + " (the number the file name starts with), found "
                  + from.render()));
    }
    List<MigrationStep> steps = new ArrayList<>();
    ConfigValue list = root.get("steps");
    if (!(list instanceof ConfigList stepList)) {
      String found = list == null ? "nothing" : "a " + list.valueType().name().toLowerCase();
      String where = list == null ? file : HoconText.location(list.origin());
      problems.add(
          new Problem(
              "QCFG-4505",
              where,
              "steps",
              "expected a list of steps, steps = [ { rename = \"a\", to = \"b\" } ], found "
                  + found));
    } else {
      for (int i = 0; i < stepList.size(); i++) {
        readStep(stepList.get(i), i, problems).ifPresent(steps::add);
      }
    }
    return problems.size() == before
        ? Optional.of(new Migration(sourceFormat, file, steps))
        : Optional.empty();
  }

  private static Optional<MigrationStep> readStep(
      ConfigValue element, int index, List<Problem> problems) {
    String where = HoconText.location(element.origin());
    String path = "steps[" + index + "]";
    if (!(element instanceof ConfigObject step)) {
      problems.add(
          new Problem(
              "QCFG-4505",
              where,
              path,
              "expected a step object like { delete = \"a.b\" }, found a "
                  + element.valueType().name().toLowerCase()));
      return Optional.empty();
    }
    List<String> verbs = VERBS.stream().filter(step::containsKey).toList();
    if (verbs.size() != 1) {
      problems.add(
          new Problem(
              "QCFG-4506",
              where,
              path,
              verbs.isEmpty()
                  ? "unknown step: expected one of "
                      + String.join(", ", VERBS)
                      + ", found keys "
                      + new TreeSet<>(step.keySet())
                  : "a step has exactly one verb, found " + String.join(" and ", verbs)));
      return Optional.empty();
    }
    String verb = verbs.get(0);
    int before = problems.size();
    for (String key : new TreeSet<>(step.keySet())) {
      if (!KEYS.get(verb).contains(key)) {
        problems.add(
            new Problem(
                "QCFG-4507",
                HoconText.location(step.get(key).origin()),
                path + "." + key,
                "unknown key in a "
                    + verb
                    + " step; expected: "
                    + String.join(", ", KEYS.get(verb))));
      }
    }
    Fields fields = new Fields(step, where, path, problems);
    String target = fields.path(verb);
    MigrationStep result =
        switch (verb) {
          case "rename" -> {
            String to = fields.path("to");
            if (target != null && target.equals(to)) {
              problems.add(
                  new Problem(
                      "QCFG-4507",
                      where,
                      path + ".to",
                      "expected a path other than " + target + ", found the same path"));
            }
            yield new MigrationStep.Rename(where, target, to);
          }
          case "delete" -> new MigrationStep.Delete(where, target);
          case "default" -> {
            ConfigValue value = step.get("value");
            if (value == null || value.valueType() == ConfigValueType.NULL) {
              problems.add(
                  new Problem(
                      "QCFG-4507",
                      where,
                      path + ".value",
                      "expected the value to set, found " + (value == null ? "nothing" : "null")));
            }
            yield new MigrationStep.SetDefault(where, target, value);
          }
          case "wrap-list" -> new MigrationStep.WrapList(where, target);
          default -> {
            UnitConversion conversion = fields.conversion();
            yield new MigrationStep.Convert(where, target, conversion);
          }
        };
    return problems.size() == before ? Optional.of(result) : Optional.empty();
  }

  private static boolean isWhole(Number n) {
    return n.doubleValue() == Math.rint(n.doubleValue());
  }

  private static String at(String file, ConfigException e) {
    return e.origin() != null && e.origin().lineNumber() > 0
        ? file + ":" + e.origin().lineNumber()
        : file;
  }

  /** Reads the typed fields of one step, adding a problem for each one that is wrong. */
  private record Fields(ConfigObject step, String where, String stepPath, List<Problem> problems) {

    /** A string field holding a path expression, normalised; null after a problem. */
    String path(String key) {
      String text = string(key);
      if (text == null) {
        return null;
      }
      List<String> keys;
      try {
        keys = ConfigUtil.splitPath(text);
      } catch (ConfigException e) {
        problems.add(
            new Problem(
                "QCFG-4507",
                at(key),
                stepPath + "." + key,
                "expected a path like a.b.c, found \""
                    + text
                    + "\" ("
                    + HoconText.reason(e)
                    + ")"));
        return null;
      }
      String normal = ConfigUtil.joinPath(keys);
      if (keys.get(0).equals("qcfg") && (keys.size() == 1 || keys.get(1).equals("format"))) {
        problems.add(
            new Problem(
                "QCFG-4507",
                at(key),
                stepPath + "." + key,
                "expected a path of the application, found "
                    + normal
                    + ", which qcfg migrate writes itself"));
        return null;
      }
      return normal;
    }

    /** The line of {@code key} when it is there, else the step's line. */
    String at(String key) {
      ConfigValue v = step.get(key);
      return v == null ? where : HoconText.location(v.origin());
    }

    String string(String key) {
      ConfigValue v = step.get(key);
      if (v == null || v.valueType() != ConfigValueType.STRING) {
        problems.add(
            new Problem(
                "QCFG-4507",
                at(key),
                stepPath + "." + key,
                "expected a string, found " + (v == null ? "nothing" : v.render())));
        return null;
      }
      return (String) v.unwrapped();
    }

    UnitConversion conversion() {
      UnitConversion.Unit from = unit("from-unit");
      UnitConversion.Unit to = unit("to-unit");
      UnitConversion.Output output = UnitConversion.Output.STRING;
      if (step.containsKey("as")) {
        String as = string("as");
        if ("number".equals(as)) {
          output = UnitConversion.Output.NUMBER;
        } else if (as != null && !"string".equals(as)) {
          problems.add(
              new Problem(
                  "QCFG-4507",
                  at("as"),
                  stepPath + ".as",
                  "expected \"string\" or \"number\", found \"" + as + "\""));
        }
      }
      if (from == null || to == null) {
        return null;
      }
      if (from.kind() != to.kind()) {
        problems.add(
            new Problem(
                "QCFG-4507",
                at("to-unit"),
                stepPath + ".to-unit",
                "expected a "
                    + from.kind().noun
                    + " unit like "
                    + from.name()
                    + ", found the "
                    + to.kind().noun
                    + " unit "
                    + to.name()));
        return null;
      }
      return new UnitConversion(from, to, output);
    }

    private UnitConversion.Unit unit(String key) {
      String name = string(key);
      if (name == null) {
        return null;
      }
      Optional<UnitConversion.Unit> unit = UnitConversion.canonical(name);
      if (unit.isEmpty()) {
        problems.add(
            new Problem(
                "QCFG-4507",
                at(key),
                stepPath + "." + key,
                "expected one of " + UnitConversion.canonicalNames() + ", found \"" + name + "\""));
      }
      return unit.orElse(null);
    }
  }
}
