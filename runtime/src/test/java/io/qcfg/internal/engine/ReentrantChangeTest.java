package io.qcfg.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.qcfg.OnConfigChange;
import io.qcfg.Qcfg;
import io.qcfg.QcfgException;
import io.qcfg.Snapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Defect 1 of issue 14: a listener, an {@code @OnConfigChange} method or a ConfigRule that calls a
 * mutating API used to run on the qcfg-applier thread, queue work behind itself and wait forever:
 * every later change hung. Listeners now run on their own thread ({@code qcfg-listeners}), so
 * their call is made like any other caller's and succeeds; a rule still runs while the applier
 * waits for it, so its call is refused at once (QCFG-1606). File reloads apply afterwards in
 * every case.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ReentrantChangeTest {
  @org.junit.jupiter.api.io.TempDir Path tmp;
  Path dir;

  /** The mutating calls of the API. */
  enum Call {
    RELOAD(() -> Qcfg.reload()),
    SET_OVERRIDE(() -> Qcfg.setOverride("app.extra", "1")),
    CLEAR_OVERRIDE(() -> Qcfg.clearOverride("app.extra")),
    ROLLBACK(() -> Engine.require().rollback(1, "listener"));

    final Runnable run;

    Call(Runnable run) {
      this.run = run;
    }
  }

  /** Where the call is made from. */
  enum From {
    LISTENER,
    ON_CONFIG_CHANGE,
    RULE
  }

  static volatile Call call;
  static final CompletableFuture<Throwable>[] outcome = new CompletableFuture[1];

  /** Bound object whose @OnConfigChange method makes the call. */
  static final class Reacting {
    @OnConfigChange
    void changed() {
      attempt();
    }
  }

  static void attempt() {
    if (outcome[0].isDone()) {
      return;
    }
    try {
      call.run.run();
      outcome[0].complete(null);
    } catch (Throwable t) {
      outcome[0].complete(t);
    }
  }

  @BeforeEach
  void start() throws Exception {
    dir = tmp.resolve("config");
    Files.createDirectories(dir);
    write("app.port = 1\n");
    Qcfg.start(Map.of("dir", dir.toString(), "state", tmp.resolve("state").toString(),
        "watch", "true", "jmx", "false"));
    outcome[0] = new CompletableFuture<>();
  }

  @AfterEach
  void stop() {
    ArmedRule.action = null;
    Qcfg.stop();
  }

  void write(String text) throws Exception {
    Path t = dir.resolve("application.conf.tmp");
    Files.writeString(t, text);
    Files.move(t, dir.resolve("application.conf"), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  @ParameterizedTest
  @EnumSource(Call.class)
  void fromAListener(Call c) throws Exception {
    call = c;
    try (AutoCloseable l = Qcfg.onChange(change -> attempt())) {
      assertMadeThenFilesStillApply();
    }
  }

  @ParameterizedTest
  @EnumSource(Call.class)
  void fromAnOnConfigChangeMethod(Call c) throws Exception {
    call = c;
    Reacting r = Qcfg.bind(new Reacting());
    assertMadeThenFilesStillApply();
    assertThat(r).isNotNull(); // held strongly until here
  }

  @ParameterizedTest
  @EnumSource(Call.class)
  void fromAConfigRule(Call c) throws Exception {
    call = c;
    Consumer<Snapshot> a = s -> attempt();
    ArmedRule.action = a;
    assertRefusedThenFilesStillApply();
  }

  private void assertRefusedThenFilesStillApply() throws Exception {
    write("app.port = 2\n");
    Throwable t = outcome[0].get(20, TimeUnit.SECONDS);
    assertThat(t).isInstanceOf(QcfgException.Refused.class)
        .hasMessageContaining("QCFG-1606")
        .hasMessageContaining("qcfg-applier");
    assertThenFilesStillApply();
  }

  /** The call from a listener is made (a rollback to version 1 included) and nothing hangs. */
  private void assertMadeThenFilesStillApply() throws Exception {
    write("app.port = 2\n");
    Throwable t = outcome[0].get(20, TimeUnit.SECONDS);
    assertThat(t).isNull();
    if (call == Call.ROLLBACK) {
      // The rollback holds against the file that gave port 2: the next edit ends it.
      await().atMost(Duration.ofSeconds(10)).until(() -> Qcfg.current().getInt("app.port") == 1);
      write("app.port = 3\n");
      await().atMost(Duration.ofSeconds(10))
          .until(() -> Qcfg.current().getInt("app.port") == 3);
      return;
    }
    assertThenFilesStillApply();
  }

  private void assertThenFilesStillApply() throws Exception {
    ArmedRule.action = null;
    await().atMost(Duration.ofSeconds(10))
        .until(() -> Qcfg.current().getInt("app.port") == 2);
    write("app.port = 3\n");
    await().atMost(Duration.ofSeconds(10))
        .until(() -> Qcfg.current().getInt("app.port") == 3);
    assertThat(Qcfg.reload().getInt("app.port")).isEqualTo(3);
  }
}
