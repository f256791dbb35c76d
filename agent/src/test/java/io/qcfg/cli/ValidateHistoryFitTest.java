package io.qcfg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code qcfg validate} refuses what a running JVM would refuse: a tree its history could not
 * read back (QCFG-1515), here a key of 50,001 characters (Jackson reads names of at most 50,000).
 * Before, validate said OK and the JVM then rejected the same files.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ValidateHistoryFitTest {
  @TempDir Path dir;

  @Test
  void aTreeHistoryCannotHoldIsInvalidWithFileLineAndPath() throws Exception {
    Files.writeString(dir.resolve("application.conf"),
        "app.port = 1\napp." + "k".repeat(50_001) + " = 1\n");
    CliRun r = CliRun.of("validate", "--dir", dir.toString(), "--env", "development");
    assertThat(r.status()).isEqualTo(QcfgCli.FAILED);
    assertThat(r.out()).contains("INVALID development").contains("QCFG-1515")
        .contains("application.conf").contains("a key is longer than history can keep");

    Files.writeString(dir.resolve("application.conf"),
        "app.port = 1\napp." + "k".repeat(1_000) + " = 1\n");
    CliRun ok = CliRun.of("validate", "--dir", dir.toString(), "--env", "development");
    assertThat(ok.status()).isEqualTo(QcfgCli.OK);
    assertThat(ok.out()).startsWith("OK development");
  }
}
