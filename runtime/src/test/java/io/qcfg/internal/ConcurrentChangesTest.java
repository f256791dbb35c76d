package io.qcfg.internal;

import io.qcfg.internal.engine.Engine;
import static org.assertj.core.api.Assertions.assertThat;

import io.qcfg.Qcfg;
import io.qcfg.QcfgException;
import io.qcfg.Snapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Changes from several clients at once are serialised by the one applier thread: every applied
 * version is unique and increasing, and the audit log lists them in version order.
 */
class ConcurrentChangesTest {
  @TempDir Path tmp;
  Path dir;

  @BeforeEach
  void start() throws Exception {
    dir = tmp.resolve("config");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("application.conf"), "n = 0\n");
    Qcfg.start(Map.of("dir", dir.toString(), "state", tmp.resolve("state").toString(),
        "watch", "false", "jmx", "false", "history", "1000"));
  }

  @AfterEach
  void stop() {
    Qcfg.stop();
  }

  @Test
  void twoClientsSettingOverridesNeverShareAVersion() throws Exception {
    ConcurrentLinkedQueue<Long> versions = new ConcurrentLinkedQueue<>();
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> clients = new ArrayList<>();
    for (String client : List.of("alice", "bob")) {
      Thread t = new Thread(() -> {
        try {
          go.await();
          for (int i = 0; i < 200; i++) {
            versions.add(Engine.require().setOverride(client, Integer.toString(i), client).version());
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      t.start();
      clients.add(t);
    }
    go.countDown();
    for (Thread t : clients) {
      t.join();
    }
    assertThat(versions).hasSize(400).doesNotHaveDuplicates();
    assertThat(Qcfg.current().version()).isEqualTo(401);
  }

  @Test
  void rollbacksRacingFileReloadsKeepVersionsUniqueAndTheAuditInOrder() throws Exception {
    ConcurrentLinkedQueue<Long> applied = new ConcurrentLinkedQueue<>();
    Thread reloader = new Thread(() -> {
      for (int i = 1; i <= 500; i++) {
        try {
          Files.writeString(dir.resolve("application.conf"), "n = " + i + "\n");
          applied.add(Qcfg.reload().version());
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      }
    });
    Thread roller = new Thread(() -> {
      for (int i = 0; i < 500; i++) {
        try {
          Snapshot s = Engine.require().rollback(1, "operator");
          applied.add(s.version());
        } catch (QcfgException e) {
          throw new AssertionError(e);
        }
      }
    });
    reloader.start();
    roller.start();
    reloader.join();
    roller.join();
    List<Long> versions = new ArrayList<>(applied);
    assertThat(versions).hasSize(1000);
    // A change identical to the active snapshot is no new version; all others are unique.
    List<Long> fromHistory = Engine.require().history().stream().map(h -> h.version()).toList();
    assertThat(fromHistory).doesNotHaveDuplicates().isSorted();
    List<Long> audited = new ArrayList<>();
    Matcher m = Pattern.compile("\"version\":(\\d+)")
        .matcher(Files.readString(tmp.resolve("state/audit.log")));
    while (m.find()) {
      audited.add(Long.parseLong(m.group(1)));
    }
    assertThat(audited).isSorted().doesNotHaveDuplicates();
    assertThat(audited).containsAll(fromHistory);
  }
}
