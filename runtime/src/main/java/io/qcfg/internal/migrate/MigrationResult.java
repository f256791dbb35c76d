package io.qcfg.internal.migrate;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What {@link MigrationPlan#rewrite} did, or would do on a dry run.
 *
 * @param targetFormat the format the files are now at (or would be)
 * @param dryRun true when nothing was written
 * @param changedFiles the layer files rewritten (or to be rewritten), as {@code configDir}-based
 *     paths, in layer order (the base layer is written last)
 * @param skipped files qcfg does not rewrite, each with the reason; the user migrates them by hand
 * @param backupDir where the originals of {@code changedFiles} were copied, keeping their paths
 *     relative to the configuration directory; empty on a dry run or when nothing changed
 * @param diff a unified diff of every change ({@code --- a/file}, {@code +++ b/file}, {@code @@}
 *     hunks), paths relative to the configuration directory, credential values hidden; {@code ""}
 *     when nothing changes
 */
public record MigrationResult(
    int targetFormat,
    boolean dryRun,
    List<Path> changedFiles,
    List<Skipped> skipped,
    Optional<Path> backupDir,
    String diff) {

  public MigrationResult {
    changedFiles = List.copyOf(changedFiles);
    skipped = List.copyOf(skipped);
  }

  /** A file left alone, and why. */
  public record Skipped(Path file, String reason) {}

  /** Whether any file changed (or would change). */
  public boolean changed() {
    return !changedFiles.isEmpty();
  }
}
