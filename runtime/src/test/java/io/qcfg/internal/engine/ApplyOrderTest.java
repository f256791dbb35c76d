package io.qcfg.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.qcfg.ConfigValue;
import io.qcfg.OnConfigChange;
import io.qcfg.Qcfg;
import io.qcfg.Snapshot;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Defect 2 of issue 14: a version is reserved, published, bound and recorded before any listener
 * runs, and nothing a listener throws ({@code Error} included) un-records it or reaches the
 * caller. Before the fix an Error escaped after the swap: history and audit skipped the version
 * and the caller was told the change failed.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ApplyOrderTest {
  @TempDir Path tmp;
  Path dir;

  static final class Bound {
    @ConfigValue("app.port")
    volatile int port = -1;

    @OnConfigChange
    void changed() {
      throw new StackOverflowError("listener broke");
    }
  }

  @BeforeEach
  void start() throws Exception {
    dir = tmp.resolve("config");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("application.conf"), "app.port = 1\n");
    Qcfg.start(Map.of("dir", dir.toString(), "state", tmp.resolve("state").toString(),
        "watch", "false", "jmx", "true"));
  }

  @AfterEach
  void stop() {
    Qcfg.stop();
  }

  @Test
  void listenersSeeTheVersionBoundAndRecordedAndTheirErrorsAreContained() throws Exception {
    Bound b = Qcfg.bind(new Bound());
    List<String> seen = new CopyOnWriteArrayList<>();
    try (AutoCloseable l = Qcfg.onChange(c -> {
      long v = c.newSnapshot().version();
      boolean inHistory = Engine.require().history().stream().anyMatch(h -> h.version() == v);
      seen.add("v" + v + " field=" + b.port + " history=" + inHistory);
      throw new OutOfMemoryError("listener ran out");
    })) {
      Files.writeString(dir.resolve("application.conf"), "app.port = 2\n");
      Snapshot s = Qcfg.reload(); // no exception reaches the caller
      assertThat(s.version()).isEqualTo(2);
      assertThat(seen).containsExactly("v2 field=2 history=true");
      Snapshot o = Qcfg.setOverride("app.port", "3");
      assertThat(o.version()).isEqualTo(3);
      assertThat(Engine.require().overrides()).containsEntry("app.port", "3");
    }
    Engine e = Engine.require();
    assertThat(e.history()).extracting(h -> h.version()).containsExactly(1L, 2L, 3L);
    String audit = Files.readString(tmp.resolve("state/audit.log"));
    assertThat(audit).contains("\"version\":2").contains("\"version\":3");
    // two listeners threw twice: the Error of the @OnConfigChange method and of the lambda
    assertThat(e.status().listenerFailures()).isEqualTo(4);
    assertThat(ManagementFactory.getPlatformMBeanServer()
        .getAttribute(new ObjectName("io.qcfg:type=Config"), "ListenerFailures")).isEqualTo(4L);
    assertThat(e.status().lastReloadSuccessful()).isTrue();
    assertThat(b.port).isEqualTo(3);
  }

  /**
   * Defect 3: Qcfg.start returned before the MBean was registered, and a stopped engine's late
   * registration could replace the next one's.
   */
  @Test
  void startReturnsWithTheMBeanRegisteredAndAStoppedEngineNeverRemovesTheNextOnesEndpoint()
      throws Exception {
    ObjectName name = new ObjectName("io.qcfg:type=Config");
    var server = ManagementFactory.getPlatformMBeanServer();
    for (int i = 0; i < 5; i++) {
      assertThat(server.isRegistered(name)).isTrue();
      assertThat(server.getAttribute(name, "Version")).isEqualTo(Qcfg.current().version());
      Engine old = Engine.require();
      Qcfg.stop();
      assertThat(server.isRegistered(name)).isFalse();
      Files.writeString(dir.resolve("application.conf"), "app.port = " + (10 + i) + "\n");
      Qcfg.start(Map.of("dir", dir.toString(), "state", tmp.resolve("state").toString(),
          "watch", "false", "jmx", "true"));
      assertThat(Engine.require()).isNotSameAs(old);
    }
    assertThat(server.getAttribute(name, "Version")).isEqualTo(Qcfg.current().version());
  }
}
