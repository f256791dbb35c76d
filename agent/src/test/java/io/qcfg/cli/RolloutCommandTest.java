package io.qcfg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Usage errors of {@code publish --canary} and {@code rollout}: refused with exit 2 before any
 * connection (the endpoint below is never contacted). The etcd side is in RolloutsTest and
 * CanaryRolloutIT.
 */
@Timeout(30)
class RolloutCommandTest {
  @TempDir Path tmp;

  private int run(ByteArrayOutputStream err, String... args) {
    return QcfgCli.run(args, new PrintStream(new ByteArrayOutputStream(), true),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @ParameterizedTest
  @ValueSource(strings = {"0%", "101%", "abc", "-3"})
  void aPercentageOutsideOneToHundredIsAUsageError(String percent) throws Exception {
    Files.writeString(tmp.resolve("application.conf"), "a = 1\n");
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    assertThat(run(err, "--dir", tmp.toString(), "publish", "--etcd", "http://127.0.0.1:9",
        "--prefix", "/p/", "--canary", percent)).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("QCFG-4650");
    err.reset();
    assertThat(run(err, "rollout", "promote", "--to", percent, "--etcd", "http://127.0.0.1:9",
        "--prefix", "/p/")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("QCFG-4650");
  }

  @Test
  void autoPromoteNeedsCanaryAndADuration() throws Exception {
    Files.writeString(tmp.resolve("application.conf"), "a = 1\n");
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    assertThat(run(err, "--dir", tmp.toString(), "publish", "--etcd", "http://127.0.0.1:9",
        "--prefix", "/p/", "--auto-promote", "5s")).isEqualTo(2);
    assertThat(run(err, "--dir", tmp.toString(), "publish", "--etcd", "http://127.0.0.1:9",
        "--prefix", "/p/", "--canary", "10%", "--auto-promote", "soon")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("QCFG-4650");
  }

  @Test
  void rolloutAloneIsUsage() {
    assertThat(run(new ByteArrayOutputStream(), "rollout")).isEqualTo(2);
  }
}
