package io.qcfg.internal.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.qcfg.Qcfg;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A running qcfg with the etcd layer reports its status on a lease and revokes it on stop. */
@Timeout(60)
@org.junit.jupiter.api.extension.ExtendWith(EtcdProcess.Required.class)
class StatusReportTest {
  @TempDir Path tmp;
  EtcdProcess etcd;

  @AfterEach
  void stop() {
    Qcfg.stop();
    if (etcd != null) {
      etcd.close();
    }
  }

  @Test
  void reportsUnderItsInstanceAndTheEntryGoesAtOnceOnStop() throws Exception {
    etcd = EtcdProcess.single(tmp.resolve("etcd"));
    Path dir = tmp.resolve("config");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("application.conf"), "a = 1\n");
    EtcdPublisher.publish(List.of(etcd.url()), "/qcfg/rep/", Optional.empty(),
        Map.of("application.conf", "b = 2\n"));
    Qcfg.start(Map.of("dir", dir.toString(), "state", tmp.resolve("state").toString(),
        "jmx", "false", "etcd", etcd.url().toString(), "etcd-prefix", "/qcfg/rep/",
        "instance", "web-7"));
    try (Rollouts r = Rollouts.open(List.of(etcd.url()), "/qcfg/rep/", Optional.empty(),
        Duration.ofSeconds(5), Optional.empty())) {
      await().atMost(Duration.ofSeconds(10)).until(() -> r.view().statuses().size() == 1);
      StatusEntry e = r.view().statuses().get(0);
      assertThat(e.instance()).isEqualTo("web-7");
      assertThat(e.healthy()).isTrue();
      assertThat(e.checksum()).isEqualTo(Qcfg.current().checksum());
      assertThat(e.version()).isEqualTo(Qcfg.current().version());
      assertThat(e.staged()).isZero();
      Qcfg.stop();
      // Revoked on stop, not left to the 10 s lease.
      assertThat(r.view().statuses()).isEmpty();
    }
  }
}
