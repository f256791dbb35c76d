package io.qcfg.internal.watch;

import io.qcfg.internal.log.Log;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Watches the configuration directory and says when it changed, so that the engine reloads.
 *
 * <p>Everything under the directory is watched, including files and directories that do not exist
 * yet ({@code environments/}, {@code local.conf}, {@code secrets/} and so on appear whenever they
 * like), and the directory itself may disappear and come back. Saves by any editor (rename over the
 * original, truncate and rewrite, several bursts, delete and recreate) and Kubernetes
 * ConfigMap/Secret volume updates (the {@code ..data} symlink swap) are noticed.
 *
 * <h2>The callback</h2>
 *
 * {@code onChange} receives the set of changed paths, <em>relative to the configuration
 * directory</em> and best effort: a file, a directory (something in it changed), or the empty path
 * {@code Path.of("")} for "the whole directory, anything may have changed" (after a Kubernetes
 * swap, an event overflow, the directory coming back, or more than 256 paths at once). Resolve a
 * path against the configuration directory to get the file. A path may be reported whose content
 * did not really change (a {@code touch}, an identical save): the engine compares content and
 * ignores those.
 *
 * <p>Bursts are coalesced: after the first event the watcher waits until nothing has happened for
 * {@code quietWindow}, then calls {@code onChange} once with the union of the paths; a tree that
 * never goes quiet still gets a callback at least every {@code max(2 s, 10 × quietWindow)}. A file
 * written in place (rather than renamed into place) must in addition read the same twice, {@code
 * settle} apart, so that a pause inside one writer's output is not taken for the end of it.
 *
 * <p>{@code onChange} is called on the watcher's one thread ({@code qcfg-watch}, or {@code
 * qcfg-watch-poll} in polling mode), never concurrently with itself. <b>It must be cheap</b>: hand
 * the work to another thread and return. While it runs, new events queue up (bounded: by the
 * operating system's queue, the JDK's 512 events per directory, after which an overflow reports the
 * whole directory) and are delivered in one more call afterwards; none are lost. If it throws, the
 * failure is logged and watching goes on.
 *
 * <h2>Noise</h2>
 *
 * Editor temp files never trigger a callback on their own; see {@code EditorNoise} for the exact
 * names ({@code *~}, {@code *.swp}, {@code *.swo}, {@code *.swx}, {@code *.tmp}, {@code 4913},
 * IntelliJ and Emacs temp files). Renaming one onto a real name is reported under the real name.
 *
 * <h2>Limits of native mode</h2>
 *
 * Changes to the <em>target</em> of a symlink that points outside the directory tree (a file
 * symlinked from elsewhere) are not seen by native events; symlinked <em>directories</em> are
 * followed and fine. Use {@code watch=poll:<interval>} for such layouts and for file systems
 * without change events (some network and FUSE mounts). If the operating system gives no watch
 * service at all, the watcher logs QCFG-4317 and falls back to polling every 2 s.
 *
 * <p>Concurrency: created and closed by the engine; the watcher thread owns all watching state.
 * {@link #close()} may be called from any thread, including from inside {@code onChange}.
 */
public final class DirectoryWatcher implements AutoCloseable {
  /** The quiet window the engine should use unless told otherwise. */
  public static final Duration DEFAULT_QUIET_WINDOW = Duration.ofMillis(50);

  /**
   * How long a file written in place must keep the same content before it is delivered (see
   * {@link #start(Path, WatchMode, Duration, Duration, Consumer)}).
   */
  public static final Duration DEFAULT_SETTLE = Duration.ofMillis(250);

  /** The poll interval used when native events are unavailable. */
  static final Duration FALLBACK_POLL_INTERVAL = Duration.ofSeconds(2);

  private static final long CLOSE_WAIT_MILLIS = 2000;

  private final Path directory;
  private final WatchMode mode;
  private final WatchLoop loop; // null when off
  private final Thread thread; // null when off
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Thread shutdownHook; // null when off

  private DirectoryWatcher(Path directory, WatchMode mode, WatchLoop loop, Thread thread,
      Thread shutdownHook) {
    this.directory = directory;
    this.mode = mode;
    this.loop = loop;
    this.thread = thread;
    this.shutdownHook = shutdownHook;
  }

  private static DirectoryWatcher off(Path root) {
    return new DirectoryWatcher(root, WatchMode.OFF, null, null, null);
  }

  /**
   * Starts watching {@code configDir}. The tree is registered before this returns: any change made
   * afterwards is reported. A directory that does not exist yet is not an error; it is watched for
   * from then on (a warning, QCFG-4310, is logged).
   *
   * @param configDir the configuration directory; need not exist
   * @param mode how to watch; {@link WatchMode#OFF} returns a watcher that never calls back and
   *     starts no thread
   * @param quietWindow how long nothing must happen before a burst of changes is delivered; {@link
   *     #DEFAULT_QUIET_WINDOW} normally; zero delivers as soon as the queue is drained
   * @param onChange called with the changed paths, on the watcher thread; must be cheap (see the
   *     class comment)
   * @return the running watcher; close it to stop
   * @throws IllegalArgumentException if {@code quietWindow} is negative
   */
  public static DirectoryWatcher start(
      Path configDir, WatchMode mode, Duration quietWindow, Consumer<Set<Path>> onChange) {
    return start(configDir, mode, quietWindow, DEFAULT_SETTLE, onChange);
  }

  /**
   * As {@link #start(Path, WatchMode, Duration, Consumer)}, with the check that the delivered
   * paths still hold the content the watcher saw ({@link ChangeListener}).
   */
  public static DirectoryWatcher start(
      Path configDir, WatchMode mode, Duration quietWindow, ChangeListener onChange) {
    return start(configDir, mode, quietWindow, DEFAULT_SETTLE, onChange);
  }

  /**
   * Starts watching, as {@link #start(Path, WatchMode, Duration, Consumer)}, with a settle time for
   * files written in place. A rename is atomic, so a file renamed into place (the save of most
   * editors and of {@code kubectl}/kubelet) is delivered after {@code quietWindow}. A file written
   * in place (truncate and write, {@code >}, {@code cp} over it, {@code echo >>}) can be seen
   * between two bursts of its writer; after the quiet window its content is read, and it is
   * delivered only when a second read {@code settle} later finds the same content (any event in
   * between starts over). In polling mode each scan is already such a second read.
   *
   * @param settle how long an in-place write must stay unchanged; zero turns settling off
   */
  public static DirectoryWatcher start(
      Path configDir,
      WatchMode mode,
      Duration quietWindow,
      Duration settle,
      Consumer<Set<Path>> onChange) {
    Objects.requireNonNull(onChange, "onChange");
    return start(configDir, mode, quietWindow, settle,
        (ChangeListener) (paths, stillAsSeen) -> onChange.accept(paths));
  }

  /**
   * As {@link #start(Path, WatchMode, Duration, Duration, Consumer)}, with the check that the
   * delivered paths still hold the content the watcher saw ({@link ChangeListener}).
   */
  public static DirectoryWatcher start(
      Path configDir,
      WatchMode mode,
      Duration quietWindow,
      Duration settle,
      ChangeListener onChange) {
    Objects.requireNonNull(settle, "settle");
    Objects.requireNonNull(configDir, "configDir");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(quietWindow, "quietWindow");
    Objects.requireNonNull(onChange, "onChange");
    if (quietWindow.isNegative() || settle.isNegative()) {
      throw new IllegalArgumentException(
          "quietWindow and settle must not be negative: " + quietWindow + ", " + settle);
    }
    // Not toRealPath(): if the directory is a symlink, a swap of its target must be noticed.
    Path root = configDir.toAbsolutePath().normalize();
    if (mode instanceof WatchMode.Off) {
      return off(root);
    }
    // Stops the OS watch at exit (see ExitStop): registered before the watch service exists.
    ExitStop exit = new ExitStop();
    if (!exit.register()) {
      return off(root); // the JVM is exiting: nothing to watch for
    }
    WatchMode effective = mode;
    WatchLoop loop;
    try {
      if (mode instanceof WatchMode.Poll poll) {
        loop = exit.open(() -> new PollingWatch(root, poll.interval(), quietWindow, onChange));
      } else {
        try {
          loop = exit.open(() -> NativeWatch.open(root, quietWindow, settle, onChange));
        } catch (IOException e) {
          effective = new WatchMode.Poll(FALLBACK_POLL_INTERVAL);
          Log.warn(
              root
                  + ": no file change events from the operating system ("
                  + io.qcfg.internal.crypto.ForeignText.describe(e)
                  + "); polling every 2 s instead; raising fs.inotify.max_user_instances helps"
                  + " [QCFG-4317]");
          loop = exit.open(
              () -> new PollingWatch(root, FALLBACK_POLL_INTERVAL, quietWindow, onChange));
        }
      }
    } catch (IOException e) { // a polling watch opens no file: unreachable in practice
      throw new java.io.UncheckedIOException(e);
    }
    if (loop == null) {
      return off(root); // the JVM began to exit while the watch was being opened
    }
    Thread thread =
        new Thread(loop, effective instanceof WatchMode.Poll ? "qcfg-watch-poll" : "qcfg-watch");
    thread.setDaemon(true);
    thread.start();
    return new DirectoryWatcher(root, effective, loop, thread, exit.hook);
  }

  /** The watched directory, absolute. */
  public Path directory() {
    return directory;
  }

  /** The mode in effect: the one asked for, or polling if native events were unavailable. */
  public WatchMode mode() {
    return mode;
  }

  /**
   * Stops watching and releases the operating system's watch promptly. Waits up to 2 s for the
   * watcher thread to end (not when called from {@code onChange} itself); after it returns, {@code
   * onChange} is not called again unless a call was already running and outlived that wait.
   * Idempotent.
   */
  @Override
  public void close() {
    if (loop == null || !closed.compareAndSet(false, true)) {
      return;
    }
    loop.stop();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // The JVM is exiting: the hook runs or has run; it only stops the loop again.
    }
    if (Thread.currentThread() == thread) {
      return;
    }
    try {
      thread.join(CLOSE_WAIT_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** For tests: the hook that stops the watch at exit, or null when off. */
  Thread shutdownHook() {
    return shutdownHook;
  }

  /** For tests: whether the watcher thread is alive. */
  boolean running() {
    return thread != null && thread.isAlive();
  }
}
