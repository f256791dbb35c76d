package io.qcfg.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.qcfg.Qcfg;
import io.qcfg.internal.jmx.ConfigEndpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code qcfg release-quarantine} and the probation fields of {@code qcfg status} (issue 18). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReleaseQuarantineCliTest {
  @TempDir Path dir;
  @TempDir Path state;
  String pid = Long.toString(JvmVerbsTest.SELF);

  @BeforeEach
  void start() throws Exception {
    Files.writeString(dir.resolve("application.conf"), "http { port = 8080 }\n");
    Qcfg.start(Map.of("dir", dir.toString(), "state", state.toString(), "watch", "false",
        "probation", "3s", "health-interval", "50ms"));
    Qcfg.onChange(c -> {
      if (c.newSnapshot().getInt("http.port") > 9000) {
        throw new IllegalStateException("port out of the firewall's range");
      }
    });
  }

  @AfterEach
  void stop() {
    ConfigEndpoint.unregister();
    Qcfg.stop();
  }

  static CliRun run(String... args) {
    return CliRun.of(JvmVerbsTest.IN_PROCESS, args);
  }

  @Test
  void aQuarantinedOverrideIsRefusedUntilReleased() {
    assertThat(run("set", "--pid", pid, "http.port", "9090").status()).isZero();
    await().atMost(Duration.ofSeconds(10)).until(() -> Qcfg.current().version() == 3);
    assertThat(Qcfg.current().getInt("http.port")).isEqualTo(8080);
    // The rollback publishes version 3 first and records itself a moment later.
    await().atMost(Duration.ofSeconds(10))
        .until(() -> run("status", "--pid", pid, "--json").out().contains("\"lastAutoRollback\""));
    CliRun status = run("status", "--pid", pid, "--json");
    assertThat(status.out()).contains("\"lastAutoRollback\"").contains("version 2 -> 3");

    CliRun refused = run("set", "--pid", pid, "http.port", "9090");
    assertThat(refused.status()).isEqualTo(1);
    assertThat(refused.err()).contains("QCFG-4704").contains("release-quarantine");

    CliRun released = run("release-quarantine", "--pid", pid);
    assertThat(released.status()).as(released.err()).isZero();
    assertThat(released.out()).startsWith("released the quarantine of configuration ");
    assertThat(run("release-quarantine", "--pid", pid).out().trim())
        .isEqualTo("nothing is quarantined");

    assertThat(run("set", "--pid", pid, "http.port", "9090").status()).isZero(); // version 4
    await().atMost(Duration.ofSeconds(10)).until(() -> Qcfg.current().version() == 5);

    assertThat(run("set", "--pid", pid, "http.port", "8081").status()).isZero(); // good
    assertThat(run("status", "--pid", pid).out()).contains("probation:").contains("version 6, ");
  }
}
