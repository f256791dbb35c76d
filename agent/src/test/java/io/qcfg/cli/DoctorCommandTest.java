package io.qcfg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class DoctorCommandTest {
  @TempDir Path tmp;

  @Test
  void doctorAloneIsAUsageError() {
    CliRun run = CliRun.of("doctor");
    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).contains("startup");
  }

  @Test
  void aMissingJarIsAUsageErrorBeforeAnyJvmStarts() {
    CliRun run = CliRun.of("doctor", "startup", "--dir", tmp.toString(), "--jar",
        tmp.resolve("nope.jar").toString());
    assertThat(run.status()).isEqualTo(2);
    assertThat(run.err()).contains("QCFG-5260").contains("nope.jar");
  }
}
