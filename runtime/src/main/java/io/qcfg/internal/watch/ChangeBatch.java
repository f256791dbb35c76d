package io.qcfg.internal.watch;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The changed paths gathered since the last callback, and when to deliver them: once nothing has
 * changed for the quiet window, or at the latest {@code maxDelay} after the first change so that a
 * tree that never goes quiet still reloads.
 *
 * <p>Half-written files: a rename is atomic, so a file that only appeared under its name (a
 * rename-over save, a Kubernetes swap, a delete) is delivered after the quiet window. A file
 * written in place ({@link #addInPlace}) may be read between two bursts of one writer, so it must
 * also read the same twice: at the end of the quiet window its content is fingerprinted, and the
 * batch is due only when a second fingerprint {@code settle} later is identical (any new event
 * starts over). A path that no longer holds a regular file by then (a temporary file renamed
 * away) needs no settling.
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
  private final long settleNanos;
  private final long maxDelayNanos;
  // Relative path -> fingerprint of its content (null: not a regular file now).
  private final Function<Path, Object> fingerprint;
  private final Set<Path> paths = new HashSet<>();
  private final Set<Path> inPlace = new HashSet<>();
  private Map<Path, Object> firstRead; // taken at the end of the quiet window; null before
  private Map<Path, Object> settled = Map.of(); // the in-place paths' content the batch is due on
  private long firstReadNanos;
  private boolean collapsed;
  private long firstNanos;
  private long lastNanos;

  /** A batch without settling: every change is due after the quiet window. */
  ChangeBatch(Duration quietWindow, Duration maxDelay) {
    this(quietWindow, Duration.ZERO, maxDelay, p -> null);
  }

  /**
   * @param settle how long a file written in place must keep the same content
   * @param fingerprint the content fingerprint of a relative path, null if it is not a regular
   *     file; called on the watcher thread
   */
  ChangeBatch(
      Duration quietWindow, Duration settle, Duration maxDelay, Function<Path, Object> fingerprint) {
    this.quietNanos = quietWindow.toNanos();
    this.settleNanos = settle.toNanos();
    this.maxDelayNanos = Math.max(maxDelay.toNanos(), quietNanos + settleNanos);
    this.fingerprint = fingerprint;
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
    firstRead = null; // a new event: settling starts over
    settled = Map.of();
    if (collapsed) {
      return;
    }
    if (paths.size() >= MAX_PATHS && !paths.contains(relative)) {
      paths.clear();
      inPlace.clear();
      paths.add(WHOLE_DIR);
      collapsed = true;
      return;
    }
    paths.add(relative);
  }

  /** Records that {@code relative} was written in place (not renamed into place). */
  void addInPlace(Path relative, long nowNanos) {
    add(relative, nowNanos);
    if (!collapsed && settleNanos > 0) {
      inPlace.add(relative);
    }
  }

  /** When the batch should be delivered ({@link System#nanoTime()} scale); only if not empty. */
  long dueNanos() {
    long cap = firstNanos + maxDelayNanos;
    long quiet = lastNanos + quietNanos;
    if (inPlace.isEmpty() || firstRead == null) {
      return Math.min(quiet, cap);
    }
    return Math.min(firstReadNanos + settleNanos, cap);
  }

  /** Whether to deliver now; reads the files written in place (see the class comment). */
  boolean isDue(long nowNanos) {
    if (paths.isEmpty()) {
      return false;
    }
    if (nowNanos - (firstNanos + maxDelayNanos) >= 0) {
      return true;
    }
    if (nowNanos - (lastNanos + quietNanos) < 0) {
      return false;
    }
    if (inPlace.isEmpty()) {
      return true;
    }
    if (firstRead == null) {
      firstRead = read();
      firstReadNanos = nowNanos;
      return inPlace.isEmpty();
    }
    if (nowNanos - (firstReadNanos + settleNanos) < 0) {
      return false;
    }
    Map<Path, Object> second = read();
    if (second.equals(firstRead)) {
      settled = second;
      return true;
    }
    firstRead = second; // still being written without events (or events were lost): read again
    firstReadNanos = nowNanos;
    return false;
  }

  /** Fingerprints the in-place paths; those that are no longer regular files need no settling. */
  private Map<Path, Object> read() {
    Map<Path, Object> out = new java.util.HashMap<>();
    for (Path p : Set.copyOf(inPlace)) {
      Object f = fingerprint.apply(p);
      if (f == null) {
        inPlace.remove(p);
      } else {
        out.put(p, f);
      }
    }
    return out;
  }

  /**
   * The content fingerprint of each gathered path as the batch is handed out (call before {@link
   * #take}): for a file written in place, the one its settling read twice; for the others, read
   * now (null: not a regular file, as the whole-directory marker and directories).
   */
  Map<Path, Object> seen() {
    Map<Path, Object> out = new java.util.HashMap<>();
    for (Path p : paths) {
      out.put(p, settled.containsKey(p) ? settled.get(p) : fingerprint.apply(p));
    }
    return out;
  }

  /**
   * Whether each path (relative to {@code root}) still gives the content fingerprint {@link #seen}
   * (or a polling scan) took at the delivery, by the same {@code content} function: the check a
   * {@link ChangeListener} is handed. Reads the files; called from any thread.
   */
  static boolean unchanged(Path root, Map<Path, ?> seen, Function<Path, ?> content) {
    for (Map.Entry<Path, ?> e : seen.entrySet()) {
      if (!java.util.Objects.equals(content.apply(root.resolve(e.getKey())), e.getValue())) {
        return false;
      }
    }
    return true;
  }

  /** Hands out the gathered paths and starts a new, empty batch. */
  Set<Path> take() {
    Set<Path> out = Set.copyOf(paths);
    paths.clear();
    inPlace.clear();
    firstRead = null;
    settled = Map.of();
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
