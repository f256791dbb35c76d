package io.qcfg.internal.engine;

import static org.awaitility.Awaitility.await;

import io.qcfg.Qcfg;
import io.qcfg.internal.history.HistoryEntry;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** What the probation tests share: one config file, a state dir, edits and what they look at. */
abstract class ProbationTestBase {
  @TempDir Path tmp;

  Path app() {
    return tmp.resolve("config/application.conf");
  }

  Path state() {
    return tmp.resolve("state");
  }

  @AfterEach
  void stop() {
    Qcfg.stop();
  }

  void write(String poolSize) throws Exception {
    Files.createDirectories(app().getParent());
    Files.writeString(app(), "pool-size = " + poolSize + "\n");
  }

  /** Writes the file and does what the watcher does; waits until the event was handled. */
  void edit(String poolSize) throws Exception {
    write(poolSize);
    Engine e = Engine.require();
    long before = e.status().reloadCount();
    e.inputsChanged(app());
    await().atMost(Duration.ofSeconds(10)).until(() -> e.status().reloadCount() > before);
  }

  GuardState guard() {
    return Engine.require().status().guard().state();
  }

  HistoryEntry entry(long version) {
    return Engine.require().history().stream().filter(h -> h.version() == version).findFirst()
        .orElseThrow();
  }

  void awaitPoolSize(int size, long version) {
    await().atMost(Duration.ofSeconds(10)).until(() -> Qcfg.current().version() == version
        && Qcfg.current().getInt("pool-size") == size);
  }

  /** Every audit file's text; a .tmp (or a file rotated away meanwhile) comes and goes. */
  String audit() throws Exception {
    StringBuilder sb = new StringBuilder();
    try (Stream<Path> files = Files.list(state())) {
      for (Path f : (Iterable<Path>) files::iterator) {
        String name = f.getFileName().toString();
        if (name.contains("audit") && !name.endsWith(".tmp")) {
          try {
            sb.append(Files.readString(f));
          } catch (NoSuchFileException e) {
            // rotated away meanwhile
          }
        }
      }
    }
    return sb.toString();
  }
}
