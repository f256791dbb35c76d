package io.qcfg.internal.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.qcfg.ConfigValue;
import io.qcfg.Qcfg;
import io.qcfg.Snapshot;
import io.qcfg.internal.engine.Engine;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The etcd layer inside a running qcfg: read, watched, and survived when etcd goes away. */
@org.junit.jupiter.api.extension.ExtendWith(EtcdProcess.Required.class)
class EtcdLayerRuntimeTest {
  @TempDir Path tmp;
  EtcdProcess etcd;

  static final class Limits {
    @ConfigValue("svc.limit")
    volatile int limit = -1;
  }

  @BeforeAll
  static void needsEtcd() {
    if (!EtcdProcess.installed()) {
      return; // each test is skipped, with the reason (EtcdProcess.Required)
    }
  }

  @AfterEach
  void stop() {
    Qcfg.stop();
    if (etcd != null) {
      etcd.close();
    }
  }

  @Test
  void etcdLayerSitsBetweenLocalAndSecretsAndFollowsPublishes() throws Exception {
    etcd = EtcdProcess.single(tmp.resolve("etcd"));
    List<URI> endpoints = List.of(etcd.url());
    Path dir = tmp.resolve("config");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("application.conf"), "svc { limit = 1, name = files }\n");
    EtcdPublisher.publish(endpoints, "/qcfg/svc/", Optional.empty(),
        Map.of("application.conf", "svc.limit = 2\n", "environments/development.conf", "svc.extra = yes\n"));

    Snapshot s = Qcfg.start(Map.of("dir", dir.toString(), "state", tmp.resolve("state").toString(),
        "jmx", "false", "etcd", etcd.url().toString(), "etcd-prefix", "/qcfg/svc/"));
    Limits l = Qcfg.bind(new Limits());
    assertThat(s.getInt("svc.limit")).isEqualTo(2);
    assertThat(s.getString("svc.name")).isEqualTo("files");
    assertThat(s.origin("svc.limit").orElseThrow().layer()).isEqualTo("etcd");
    assertThat(s.origin("svc.limit").orElseThrow().location()).startsWith("etcd:/qcfg/svc/application.conf@");
    long rev = Engine.require().etcdRevision();
    assertThat(rev).isPositive();
    // A listener (and whoever sees a new field value) sees the revision the change came from;
    // it was set only after listeners had run.
    var seenByListener = new java.util.concurrent.atomic.AtomicLong();
    Qcfg.onChange(c -> seenByListener.set(Engine.require().etcdRevision()));

    long published = EtcdPublisher.publish(endpoints, "/qcfg/svc/", Optional.empty(),
        Map.of("application.conf", "svc.limit = 3\n"));
    await().atMost(Duration.ofSeconds(10)).until(() -> l.limit == 3);
    assertThat(Engine.require().etcdRevision()).isEqualTo(published);
    await().atMost(Duration.ofSeconds(10)).until(() -> seenByListener.get() != 0);
    assertThat(seenByListener.get()).isEqualTo(published);
    assertThat(Qcfg.current().hasPath("svc.extra")).isFalse();

    // etcd goes away: a reload is rejected, the last good configuration stays.
    etcd.kill();
    long version = Qcfg.current().version();
    try {
      Qcfg.reload();
    } catch (io.qcfg.QcfgException e) {
      assertThat(e.getMessage()).contains("etcd");
    }
    assertThat(Qcfg.current().version()).isEqualTo(version);
    assertThat(l.limit).isEqualTo(3);

    // etcd is back; the watch reconnects, re-reads, and the next publish arrives.
    etcd.restart();
    etcd.awaitHealthy();
    EtcdPublisher.publish(endpoints, "/qcfg/svc/", Optional.empty(), Map.of("application.conf", "svc.limit = 4\n"));
    await().atMost(Duration.ofSeconds(20)).until(() -> l.limit == 4);
  }
}
