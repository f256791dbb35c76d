package io.qcfg.internal.migrate;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import io.qcfg.Problem;
import java.util.List;
import java.util.Optional;

/**
 * One declarative edit of a migration file ({@code rename}, {@code delete}, {@code default}, {@code
 * wrap-list}, {@code convert}); the package documentation gives the rules users see.
 *
 * <p>{@link #apply} returns the edited tree, or the tree unchanged after adding a problem to {@code
 * problems}. Problems are located at the user's value where there is one, so that the user sees
 * which line of theirs the step could not handle, and name the step's own location.
 */
sealed interface MigrationStep {

  /** Where the step is written: {@code config/migrations/001-split-db.conf:4}. */
  String location();

  /** The verb, as written in migration files. */
  String verb();

  /** Applies the step to {@code tree}; on a problem, adds it and returns {@code tree}. */
  EditableTree apply(EditableTree tree, List<Problem> problems);

  /** {@code { rename = "a.b", to = "c.d" }}: moves a value or a whole subtree. */
  record Rename(String location, String path, String to) implements MigrationStep {
    @Override
    public String verb() {
      return "rename";
    }

    @Override
    public EditableTree apply(EditableTree tree, List<Problem> problems) {
      return guarded(
          this,
          tree,
          problems,
          path,
          () -> {
            Optional<ConfigValue> value = tree.get(path);
            if (value.isEmpty()) {
              return tree; // already migrated by hand, or never set
            }
            // Remove first, so that "a" -> "a.b" (scalar into object) and "a.b" -> "a" work.
            EditableTree without = tree.remove(path);
            Optional<ConfigValue> occupant = without.get(to);
            if (occupant.isPresent()) {
              problems.add(
                  problem(
                      "QCFG-4520",
                      value.get(),
                      path,
                      "cannot rename to "
                          + to
                          + ": "
                          + to
                          + " already has a value (at "
                          + HoconText.location(occupant.get().origin())
                          + "); remove one of them by hand"));
              return tree;
            }
            Optional<String> blocker = without.blockingParent(to);
            if (blocker.isPresent()) {
              problems.add(blocked(value.get(), path, to, blocker.get(), without));
              return tree;
            }
            return without.set(to, value.get());
          });
    }
  }

  /** {@code { delete = "a.b" }}: removes a value or a whole subtree. */
  record Delete(String location, String path) implements MigrationStep {
    @Override
    public String verb() {
      return "delete";
    }

    @Override
    public EditableTree apply(EditableTree tree, List<Problem> problems) {
      return guarded(
          this, tree, problems, path, () -> tree.get(path).isPresent() ? tree.remove(path) : tree);
    }
  }

  /**
   * {@code { default = "a.b", value = 10 }}: sets a path that has no value. The value keeps its
   * origin in the migration file, so {@code print --origins} shows where it came from.
   */
  record SetDefault(String location, String path, ConfigValue value) implements MigrationStep {
    @Override
    public String verb() {
      return "default";
    }

    @Override
    public EditableTree apply(EditableTree tree, List<Problem> problems) {
      return guarded(
          this,
          tree,
          problems,
          path,
          () -> {
            if (!tree.takesDefaults() || tree.get(path).isPresent()) {
              return tree;
            }
            Optional<String> blocker = tree.blockingParent(path);
            if (blocker.isPresent()) {
              problems.add(blocked(value, path, path, blocker.get(), tree));
              return tree;
            }
            return tree.set(path, value);
          });
    }
  }

  /** {@code { wrap-list = "a.b" }}: {@code x} becomes {@code [x]}; a list stays as it is. */
  record WrapList(String location, String path) implements MigrationStep {
    @Override
    public String verb() {
      return "wrap-list";
    }

    @Override
    public EditableTree apply(EditableTree tree, List<Problem> problems) {
      return guarded(
          this,
          tree,
          problems,
          path,
          () -> {
            Optional<ConfigValue> found = tree.get(path);
            if (found.isEmpty() || found.get() instanceof ConfigList || isNull(found.get())) {
              return tree;
            }
            ConfigValue value = found.get();
            if (isUnresolved(value)) {
              problems.add(unresolved(this, value, path));
              return tree;
            }
            // The element is the very same ConfigValue: its origin still points at the user's line.
            ConfigValue list =
                ConfigValueFactory.fromIterable(List.of(value)).withOrigin(value.origin());
            return tree.set(path, list);
          });
    }
  }

  /** {@code { convert = "a.b", from-unit = "ms", to-unit = "s" }}: see {@link UnitConversion}. */
  record Convert(String location, String path, UnitConversion conversion) implements MigrationStep {
    @Override
    public String verb() {
      return "convert";
    }

    @Override
    public EditableTree apply(EditableTree tree, List<Problem> problems) {
      return guarded(
          this,
          tree,
          problems,
          path,
          () -> {
            Optional<ConfigValue> found = tree.get(path);
            if (found.isEmpty() || isNull(found.get())) {
              return tree;
            }
            ConfigValue value = found.get();
            if (isUnresolved(value)) {
              problems.add(unresolved(this, value, path));
              return tree;
            }
            UnitConversion.Result result = conversion.convert(value.unwrapped());
            if (result instanceof UnitConversion.Result.Failed failed) {
              problems.add(
                  problem(
                      failed.inexact() ? "QCFG-4523" : "QCFG-4522",
                      value,
                      path,
                      "cannot convert from "
                          + conversion.from().name()
                          + " to "
                          + conversion.to().name()
                          + ": "
                          + failed.reason()
                          + " (step at "
                          + location
                          + ")"));
              return tree;
            }
            Object converted = ((UnitConversion.Result.Converted) result).value();
            return tree.set(
                path, ConfigValueFactory.fromAnyRef(converted).withOrigin(value.origin()));
          });
    }
  }

  /**
   * Runs {@code edit}, turning Typesafe's refusal to look into an unresolved merge into a problem.
   */
  private static EditableTree guarded(
      MigrationStep step,
      EditableTree tree,
      List<Problem> problems,
      String path,
      java.util.function.Supplier<EditableTree> edit) {
    try {
      return edit.get();
    } catch (ConfigException.NotResolved e) {
      problems.add(
          new Problem(
              "QCFG-4525",
              step.location(),
              path,
              step.verb()
                  + " cannot look through a value that is only known after substitutions"
                  + " are resolved ("
                  + HoconText.reason(e)
                  + "); edit this path by hand"));
      return tree;
    }
  }

  private static Problem problem(String id, ConfigValue at, String path, String reason) {
    return new Problem(id, HoconText.location(at.origin()), path, reason);
  }

  private static Problem blocked(
      ConfigValue value, String path, String to, String blocker, EditableTree tree) {
    String where = tree.get(blocker).map(v -> HoconText.location(v.origin())).orElse("?");
    return problem(
        "QCFG-4521",
        value,
        path,
        "cannot write "
            + to
            + ": its parent "
            + blocker
            + " holds a "
            + describe(tree.get(blocker).orElseThrow())
            + ", not an object (at "
            + where
            + ")");
  }

  private static Problem unresolved(MigrationStep step, ConfigValue value, String path) {
    return problem(
        "QCFG-4524",
        value,
        path,
        step.verb()
            + " needs the value itself, found a substitution whose type is only known"
            + " after resolution; edit this path by hand (step at "
            + step.location()
            + ")");
  }

  private static boolean isNull(ConfigValue value) {
    return !isUnresolved(value) && value.valueType() == ConfigValueType.NULL;
  }

  /** Substitutions and concatenations that hold them answer valueType() with NotResolved. */
  private static boolean isUnresolved(ConfigValue value) {
    try {
      value.valueType();
      return false;
    } catch (ConfigException.NotResolved e) {
      return true;
    }
  }

  private static String describe(ConfigValue value) {
    if (isUnresolved(value)) {
      return "substitution";
    }
    return value instanceof ConfigObject ? "object" : value.valueType().name().toLowerCase();
  }
}
