package io.qcfg.internal.watch;

import java.io.IOException;

/**
 * Stops a watch loop when the JVM exits, including an exit that begins while the loop is still
 * being opened. The JDK's watch service keeps a thread blocked in native {@code poll()}, and the
 * JVM waits up to 300 ms at exit for threads in native code: a short-lived JVM that ended while
 * qcfg registered its watch (a hello world ends within ~80 ms of premain) took 0.3 s longer to
 * end about every second run. So the hook is registered before the service exists, and the loop
 * is opened under the hook's lock: the hook either stops an opened loop or keeps one from opening.
 *
 * <p>Concurrency: {@link #open} runs on the thread that starts the watcher; the hook on the JVM's
 * shutdown thread; both hold {@code this} for their whole work (the hook waits for an open in
 * progress, which takes as long as registering the tree).
 */
final class ExitStop {
  /** Opens a loop. */
  @FunctionalInterface
  interface Opener {
    WatchLoop open() throws IOException;
  }

  final Thread hook = new Thread(this::exiting, "qcfg-watch-shutdown");
  private boolean exiting; // guarded by this
  private WatchLoop loop; // guarded by this

  /** Registers the hook; false when the JVM is already exiting (then nothing may be opened). */
  boolean register() {
    try {
      Runtime.getRuntime().addShutdownHook(hook);
      return true;
    } catch (IllegalStateException e) {
      return false;
    }
  }

  /** Opens the loop unless the JVM exits meanwhile; null when it does. */
  synchronized WatchLoop open(Opener opener) throws IOException {
    if (exiting) {
      return null;
    }
    loop = opener.open();
    return loop;
  }

  private synchronized void exiting() {
    exiting = true;
    if (loop != null) {
      loop.stop();
    }
  }
}
