package io.qcfg.internal.migrate;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import io.qcfg.Problem;
import io.qcfg.QcfgException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Every migration of a configuration directory ({@code <dir>/migrations/NNN-name.conf}), ordered by
 * source format, and the two ways to apply them: {@link #migrate} on a tree in memory (what the
 * engine does on every load) and {@link #rewrite} on the layer files (the CLI's {@code migrate
 * --dir D --to N [--dry-run]}). The step file format is described in the package documentation.
 *
 * <p>A configuration declares its format with {@code qcfg.format = N}; no such path means format 1.
 * The application declares the format it needs ({@code qcfg.format-required} in its {@code
 * reference.conf}, or the agent option {@code format}); the engine passes that number in.
 *
 * <p>Immutable and safe to share between threads.
 */
public final class MigrationPlan {
  /** The path that holds a configuration's format. */
  public static final String FORMAT_PATH = "qcfg.format";

  private static final Pattern FILE_NAME =
      Pattern.compile("(\\d+)-([A-Za-z0-9][A-Za-z0-9._-]*)\\.conf");

  private final String migrationsDir;
  private final Map<Integer, Migration> bySource;

  private MigrationPlan(String migrationsDir, Map<Integer, Migration> bySource) {
    this.migrationsDir = migrationsDir;
    this.bySource = Collections.unmodifiableMap(new TreeMap<>(bySource));
  }

  /**
   * Reads every migration in {@code configDir/migrations}. A missing directory is an empty plan.
   * Files not ending in {@code .conf} and hidden files are ignored (a README may live there).
   *
   * @throws QcfgException.Invalid with every problem found, each naming the migration file and,
   *     where there is one, the line: a {@code .conf} file not named {@code NNN-name.conf}
   *     (QCFG-4501), two files for the same source format (QCFG-4502), a syntax error or an
   *     unreadable file (QCFG-4503), a {@code from} that disagrees with the name (QCFG-4504), a
   *     missing or malformed {@code steps} list or an unknown top-level key (QCFG-4505), a step
   *     with an unknown verb or with two verbs (QCFG-4506), a bad field of a step (QCFG-4507), an
   *     unlistable directory (QCFG-4509)
   */
  public static MigrationPlan load(Path configDir) {
    Path dir = configDir.resolve("migrations");
    String dirName = dir.toString();
    if (!Files.isDirectory(dir)) {
      return new MigrationPlan(dirName, Map.of());
    }
    List<Problem> problems = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> listing = Files.list(dir)) {
      files = listing.sorted().toList();
    } catch (IOException e) {
      throw new QcfgException.Invalid(
          new Problem("QCFG-4509", dirName, "", "cannot list the migrations: " + io.qcfg.internal.crypto.ForeignText.describe(e)));
    }
    Map<Integer, Migration> bySource = new TreeMap<>();
    Map<Integer, String> firstFile = new TreeMap<>();
    for (Path file : files) {
      String name = file.getFileName().toString();
      if (name.startsWith(".") || !name.endsWith(".conf") || Files.isDirectory(file)) {
        continue;
      }
      String display = file.toString();
      Matcher m = FILE_NAME.matcher(name);
      int source = m.matches() && m.group(1).length() <= 9 ? Integer.parseInt(m.group(1)) : 0;
      if (source < 1) {
        problems.add(
            new Problem(
                "QCFG-4501",
                display,
                "",
                "expected a name NNN-name.conf, where NNN is the format the migration starts"
                    + " from (at least 1), e.g. 001-split-db.conf; found "
                    + name));
        continue;
      }
      String earlier = firstFile.putIfAbsent(source, display);
      if (earlier != null) {
        problems.add(
            new Problem(
                "QCFG-4502",
                display,
                "",
                "two migrations from format "
                    + source
                    + ": "
                    + earlier
                    + " and "
                    + name
                    + "; keep exactly one file per format"));
        continue;
      }
      Migration.read(source, file, problems).ifPresent(mg -> bySource.put(source, mg));
    }
    if (!problems.isEmpty()) {
      throw new QcfgException.Invalid(problems);
    }
    return new MigrationPlan(dirName, bySource);
  }

  /** The migration files, as shown in messages, by source format. */
  public List<String> files() {
    return bySource.values().stream().map(Migration::file).toList();
  }

  /**
   * The format {@code tree} declares: its {@code qcfg.format}, or 1 when it has none.
   *
   * @throws QcfgException.Invalid (QCFG-4512) when {@code qcfg.format} is not a whole number of at
   *     least 1
   */
  public static int formatOf(Config tree) {
    List<Problem> problems = new ArrayList<>();
    Optional<Integer> format = ownFormat(new EditableTree.InMemory(tree, true), problems);
    if (!problems.isEmpty()) {
      throw new QcfgException.Invalid(problems);
    }
    return format.orElse(1);
  }

  /**
   * Migrates {@code tree} from the format it declares to {@code targetFormat}, in memory. Pass the
   * user's layers (merged or one file, resolved or not), not the application's {@code
   * reference.conf} defaults: those are already at the application's format, and a {@code default}
   * step would see their values as the user's.
   *
   * <p>Values are moved, never re-created: a renamed value or subtree is the same {@code
   * ConfigValue} and keeps its origin (the user's file and line); a wrapped or converted value gets
   * the origin of the value it replaces; a default's origin is its line in the migration file. The
   * result's {@code qcfg.format} is {@code targetFormat}, with an origin naming the last migration
   * applied.
   *
   * @return {@code tree} itself when it is already at {@code targetFormat}, else the migrated tree
   * @throws QcfgException.Invalid when the format is newer than {@code targetFormat} (QCFG-4510), a
   *     migration file between the two is missing (QCFG-4511, one problem per missing file), {@code
   *     qcfg.format} is malformed (QCFG-4512), or steps of one migration cannot be applied
   *     (QCFG-4520..4525, every problem of that migration; later migrations are not tried)
   * @throws QcfgException.BadOption when {@code targetFormat} is less than 1
   */
  public Config migrate(Config tree, int targetFormat) {
    checkTarget(targetFormat);
    List<Problem> problems = new ArrayList<>();
    EditableTree.InMemory start = new EditableTree.InMemory(tree, true);
    Optional<Integer> own = ownFormat(start, problems);
    if (!problems.isEmpty()) {
      throw new QcfgException.Invalid(problems);
    }
    int from = own.orElse(1);
    if (from == targetFormat) {
      return tree;
    }
    EditableTree.InMemory migrated =
        (EditableTree.InMemory) chain(start, from, targetFormat, formatLocation(start), problems);
    if (!problems.isEmpty()) {
      throw new QcfgException.Invalid(problems);
    }
    return migrated.set(FORMAT_PATH, formatValue(targetFormat)).config();
  }

  /**
   * Rewrites the layer files of {@code configDir} ({@code application.conf}, {@code
   * environments/*.conf}, {@code local.conf}) to {@code targetFormat}, for the CLI's {@code migrate
   * --dir D --to N [--dry-run]}. See the package documentation for which files are touched, how
   * each file's format is found, the backup and what is kept of the files' layout. Nothing is
   * written unless every file can be migrated.
   *
   * @throws QcfgException.Invalid with every problem of every file: those of {@link #migrate}, plus
   *     a layer file that does not parse (QCFG-4530), cannot be read or written (QCFG-4531), or
   *     that qcfg could not rewrite faithfully (QCFG-4532)
   * @throws QcfgException.BadOption when {@code targetFormat} is less than 1
   */
  public MigrationResult rewrite(Path configDir, int targetFormat, boolean dryRun) {
    checkTarget(targetFormat);
    return new LayerRewrite(this, configDir, targetFormat, Clock.systemUTC()).run(dryRun);
  }

  /**
   * Applies the migrations {@code from .. target-1} to {@code tree}. Adds problems and returns
   * early when the format is newer than the target, a migration is missing, or a migration's steps
   * fail (then the tree is returned as that migration left it; callers discard it).
   */
  EditableTree chain(
      EditableTree tree, int from, int target, String formatLocation, List<Problem> problems) {
    if (from > target) {
      problems.add(
          new Problem(
              "QCFG-4510",
              formatLocation,
              FORMAT_PATH,
              "config format "
                  + from
                  + " is newer than this application supports ("
                  + target
                  + ")"));
      return tree;
    }
    boolean missing = false;
    for (int k = from; k < target; k++) {
      if (!bySource.containsKey(k)) {
        missing = true;
        problems.add(
            new Problem(
                "QCFG-4511",
                migrationsDir,
                "",
                String.format(
                    "expected a migration %03d-<name>.conf from format %d to %d, found none"
                        + " (the configuration is at format %d, the application needs %d)",
                    k, k, k + 1, from, target)));
      }
    }
    if (missing) {
      return tree;
    }
    for (int k = from; k < target; k++) {
      int before = problems.size();
      for (MigrationStep step : bySource.get(k).steps()) {
        tree = step.apply(tree, problems);
      }
      if (problems.size() > before) {
        return tree;
      }
    }
    return tree;
  }

  /** The origin given to the {@code qcfg.format} a migration writes. */
  ConfigValue formatValue(int target) {
    String last =
        bySource.containsKey(target - 1) ? bySource.get(target - 1).file() : migrationsDir;
    return ConfigValueFactory.fromAnyRef(target, "qcfg migrate (" + last + ")");
  }

  /** The tree's own {@code qcfg.format}; empty when absent; adds QCFG-4512 when malformed. */
  static Optional<Integer> ownFormat(EditableTree tree, List<Problem> problems) {
    Optional<ConfigValue> value;
    try {
      value = tree.get(FORMAT_PATH);
    } catch (ConfigException.NotResolved e) {
      problems.add(
          new Problem(
              "QCFG-4512",
              "(configuration)",
              FORMAT_PATH,
              "expected a whole number of at least 1, found a value known only after resolution"));
      return Optional.empty();
    }
    if (value.isEmpty()) {
      return Optional.empty();
    }
    ConfigValue v = value.get();
    Object raw;
    try {
      raw = v.unwrapped();
    } catch (ConfigException.NotResolved e) {
      raw = null;
    }
    Integer format = null;
    if (raw instanceof Integer i) {
      format = i;
    } else if (raw instanceof String s && s.strip().matches("\\d{1,9}")) {
      format = Integer.valueOf(s.strip());
    }
    if (format == null || format < 1) {
      problems.add(
          new Problem(
              "QCFG-4512",
              HoconText.location(v.origin()),
              FORMAT_PATH,
              "expected a whole number of at least 1, found "
                  + (raw == null ? "a substitution" : v.render())));
      return Optional.empty();
    }
    return Optional.of(format);
  }

  static String formatLocation(EditableTree tree) {
    try {
      return tree.get(FORMAT_PATH)
          .map(v -> HoconText.location(v.origin()))
          .orElse("(no qcfg.format: format 1)");
    } catch (ConfigException.NotResolved e) {
      return "(configuration)";
    }
  }

  private static void checkTarget(int targetFormat) {
    if (targetFormat < 1) {
      throw new QcfgException.BadOption(
          "format: expected a whole number of at least 1, found " + targetFormat);
    }
  }
}
