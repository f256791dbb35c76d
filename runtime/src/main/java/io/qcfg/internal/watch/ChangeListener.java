package io.qcfg.internal.watch;

import java.nio.file.Path;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * What a watcher hands over when a batch of changes is ready: the changed paths, and a check that
 * their content is still what the watcher saw when it decided they were ready.
 *
 * <p>The check closes the gap between the delivery and the read: a reload runs later, on another
 * thread, and reads the files as they are then. If a writer began to rewrite one of them in
 * between (the next in-place write after a settled one), that read could take its first burst,
 * which the settling exists to keep out. When the check fails, a change was made after the
 * delivery, so an event of it is on its way and a later batch carries it: the read can be dropped,
 * nothing is lost.
 */
@FunctionalInterface
public interface ChangeListener {
  /**
   * Called on the watcher thread; must be cheap.
   *
   * @param paths the changed paths, relative to the watched directory ({@code ""}: anything)
   * @param stillAsSeen true while every changed path holds the content the watcher saw at the
   *     delivery (a content hash; a path that is not a regular file counts as such); may be called
   *     from any thread, any number of times; it reads the files each time
   */
  void changed(Set<Path> paths, BooleanSupplier stillAsSeen);
}
