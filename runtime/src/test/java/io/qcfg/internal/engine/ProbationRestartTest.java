package io.qcfg.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.qcfg.ConfigValue;
import io.qcfg.HealthCheck;
import io.qcfg.Qcfg;
import io.qcfg.QcfgException;
import io.qcfg.internal.history.QuarantineFile;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Probation across restarts (issue 18), with a real state directory and two engine lifetimes: the
 * quarantine is kept, a restart on quarantined files starts from the newest confirmed version, and
 * a version that never finished its probation is on probation again after a restart.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProbationRestartTest extends ProbationTestBase {
  void start(String probation) {
    Qcfg.start(Map.of("dir", app().getParent().toString(), "state", state().toString(), "watch",
        "false", "jmx", "false", "probation", probation, "health-interval", "50ms",
        "health-timeout", "300ms"));
  }

  /** Bound with {@code Qcfg.bind}: a pool above 50 is unhealthy. */
  static final class Pool {
    @ConfigValue("pool-size") int size;

    @HealthCheck.Probe
    boolean fits() {
      return size <= 50;
    }
  }

  /** Starts on pool-size 10, binds the probe, and lets pool-size 99 fail: version 3 = 10. */
  void failOnce() throws Exception {
    write("10");
    start("600ms");
    Qcfg.bind(new Pool());
    edit("99");
    awaitPoolSize(10, 3);
  }

  @Test
  void aRestartOnQuarantinedFilesStartsFromTheNewestConfirmedVersion() throws Exception {
    failOnce();
    String bad = entry(2).checksum();
    await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(QuarantineFile.in(state())));
    assertThat(QuarantineFile.load(state()).checksum()).isEqualTo(bad);
    Qcfg.stop();

    start("600ms"); // the files still give pool-size 99
    assertThat(Qcfg.current().getInt("pool-size")).isEqualTo(10);
    assertThat(Qcfg.current().version()).as("the confirmed version 3, unchanged").isEqualTo(3);
    assertThat(Engine.require().startPath()).startsWith("full build");
    assertThat(guard().quarantinedChecksum()).isEqualTo(bad);
    assertThat(guard().probationVersion()).isZero();
    assertThat(guard().confirmedVersion()).isEqualTo(3);
    assertThat(audit()).contains("start-up from confirmed version 3: the files give quarantined");
    assertThatThrownBy(Qcfg::reload).isInstanceOf(QcfgException.Refused.class)
        .hasMessageContaining("QCFG-4704");
    edit("99"); // still quarantined
    assertThat(Qcfg.current().version()).isEqualTo(3);

    edit("20"); // the files moved on: the quarantine ends, also on disk
    awaitPoolSize(20, 4);
    assertThat(guard().quarantinedChecksum()).isEmpty();
    assertThat(QuarantineFile.in(state())).doesNotExist();
  }

  @Test
  void releaseQuarantineAndFilesThatChangedWhileStoppedEndTheKeptQuarantine() throws Exception {
    failOnce();
    assertThat(Engine.require().status().guard().releaseQuarantine("operator"))
        .startsWith("released");
    assertThat(QuarantineFile.in(state())).doesNotExist();
    Qcfg.stop();
    start("10s");
    assertThat(Qcfg.current().getInt("pool-size")).as("released: the files apply").isEqualTo(99);
    assertThat(guard().probationVersion()).as("not confirmed: on probation").isEqualTo(4);
  }

  @Test
  void aTamperedQuarantineFileIsIgnored() throws Exception {
    failOnce();
    await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(QuarantineFile.in(state())));
    Qcfg.stop();
    String text = Files.readString(QuarantineFile.in(state()));
    Files.writeString(QuarantineFile.in(state()), text.replace("version 2", "version 7"));
    start("600ms");
    assertThat(Qcfg.current().getInt("pool-size")).isEqualTo(99);
    assertThat(guard().quarantinedChecksum()).isEmpty();
    assertThat(QuarantineFile.in(state())).doesNotExist();
  }

  @Test
  void aVersionStoppedDuringItsProbationIsOnProbationAfterTheRestart() throws Exception {
    write("10");
    start("10s");
    edit("60"); // version 2, on probation for 10 s; qcfg stops before the verdict
    assertThat(guard().probationVersion()).isEqualTo(2);
    Qcfg.stop();
    assertThat(QuarantineFile.in(state())).doesNotExist();

    start("10s");
    assertThat(Qcfg.current().version()).isEqualTo(2);
    assertThat(guard().probationVersion()).isEqualTo(2);
    assertThat(guard().confirmedVersion()).isEqualTo(1);
    Qcfg.bind(new Pool()); // its probe finds pool-size 60 unhealthy
    awaitPoolSize(10, 3);
    assertThat(Qcfg.current().cause()).contains("rollback to version 1 by qcfg-probation")
        .contains("version 2 failed probation");
    assertThat(entry(2).confirmed()).isFalse();
  }

  @Test
  void aRestartOnAConfirmedVersionIsTheBaselineAsBefore() throws Exception {
    write("10");
    start("300ms");
    edit("20");
    await().atMost(Duration.ofSeconds(10)).until(() -> entry(2).confirmed());
    Qcfg.stop();
    start("300ms");
    assertThat(Qcfg.current().version()).isEqualTo(2);
    assertThat(guard().probationVersion()).isZero();
    assertThat(guard().confirmedVersion()).isEqualTo(2);
  }
}
