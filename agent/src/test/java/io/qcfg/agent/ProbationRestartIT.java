package io.qcfg.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18 across restarts, in forked JVMs under the agent, each ended with {@code kill -9}: a JVM
 * killed during the probation of a bad change puts that version on probation again when it comes
 * back (and rolls it back), and a JVM restarted on the still-bad file starts from the newest
 * confirmed version instead of the quarantined configuration.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ProbationRestartIT {
  @TempDir Path tmp;

  private AppJvm start(String mode, String probation) throws Exception {
    AppJvm jvm = AppJvm.start("dir=" + tmp.resolve("config") + ",state=" + tmp.resolve("state")
        + ",probation=" + probation + ",health-interval=100ms,health-timeout=500ms", List.of(),
        "app.GuardedMain", mode);
    try {
      jvm.awaitOut("READY");
      await(jvm.transcript()).atMost(AppJvm.DEADLINE)
          .until(() -> jvm.values("state").containsKey("probation"));
      return jvm;
    } catch (Throwable t) {
      jvm.close();
      throw t;
    }
  }

  private boolean confirmed(long version) throws Exception {
    Path f = tmp.resolve("state/history").resolve(String.format("%019d.json", version));
    return Files.exists(f) && Files.readString(f).contains("\"confirmed\":true");
  }

  @Test
  void killedDuringProbationThenRestartedOnTheQuarantinedFile() throws Exception {
    Path app = tmp.resolve("config/application.conf");
    Files.createDirectories(app.getParent());
    Files.writeString(app, "pool-size = 10\n");

    // 1. No health signal watches the pool yet; version 2 is on a long probation when killed.
    try (AppJvm jvm = start("none", "60s")) {
      await(jvm.transcript()).atMost(AppJvm.DEADLINE).until(() -> confirmed(1));
      Files.writeString(app, "pool-size = 99\n");
      await(jvm.transcript()).atMost(AppJvm.DEADLINE)
          .until(() -> jvm.values("state").get("probation").startsWith("version 2, "));
    } // kill -9
    assertThat(confirmed(2)).isFalse();

    // 2. Back with a probe that finds pool-size 99 unhealthy: version 2 is on probation again
    // and rolled back to confirmed version 1.
    try (AppJvm jvm = start("probe", "2s")) {
      jvm.awaitErr("QCFG-4715: version 2 was not confirmed before this start");
      await(jvm.transcript()).atMost(AppJvm.DEADLINE)
          .until(() -> jvm.values("state").get("version").equals("3"));
      assertThat(jvm.values("state")).containsEntry("pool", "10");
      assertThat(jvm.awaitErr("QCFG-4702")).contains("version 2 failed probation")
          .contains("@HealthCheck.Probe app.GuardedMain.poolFits: answered false");
      await(jvm.transcript()).atMost(AppJvm.DEADLINE).until(() -> confirmed(3)
          && Files.exists(tmp.resolve("state/quarantine")));
    } // kill -9

    // 3. The file still says 99: the JVM starts from confirmed version 3, not from the files.
    try (AppJvm jvm = start("probe", "2s")) {
      assertThat(jvm.stdout()).anyMatch(l -> l.equals("READY 10"));
      assertThat(jvm.awaitErr("QCFG-4714")).contains("STARTED ON CONFIRMED VERSION 3");
      assertThat(jvm.values("state")).containsEntry("version", "3").containsEntry("pool", "10")
          .containsEntry("probation", "");
      assertThat(Files.readString(tmp.resolve("state/audit.log")))
          .contains("start-up from confirmed version 3");
    }
  }
}
