package io.qcfg.internal.watch;

import io.qcfg.internal.log.Log;
import java.io.IOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitResult;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * What both watchers do with a path their tree walk cannot visit: a symlink loop or an unreadable
 * entry is reported once and skipped, a path that vanished mid-walk is ignored, and the walk goes
 * on, so one bad entry never stops the watching of the rest.
 */
final class WalkFailures {
  private WalkFailures() {}

  static FileVisitResult report(Path file, IOException e) {
    if (e instanceof FileSystemLoopException) {
      Log.warnOnce(
          "qcfg-watch-loop:" + file,
          file + ": symlink loop, not followed; the rest is still watched [QCFG-4312]");
    } else if (!(e instanceof NoSuchFileException)) {
      Log.warnOnce(
          "qcfg-watch-visit:" + file,
          file + ": cannot be read to watch it, still watching the rest [QCFG-4313]: " + io.qcfg.internal.crypto.ForeignText.describe(e));
    }
    return FileVisitResult.CONTINUE;
  }
}
