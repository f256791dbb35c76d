package io.qcfg.internal.watch;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/**
 * The changed paths gathered since the last callback, and when to deliver them: once nothing has
 * changed for the quiet window, or at the latest {@code maxDelay} after the first change so that a
 * tree that never goes quiet still reloads.
 *
 * <p>Memory is bounded: past {@link #MAX_PATHS} distinct paths the batch collapses to {@link
 * #WHOLE_DIR}, which tells the engine to look at everything.
 *
 * <p>Concurrency: none; owned by the one watcher thread.
 */
public final class ChangeBatch {
  /** Relative path meaning "the configuration directory itself; anything may have changed". */
  static final Path WHOLE_DIR = Path.of("");

  static final int MAX_PATHS = 256;

  private final long quietNanos;
  private final long maxDelayNanos;
  private final Set<Path> paths = new HashSet<>();
  private boolean collapsed;
  private long firstNanos;
  private long lastNanos;

  ChangeBatch(Duration quietWindow, Duration maxDelay) {
    this.quietNanos = quietWindow.toNanos();
    this.maxDelayNanos = Math.max(maxDelay.toNanos(), quietNanos);
  }

  /**
   * The cap for a given quiet window: long enough to swallow a burst, short enough to not starve.
   */
  static Duration maxDelayFor(Duration quietWindow) {
    Duration tenWindows = quietWindow.multipliedBy(10);
    Duration floor = Duration.ofSeconds(2);
    return tenWindows.compareTo(floor) > 0 ? tenWindows : floor;
  }

  boolean isEmpty() {
    return paths.isEmpty();
  }

  /**
   * Records a change of {@code relative} (relative to the configuration directory) at {@code
   * nowNanos}.
   */
  void add(Path relative, long nowNanos) {
    if (paths.isEmpty()) {
      firstNanos = nowNanos;
    }
    lastNanos = nowNanos;
    if (collapsed) {
      return;
    }
    if (paths.size() >= MAX_PATHS && !paths.contains(relative)) {
      paths.clear();
      paths.add(WHOLE_DIR);
      collapsed = true;
      return;
    }
    paths.add(relative);
  }

  /** When the batch should be delivered ({@link System#nanoTime()} scale); only if not empty. */
  long dueNanos() {
    return Math.min(lastNanos + quietNanos, firstNanos + maxDelayNanos);
  }

  boolean isDue(long nowNanos) {
    return !paths.isEmpty() && nowNanos - dueNanos() >= 0;
  }

  /** Hands out the gathered paths and starts a new, empty batch. */
  Set<Path> take() {
    Set<Path> out = Set.copyOf(paths);
    paths.clear();
    collapsed = false;
    return out;
  }

  /**
   * The changed paths as people read them, sorted and comma-separated; the whole-directory
   * marker is shown as {@code dir} when alone and left out otherwise, so the list never has an
   * empty entry.
   */
  public static String describe(java.util.Set<Path> paths, Path dir) {
    java.util.List<String> names = new java.util.ArrayList<>();
    for (Path p : paths) {
      if (!p.toString().isEmpty()) {
        names.add(p.toString());
      }
    }
    if (names.isEmpty()) {
      return dir.toString();
    }
    java.util.Collections.sort(names);
    return String.join(", ", names);
  }
}
