package io.qcfg.internal.migrate;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValueFactory;
import io.qcfg.Problem;
import io.qcfg.QcfgException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * One run of {@link MigrationPlan#rewrite}: reads every layer file, migrates each one twice (in
 * memory, for problems located at the user's lines; then as a {@code ConfigDocument}, for the new
 * text), checks that the two agree, and only then backs up and writes.
 */
final class LayerRewrite {
  static final String BACKUP_DIR = ".qcfg-backup";
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private final MigrationPlan plan;
  private final Path configDir;
  private final int target;
  private final Clock clock;

  /** A layer file that changes. */
  private record Change(Path file, String rel, String oldText, String newText, boolean base) {}

  LayerRewrite(MigrationPlan plan, Path configDir, int target, Clock clock) {
    this.plan = plan;
    this.configDir = configDir;
    this.target = target;
    this.clock = clock;
  }

  MigrationResult run(boolean dryRun) {
    Set<Problem> problems = new LinkedHashSet<>(); // a missing migration would repeat per file
    Path base = configDir.resolve("application.conf");
    boolean hasBase = Files.isRegularFile(base);
    int baseFormat = 1;
    String baseFormatLocation = base + " (no qcfg.format: format 1)";
    List<Change> changes = new ArrayList<>();
    List<Path> layers = layerFiles(problems);
    for (Path file : layers) {
      String rel = relative(file);
      boolean isBase = file.equals(base);
      List<Problem> found = new ArrayList<>();
      String text = read(file, found);
      EditableTree.Document doc = text == null ? null : parse(file, text, isBase, found);
      if (doc == null) {
        problems.addAll(found);
        continue;
      }
      Optional<Integer> own = MigrationPlan.ownFormat(doc, found);
      if (isBase) {
        baseFormat = own.orElse(1);
        baseFormatLocation =
            own.isPresent() ? MigrationPlan.formatLocation(doc) : baseFormatLocation;
      }
      if (!found.isEmpty()) {
        problems.addAll(found);
        continue;
      }
      // A file without its own qcfg.format is at the base layer's format.
      int from = own.orElse(baseFormat);
      String formatLocation =
          own.isPresent() ? MigrationPlan.formatLocation(doc) : baseFormatLocation;
      if (from == target) {
        continue;
      }
      EditableTree mem =
          plan.chain(
              new EditableTree.InMemory(doc.parsed(), isBase), from, target, formatLocation, found);
      if (found.isEmpty()) {
        boolean writeFormat = own.isPresent() || isBase || !hasBase;
        if (writeFormat) {
          mem = mem.set(MigrationPlan.FORMAT_PATH, plan.formatValue(target));
        }
        EditableTree.Document result;
        try {
          result = (EditableTree.Document) plan.chain(doc, from, target, formatLocation, found);
          result = writeFormat ? withFormat(result, own.isPresent()) : result;
        } catch (ConfigException e) {
          result = null; // an edit produced text that does not parse
        }
        if (found.isEmpty() && (result == null || !mem.root().equals(result.root()))) {
          found.add(
              new Problem(
                  "QCFG-4532",
                  file.toString(),
                  "",
                  "qcfg could not rewrite this file faithfully (its layout is beyond what the"
                      + " rewriter handles); nothing was written: migrate it by hand, the"
                      + " engine migrates it in memory meanwhile"));
        } else if (found.isEmpty() && !result.text().equals(text)) {
          changes.add(new Change(file, rel, text, result.text(), isBase));
        }
      }
      problems.addAll(found);
    }
    if (!problems.isEmpty()) {
      throw new QcfgException.Invalid(List.copyOf(problems));
    }
    StringBuilder diff = new StringBuilder();
    for (Change c : changes) {
      diff.append(LineDiff.unified(c.rel(), c.oldText(), c.newText()));
    }
    Optional<Path> backup = Optional.empty();
    if (!dryRun && !changes.isEmpty()) {
      backup = Optional.of(write(changes));
    }
    return new MigrationResult(
        target,
        dryRun,
        changes.stream().map(Change::file).toList(),
        skipped(),
        backup,
        diff.toString());
  }

  /** application.conf, environments/*.conf, local.conf: those that exist. */
  private List<Path> layerFiles(Set<Problem> problems) {
    List<Path> out = new ArrayList<>();
    Path base = configDir.resolve("application.conf");
    if (Files.isRegularFile(base)) {
      out.add(base);
    }
    Path envs = configDir.resolve("environments");
    if (Files.isDirectory(envs)) {
      try (Stream<Path> s = Files.list(envs)) {
        s.filter(p -> p.getFileName().toString().endsWith(".conf") && Files.isRegularFile(p))
            .sorted()
            .forEach(out::add);
      } catch (IOException e) {
        problems.add(new Problem("QCFG-4531", envs.toString(), "", "cannot list: " + io.qcfg.internal.crypto.ForeignText.describe(e)));
      }
    }
    Path local = configDir.resolve("local.conf");
    if (Files.isRegularFile(local)) {
      out.add(local);
    }
    return out;
  }

  private List<MigrationResult.Skipped> skipped() {
    List<MigrationResult.Skipped> out = new ArrayList<>();
    Path secrets = configDir.resolve("secrets");
    if (Files.isDirectory(secrets)) {
      out.add(
          new MigrationResult.Skipped(
              secrets,
              "secret layer: never rewritten, so that no secret value lands in a diff or a"
                  + " backup; bring its paths to format "
                  + target
                  + " by hand"));
    }
    for (Path dir :
        List.of(configDir, configDir.resolve("environments"), configDir.resolve("templates"))) {
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (Stream<Path> s = Files.list(dir)) {
        s.filter(p -> p.getFileName().toString().endsWith(".peb"))
            .sorted()
            .forEach(
                p ->
                    out.add(
                        new MigrationResult.Skipped(
                            p,
                            "Pebble template: qcfg does not rewrite template source; bring its"
                                + " paths to format "
                                + target
                                + " by hand")));
      } catch (IOException e) {
        out.add(new MigrationResult.Skipped(dir, "cannot list: " + io.qcfg.internal.crypto.ForeignText.describe(e)));
      }
    }
    return out;
  }

  private static String read(Path file, List<Problem> problems) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      problems.add(new Problem("QCFG-4531", file.toString(), "", "cannot read: " + io.qcfg.internal.crypto.ForeignText.describe(e)));
      return null;
    }
  }

  private static EditableTree.Document parse(
      Path file, String text, boolean isBase, List<Problem> problems) {
    try {
      return EditableTree.Document.parse(text, file.toString(), isBase);
    } catch (ConfigException e) {
      String where =
          e.origin() != null && e.origin().lineNumber() > 0
              ? file + ":" + e.origin().lineNumber()
              : file.toString();
      problems.add(new Problem("QCFG-4530", where, "", "syntax error: " + HoconText.reason(e)));
      return null;
    }
  }

  /**
   * Sets {@code qcfg.format}: in place when the file has it; else as a new first setting (above the
   * comment lines attached to the first setting, below a header separated by a blank line).
   */
  private EditableTree.Document withFormat(EditableTree.Document doc, boolean hasOwn) {
    if (hasOwn) {
      return doc.set(MigrationPlan.FORMAT_PATH, ConfigValueFactory.fromAnyRef(target));
    }
    List<String> lines = new ArrayList<>(LineDiff.lines(doc.text()));
    int first = 0;
    while (first < lines.size() && isBlankOrComment(lines.get(first))) {
      first++;
    }
    if (first < lines.size() && lines.get(first).strip().startsWith("{")) {
      return doc.set(MigrationPlan.FORMAT_PATH, ConfigValueFactory.fromAnyRef(target));
    }
    int at = first;
    while (at > 0 && isComment(lines.get(at - 1))) {
      at--;
    }
    if (at < lines.size() && !lines.get(at).isBlank()) {
      lines.add(at, "");
    }
    lines.add(at, MigrationPlan.FORMAT_PATH + " = " + target);
    return EditableTree.Document.parse(
        String.join("\n", lines) + "\n", doc.display(), doc.takesDefaults());
  }

  private static boolean isBlankOrComment(String line) {
    return line.isBlank() || isComment(line);
  }

  private static boolean isComment(String line) {
    String t = line.strip();
    return t.startsWith("#") || t.startsWith("//");
  }

  /**
   * Copies the originals to {@code .qcfg-backup/<UTC yyyyMMdd-HHmmss>/}, then replaces each file
   * atomically, the base layer last: a watcher that reloads in between sees an environment file
   * ahead of application.conf, which fails validation and keeps the active snapshot, never a base
   * that claims a format its environment files do not have yet.
   */
  private Path write(List<Change> changes) {
    Path backup = backupDir();
    List<Problem> problems = new ArrayList<>();
    try {
      for (Change c : changes) {
        Path copy = backup.resolve(c.rel());
        Files.createDirectories(copy.getParent());
        Files.copy(c.file(), copy, StandardCopyOption.COPY_ATTRIBUTES);
      }
    } catch (IOException e) {
      problems.add(
          new Problem(
              "QCFG-4531", backup.toString(), "", "cannot back up, nothing was rewritten: " + io.qcfg.internal.crypto.ForeignText.describe(e)));
      throw new QcfgException.Invalid(problems);
    }
    List<Change> ordered = new ArrayList<>(changes.stream().filter(c -> !c.base()).toList());
    changes.stream().filter(Change::base).forEach(ordered::add);
    for (Change c : ordered) {
      try {
        replace(c.file(), c.newText());
      } catch (IOException e) {
        problems.add(
            new Problem(
                "QCFG-4531",
                c.file().toString(),
                "",
                "cannot write: " + io.qcfg.internal.crypto.ForeignText.describe(e) + "; the originals are in " + backup));
        throw new QcfgException.Invalid(problems);
      }
    }
    return backup;
  }

  private Path backupDir() {
    Path root = configDir.resolve(BACKUP_DIR);
    String stamp = STAMP.format(clock.instant());
    Path dir = root.resolve(stamp);
    for (int n = 2; Files.exists(dir); n++) {
      dir = root.resolve(stamp + "-" + n);
    }
    return dir;
  }

  /** Writes a sibling temporary file with the same permissions, then moves it over the file. */
  private static void replace(Path file, String text) throws IOException {
    Path tmp = file.resolveSibling("." + file.getFileName() + ".qcfg-tmp");
    Files.writeString(tmp, text, StandardCharsets.UTF_8);
    try {
      Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(file));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: the new file gets the default permissions
    }
    try {
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private String relative(Path file) {
    return configDir.relativize(file).toString().replace('\\', '/');
  }
}
