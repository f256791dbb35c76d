package io.qcfg.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qcfg.ConfigValue;
import io.qcfg.Qcfg;
import io.qcfg.QcfgException;
import io.qcfg.Snapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 items 3-5 (the engine's part) and issue 14 defect 4: an Error in a build is a rejected
 * candidate and the applier lives on; every way a first build can fail falls back to history;
 * on-invalid-start=continue runs on declared defaults.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StartupAndBuildFailureTest {
  @TempDir Path tmp;

  static final class Bound {
    @ConfigValue("app.port")
    volatile int port = 42;
  }

  Map<String, String> options(String... more) {
    Map<String, String> m = new java.util.HashMap<>(Map.of("dir", tmp.resolve("config").toString(),
        "state", tmp.resolve("state").toString(), "watch", "false", "jmx", "false"));
    for (int i = 0; i < more.length; i += 2) {
      m.put(more[i], more[i + 1]);
    }
    return m;
  }

  void write(String text) throws Exception {
    Files.createDirectories(tmp.resolve("config"));
    Files.writeString(tmp.resolve("config/application.conf"), text);
  }

  /** Throws {@code error} for candidates whose app.port is {@code port}. */
  static void throwOn(int port, Error error) {
    Consumer<Snapshot> a = s -> {
      if (s.hasPath("app.port") && s.getInt("app.port") == port) {
        throw error;
      }
    };
    ArmedRule.action = a;
  }

  @AfterEach
  void stop() {
    ArmedRule.action = null;
    Qcfg.stop();
  }

  @Test
  void anOutOfMemoryErrorOrStackOverflowInABuildIsARejectedCandidateAndTheApplierLivesOn()
      throws Exception {
    write("app.port = 1\n");
    Qcfg.start(options());
    Engine e = Engine.require();
    for (Error error : new Error[] {new OutOfMemoryError("bomb"), new StackOverflowError()}) {
      throwOn(2, error);
      write("app.port = 2\n");
      assertThatThrownBy(Qcfg::reload)
          .isInstanceOf(QcfgException.Invalid.class)
          .hasMessageContaining("QCFG-1512")
          .hasMessageContaining(error.getClass().getName());
      assertThat(e.status().lastReloadSuccessful()).isFalse();
      assertThat(e.status().lastError()).contains(error.getClass().getName());
      assertThat(Qcfg.current().version()).isEqualTo(1);
    }
    assertThat(e.status().rejectedCount()).isEqualTo(2);
    assertThat(Files.readString(tmp.resolve("state/audit.log")))
        .contains("\"rejected\"").contains("QCFG-1512");
    ArmedRule.action = null;
    assertThat(Qcfg.reload().getInt("app.port")).isEqualTo(2);
    assertThat(e.status().lastReloadSuccessful()).isTrue();
  }

  @Test
  void anErrorInTheFirstBuildFallsBackToHistoryLikeAnInvalidFile() throws Exception {
    write("app.port = 1\n");
    Qcfg.start(options());
    Qcfg.stop();
    write("app.port = 2\n");
    throwOn(2, new StackOverflowError());
    Snapshot s = Qcfg.start(options());
    assertThat(s.getInt("app.port")).isEqualTo(1);
    assertThat(s.version()).as("a fallback to the newest entry keeps its version").isEqualTo(1);
    assertThat(Engine.require().status().lastError()).contains("QCFG-1512");
  }

  @Test
  void onInvalidStartContinueRunsOnDeclaredDefaultsAndAppliesTheFixedFiles() throws Exception {
    write("app.port = {\n");
    Snapshot s = Qcfg.start(options("on-invalid-start", "continue"));
    assertThat(s.version()).isZero();
    Bound b = Qcfg.bind(new Bound());
    assertThat(b.port).isEqualTo(42);
    Engine e = Engine.require();
    assertThat(e.status().lastError()).contains("application.conf");
    assertThat(e.history()).isEmpty();
    write("app.port = 7\n");
    assertThat(Qcfg.reload().version()).isEqualTo(1);
    assertThat(b.port).isEqualTo(7);
  }

  @Test
  void withoutContinueTheApiCallerGetsTheReasons() throws Exception {
    write("app.port = {\n");
    assertThatThrownBy(() -> Qcfg.start(options()))
        .isInstanceOf(QcfgException.Invalid.class)
        .hasMessageContaining("application.conf");
    assertThat(Qcfg.isRunning()).isFalse();
  }
}
