package io.qcfg.cli;

import io.qcfg.internal.migrate.MigrationPlan;
import io.qcfg.internal.migrate.MigrationResult;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code qcfg migrate --dir D --to N [--dry-run]}: rewrites the layer files to format N. */
@Command(
    name = "migrate",
    mixinStandardHelpOptions = true,
    description = {
      "Rewrite the layer files to config format N with migrations/, and show the diff.",
      "",
      "Rewrite the layer files of --dir (application.conf, environments/*.conf, local.conf) to"
          + " config format N with the steps in migrations/, and print the diff (credential"
          + " values hidden). The originals are copied to a backup directory first; nothing is"
          + " written unless every file can be migrated.",
      "Files qcfg does not rewrite (secrets/, templates, includes) are listed as skipped, with"
          + " the reason: migrate them by hand."
    })
final class MigrateCommand extends Verb {
  @Option(
      names = "--to",
      required = true,
      paramLabel = "N",
      description = "The config format to migrate to (qcfg.format).")
  int to;

  @Option(names = "--dry-run", description = "Show the diff and the files, write nothing.")
  boolean dryRun;

  @Override
  public Integer call() {
    Path dir = cli().options().dir();
    OfflineConfig.requireDirectory(dir);
    MigrationResult r = MigrationPlan.load(dir).rewrite(dir, to, dryRun);
    if (!r.diff().isEmpty()) {
      String diff =
          SecretMask.of(dir, new OfflineConfig(cli().options()).secretLayer(dir)).apply(r.diff());
      out().print(diff.endsWith("\n") ? diff : diff + "\n");
    }
    for (Path file : r.changedFiles()) {
      out().println((dryRun ? "would change " : "changed ") + file);
    }
    for (MigrationResult.Skipped s : r.skipped()) {
      out().println("skipped " + s.file() + ": " + s.reason());
    }
    r.backupDir().ifPresent(b -> out().println("originals backed up in " + b));
    if (!r.changed()) {
      out().println("nothing to migrate: every layer file is at format " + r.targetFormat());
    } else if (dryRun) {
      out()
          .println(
              "dry run: nothing written; "
                  + r.changedFiles().size()
                  + " file(s) would move to format "
                  + r.targetFormat());
    } else {
      out().println(r.changedFiles().size() + " file(s) now at format " + r.targetFormat());
    }
    return QcfgCli.OK;
  }
}
