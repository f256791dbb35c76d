package io.qcfg.internal.watch;

import io.qcfg.internal.log.Log;
import io.qcfg.internal.text.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Watches a directory tree by hashing (SHA-256) the content of every regular file each interval,
 * following symlinks; timestamps are never looked at, so {@code touch} is not a change. Reports
 * files whose hash changed, that appeared and that disappeared.
 *
 * <p>Kubernetes volume internals ({@code ..data}, {@code ..2026_...}) are skipped: the visible
 * symlinks ({@code app.conf -> ..data/app.conf}) are hashed through, so each file counts once and
 * is reported under its real name. Editor noise ({@link EditorNoise}) is skipped too.
 *
 * <p>After a scan finds a change, the tree is scanned again once the quiet window has passed, and
 * the callback fires when a scan finds nothing new (at the latest {@link
 * ChangeBatch#maxDelayFor(Duration)} after the first change): a file written in several bursts then
 * reloads once. A change is thus delivered within one interval plus the quiet window plus the time
 * of two scans.
 *
 * <p>Concurrency: {@link #hashes} and {@link #batch} are written by the thread that creates this
 * object (the first scan) and then only by the poll thread. {@link #stop()} counts down a latch
 * that the poll thread waits on, from any thread.
 */
final class PollingWatch implements WatchLoop {
  private static final int MAX_DEPTH = 32;
  private static final String UNREADABLE = "unreadable";

  private final Path root;
  private final long intervalNanos;
  private final ChangeListener onChange;
  private final ChangeBatch batch;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private Map<Path, String> hashes;
  private boolean rootMissing;

  PollingWatch(Path root, Duration interval, Duration quiet, ChangeListener onChange) {
    this.root = root;
    this.intervalNanos = interval.toNanos();
    this.onChange = onChange;
    this.batch = new ChangeBatch(quiet, ChangeBatch.maxDelayFor(quiet));
    this.hashes = scan(); // the baseline: changes are relative to the state at start
  }

  @Override
  public void stop() {
    stopped.countDown();
  }

  @Override
  public void run() {
    long nextScan = System.nanoTime() + intervalNanos;
    while (true) {
      try {
        long wakeAt = batch.isEmpty() ? nextScan : batch.dueNanos();
        if (stopped.await(Math.max(wakeAt - System.nanoTime(), 0), TimeUnit.NANOSECONDS)) {
          return;
        }
        long now = System.nanoTime();
        Set<Path> changed = rescan();
        changed.forEach(p -> batch.add(p, now));
        if (batch.isDue(now) || (!batch.isEmpty() && changed.isEmpty())) {
          fire();
        }
        while (nextScan - now <= 0) {
          nextScan += intervalNanos; // a slow scan skips beats instead of scanning back to back
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException | Error e) {
        Log.warn(root + ": unexpected error while polling, still polling [QCFG-4315]", e);
      }
    }
  }

  private void fire() {
    Set<Path> changed = batch.take();
    if (stopped.getCount() == 0) {
      return;
    }
    Map<Path, String> seen = new HashMap<>(); // the last scan's hashes, null: gone
    for (Path p : changed) {
      seen.put(p, hashes.get(p));
    }
    try {
      onChange.changed(changed, () -> ChangeBatch.unchanged(root, seen, this::contentNow));
    } catch (Throwable t) { // a broken callback must not end watching
      Log.warn(root + ": the change callback failed, still polling [QCFG-4314]", t);
    }
  }

  /** A file's hash as a scan would record it now (null: a scan would not list it). */
  private String contentNow(Path file) {
    return Files.isRegularFile(file) && !skipped(file) ? hash(file) : null;
  }

  /** Scans, remembers the result, and returns the relative paths that differ from the last scan. */
  private Set<Path> rescan() {
    Map<Path, String> current = scan();
    Set<Path> changed = new HashSet<>();
    for (Map.Entry<Path, String> e : current.entrySet()) {
      if (!Objects.equals(hashes.get(e.getKey()), e.getValue())) {
        changed.add(e.getKey());
      }
    }
    for (Path old : hashes.keySet()) {
      if (!current.containsKey(old)) {
        changed.add(old);
      }
    }
    hashes = current;
    return changed;
  }

  /** Content hash of every regular file under the root, by path relative to the root. */
  private Map<Path, String> scan() {
    Map<Path, String> out = new HashMap<>();
    boolean missing = !Files.isDirectory(root);
    if (missing != rootMissing) {
      rootMissing = missing;
      if (missing) {
        Log.warn(
            root
                + ": the configuration directory does not exist, polling until it does"
                + " [QCFG-4310]");
      }
    }
    if (missing) {
      return out;
    }
    try {
      Files.walkFileTree(
          root,
          EnumSet.of(FileVisitOption.FOLLOW_LINKS),
          MAX_DEPTH,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
              if (dir.equals(root)) {
                return FileVisitResult.CONTINUE;
              }
              return skipped(dir) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
              if (attrs.isRegularFile() && !skipped(file)) {
                String hash = hash(file);
                if (hash != null) {
                  out.put(root.relativize(file), hash);
                }
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
              return WalkFailures.report(file, e);
            }
          });
    } catch (IOException e) {
      Log.warn(root + ": cannot walk to poll it [QCFG-4313]", e);
    }
    return out;
  }

  private static boolean skipped(Path path) {
    String name = path.getFileName().toString();
    return EditorNoise.isVolumeInternal(name) || EditorNoise.matches(name);
  }

  /** Hex SHA-256 of the content; {@link #UNREADABLE} if unreadable; null if it vanished. */
  private String hash(Path file) {
    Sha256 sha256 = Sha256.create();
    byte[] buffer = new byte[8192];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        sha256.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(sha256.digest());
    } catch (NoSuchFileException e) {
      return null; // deleted between listing and reading, or a dangling symlink
    } catch (IOException | SecurityException e) {
      // Still a state: becoming readable again is a change the engine should hear about.
      Log.warnOnce(
          "qcfg-watch-unreadable:" + file,
          file
              + ": cannot be read to poll it; reported as changed when it becomes readable"
              + " [QCFG-4316]");
      return UNREADABLE;
    }
  }
}
