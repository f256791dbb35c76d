package io.qcfg.internal.watch;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import io.qcfg.internal.log.Log;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Watches a directory tree with the JDK {@link WatchService} (inotify on Linux): every directory of
 * the tree is registered, new ones as they appear, and directories that are deleted are forgotten.
 * Symlinked directories are followed (a watch on a symlink watches its target); loops are detected
 * and skipped. Kubernetes volume internals ({@code ..data}, {@code ..2026_01_01_...}) are not
 * registered: an event on such a name in a directory reports the directory as a whole and
 * re-registers its symlinked subdirectories.
 *
 * <p>The root itself is stat-ed every second (every 200 ms while it is missing): that catches the
 * directory being deleted and recreated, renamed away and replaced, or being a symlink that is
 * swapped to a new target, none of which inotify reports on the old watch.
 *
 * <p>Overflow (the kernel queue or the JDK's 512 events per directory) reports the whole directory
 * and re-scans the tree for directories whose creation was lost. Memory is bounded by those two
 * queues and by {@link ChangeBatch#MAX_PATHS}.
 *
 * <p>Concurrency: {@link #keys}, {@link #batch} and the root state are touched by the thread that
 * opens this watch (before the watcher thread starts) and then only by the watcher thread. {@link
 * #stop()} may be called from any thread: it sets a volatile flag and closes the watch service,
 * which wakes the watcher thread.
 */
final class NativeWatch implements WatchLoop {
  private static final long PRESENT_CHECK_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final long MISSING_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
  private static final long ERROR_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  private static final int MAX_DEPTH = 32;
  private static final int MAX_DIRECTORIES = 4096;
  // A writer that never pauses must not keep the thread draining forever.
  private static final int MAX_KEYS_PER_DRAIN = 1024;

  private final Path root;
  private final WatchService service;
  private final ChangeListener onChange;
  private final ChangeBatch batch;
  private final Map<Path, WatchKey> keys = new HashMap<>();
  private final Set<Path> rescans = new HashSet<>();
  private volatile boolean stopped;
  private Object rootIdentity; // null while the root is missing
  private long nextRootCheck;

  private NativeWatch(
      Path root,
      WatchService service,
      Duration quiet,
      Duration settle,
      ChangeListener onChange) {
    this.root = root;
    this.service = service;
    this.onChange = onChange;
    this.batch =
        new ChangeBatch(
            quiet, settle, ChangeBatch.maxDelayFor(quiet), p -> Fingerprint.of(root.resolve(p)));
  }

  /**
   * Opens a watch service and registers the tree under {@code root} (absolute, normalised) before
   * returning, so that any change made after this returns is seen. A missing root is not an error:
   * it is checked until it appears.
   *
   * @throws IOException if the operating system gives no watch service (e.g. the inotify instance
   *     limit is reached)
   */
  static NativeWatch open(
      Path root, Duration quiet, Duration settle, ChangeListener onChange)
      throws IOException {
    WatchService service = root.getFileSystem().newWatchService();
    NativeWatch watch = new NativeWatch(root, service, quiet, settle, onChange);
    try {
      watch.rootIdentity = identityOf(root);
      if (watch.rootIdentity == null) {
        Log.warn(missingMessage(root));
      } else {
        watch.registerTree(root);
      }
    } catch (RuntimeException | Error e) {
      watch.stop(); // no thread will own it: release the inotify instance now
      throw e;
    }
    watch.nextRootCheck = System.nanoTime() + watch.checkInterval();
    return watch;
  }

  @Override
  public void stop() {
    stopped = true;
    try {
      service.close();
    } catch (IOException e) {
      Log.debug("closing the watch service of " + root + " failed: " + io.qcfg.internal.crypto.ForeignText.describe(e));
    }
  }

  @Override
  public void run() {
    while (!stopped) {
      try {
        step();
      } catch (ClosedWatchServiceException e) {
        return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException | Error e) {
        if (stopped) {
          return;
        }
        // Whatever went wrong, keep watching; pause so that a persistent fault cannot spin.
        Log.warn(root + ": unexpected error while watching, still watching [QCFG-4315]", e);
        LockSupport.parkNanos(ERROR_PAUSE_NANOS);
      }
    }
  }

  private void step() throws InterruptedException {
    long now = System.nanoTime();
    if (now - nextRootCheck >= 0) {
      checkRoot(now);
    }
    if (batch.isDue(now)) {
      fire();
      return;
    }
    long wait = nextRootCheck - now;
    if (!batch.isEmpty()) {
      wait = Math.min(wait, batch.dueNanos() - now);
    }
    WatchKey key = service.poll(Math.max(wait, 0), TimeUnit.NANOSECONDS);
    for (int drained = 0; key != null && drained < MAX_KEYS_PER_DRAIN; drained++) {
      handle(key, System.nanoTime());
      key = service.poll();
    }
    if (key != null) {
      handle(key, System.nanoTime());
    }
    for (Path dir : rescans) {
      registerTree(dir);
    }
    rescans.clear();
  }

  private void fire() {
    Map<Path, Object> seen = batch.seen();
    Set<Path> changed = batch.take();
    if (stopped) {
      return;
    }
    try {
      onChange.changed(changed, () -> ChangeBatch.unchanged(root, seen, Fingerprint::of));
    } catch (Throwable t) { // a broken callback must not end watching
      Log.warn(root + ": the change callback failed, still watching [QCFG-4314]", t);
    }
  }

  private void handle(WatchKey key, long now) {
    Path dir = (Path) key.watchable();
    for (WatchEvent<?> event : key.pollEvents()) {
      if (event.kind() == OVERFLOW) {
        // Events were dropped, possibly the creation of a directory: look at everything again.
        batch.add(ChangeBatch.WHOLE_DIR, now);
        rescans.add(root);
        continue;
      }
      String name = event.context().toString();
      if (EditorNoise.matches(name)) {
        continue;
      }
      if (EditorNoise.isVolumeInternal(name)) {
        // ..data swapped: every symlink of this directory may resolve to new content.
        batch.add(relative(dir), now);
        rescans.add(dir);
        continue;
      }
      Path child = dir.resolve(name);
      if (event.kind() == ENTRY_MODIFY) {
        batch.addInPlace(relative(child), now); // written in place: may be half-written
      } else {
        batch.add(relative(child), now); // renamed into place, created or deleted
      }
      if (event.kind() == ENTRY_DELETE) {
        forget(child);
      } else if (event.kind() == ENTRY_CREATE && Files.isDirectory(child)) {
        registerTree(child);
      }
    }
    if (!key.reset()) {
      keys.values().removeIf(k -> k == key);
      if (dir.equals(root)) {
        nextRootCheck = now; // deleted or unmounted: find out now, not in a second
      }
    }
  }

  private void checkRoot(long now) {
    Object identity = identityOf(root);
    if (identity == null && rootIdentity != null) {
      Log.warn(missingMessage(root));
      forgetAll();
      batch.add(ChangeBatch.WHOLE_DIR, now);
    } else if (identity != null && !identity.equals(rootIdentity)) {
      if (rootIdentity == null) {
        Log.info(root + ": the configuration directory is back, watching it again [QCFG-4311]");
      }
      // Back, recreated, or a symlink now pointing elsewhere: the old watches see nothing.
      forgetAll();
      registerTree(root);
      batch.add(ChangeBatch.WHOLE_DIR, now);
    }
    rootIdentity = identity;
    nextRootCheck = now + checkInterval();
  }

  private long checkInterval() {
    return rootIdentity == null ? MISSING_CHECK_NANOS : PRESENT_CHECK_NANOS;
  }

  /** What identifies the root directory on disk (inode), or null if it is not a directory now. */
  private static Object identityOf(Path dir) {
    try {
      BasicFileAttributes attrs = Files.readAttributes(dir, BasicFileAttributes.class);
      if (!attrs.isDirectory()) {
        return null;
      }
      return attrs.fileKey() != null ? attrs.fileKey() : Boolean.TRUE;
    } catch (IOException | SecurityException e) {
      return null;
    }
  }

  private static String missingMessage(Path root) {
    return root
        + ": the configuration directory does not exist (or is not a directory);"
        + " checking every 200 ms until it does [QCFG-4310]";
  }

  private Path relative(Path path) {
    return root.relativize(path);
  }

  /** Registers {@code top} and every directory below it, following symlinks, skipping loops. */
  private void registerTree(Path top) {
    try {
      Files.walkFileTree(
          top,
          EnumSet.of(FileVisitOption.FOLLOW_LINKS),
          MAX_DEPTH,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
              if (!dir.equals(root)) {
                String name = dir.getFileName().toString();
                if (EditorNoise.isVolumeInternal(name) || EditorNoise.matches(name)) {
                  return FileVisitResult.SKIP_SUBTREE;
                }
              }
              return register(dir) ? FileVisitResult.CONTINUE : FileVisitResult.SKIP_SUBTREE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
              return WalkFailures.report(file, e);
            }
          });
    } catch (IOException e) {
      // The visitor never throws; walkFileTree reports through visitFileFailed.
      Log.warn(top + ": cannot walk to watch it [QCFG-4313]", e);
    }
  }

  /** Registers one directory; false if it could not be (gone, replaced, or a limit reached). */
  private boolean register(Path dir) {
    if (keys.size() >= MAX_DIRECTORIES && !keys.containsKey(dir)) {
      Log.warnOnce(
          "qcfg-watch-max:" + root,
          root
              + ": more than "
              + MAX_DIRECTORIES
              + " directories, the rest is not watched;"
              + " use watch=poll:<interval> for such a tree [QCFG-4313]");
      return false;
    }
    try {
      WatchKey key = dir.register(service, ENTRY_CREATE, ENTRY_DELETE, ENTRY_MODIFY);
      WatchKey old = keys.put(dir, key);
      if (old != null && old != key && !keys.containsValue(old)) {
        old.cancel(); // the path now leads to another directory (a swapped symlink)
      }
      return true;
    } catch (NoSuchFileException | NotDirectoryException e) {
      return false; // raced with a delete or a replacement; its own event follows
    } catch (IOException e) {
      // Typically the inotify watch limit (fs.inotify.max_user_watches).
      Log.warnOnce(
          "qcfg-watch-register:" + dir,
          dir
              + ": cannot be watched, changes below it may be missed [QCFG-4313]: "
              + io.qcfg.internal.crypto.ForeignText.describe(e));
      return false;
    }
  }

  /** Drops the watches on {@code gone} and below it (it was deleted or renamed away). */
  private void forget(Path gone) {
    Set<WatchKey> dropped = new HashSet<>();
    for (Iterator<Map.Entry<Path, WatchKey>> it = keys.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Path, WatchKey> e = it.next();
      if (e.getKey().startsWith(gone)) {
        dropped.add(e.getValue());
        it.remove();
      }
    }
    for (WatchKey key : dropped) {
      if (!keys.containsValue(key)) {
        key.cancel();
      }
    }
  }

  private void forgetAll() {
    keys.values().forEach(WatchKey::cancel);
    keys.clear();
  }
}
