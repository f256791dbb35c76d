package io.qcfg.internal.watch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The watch service is stopped by a shutdown hook (a JVM waits up to 300 ms at exit for the
 * JDK's watch thread blocked in native poll), and a closed watcher leaves no hook behind.
 */
@Timeout(30)
class DirectoryWatcherExitTest {
  @TempDir Path dir;

  @Test
  void aRunningWatcherHasAnExitHookAndCloseRemovesIt() {
    DirectoryWatcher w =
        DirectoryWatcher.start(dir, WatchMode.NATIVE, DirectoryWatcher.DEFAULT_QUIET_WINDOW,
            (Set<Path> changed) -> {});
    Thread hook = w.shutdownHook();
    assertThat(hook).isNotNull();
    assertThat(hook.getName()).startsWith("qcfg-");
    // Registered: removing it succeeds (and it is put back for close() to remove).
    assertThat(Runtime.getRuntime().removeShutdownHook(hook)).isTrue();
    Runtime.getRuntime().addShutdownHook(hook);
    w.close();
    assertThat(Runtime.getRuntime().removeShutdownHook(hook)).as("close() removed it").isFalse();
    assertThat(w.running()).isFalse();
  }

  @Test
  void theHookStopsTheWatchThread() throws Exception {
    DirectoryWatcher w =
        DirectoryWatcher.start(dir, WatchMode.NATIVE, DirectoryWatcher.DEFAULT_QUIET_WINDOW,
            (Set<Path> changed) -> {});
    try {
      Thread hook = w.shutdownHook();
      hook.run(); // what the JVM does at exit, on this thread
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(10))
          .until(() -> !w.running());
    } finally {
      w.close();
    }
  }

  @Test
  void offStartsNoThreadAndNoHook() {
    DirectoryWatcher w =
        DirectoryWatcher.start(dir, WatchMode.OFF, DirectoryWatcher.DEFAULT_QUIET_WINDOW,
            (Set<Path> changed) -> {});
    assertThat(w.shutdownHook()).isNull();
    w.close();
  }

  @Test
  void anExitThatBeginsBeforeTheWatchOpensKeepsItFromOpening() throws Exception {
    // The JVM began to exit (the hook ran) while the watcher was starting: no watch service, no
    // thread in native poll() for the JVM to wait 300 ms for.
    ExitStop exit = new ExitStop();
    exit.hook.run();
    boolean[] opened = {false};
    assertThat(exit.open(() -> {
      opened[0] = true;
      return null;
    })).isNull();
    assertThat(opened[0]).isFalse();
  }
}
