package io.qcfg.internal.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.qcfg.internal.log.Log;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Members dying, hanging and coming back while a watch runs; each test has its own etcd. */
class EtcdOutageTest {
  private static final String PREFIX = "/qcfg/shop/";
  private static final Duration TIMEOUT = Duration.ofSeconds(1);
  @TempDir Path dir;
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private final ByteArrayOutputStream log = new ByteArrayOutputStream();

  @BeforeEach
  void setUp() {
    EtcdProcess.assumeInstalled();
    Log.redirect(new PrintStream(log, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void tearDown() throws Exception {
    Log.redirect(System.err);
    // Reverse order: watches and sources before the processes they talk to.
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  private <T extends AutoCloseable> T closeLater(T c) {
    toClose.add(c);
    return c;
  }

  @Test
  void killedAndRestartedEtcdGivesAResyncAndNoRevisionIsSkipped() {
    EtcdProcess etcd = closeLater(EtcdProcess.single(dir));
    EtcdAdmin admin = new EtcdAdmin(etcd.url());
    EtcdSource s =
        closeLater(EtcdSource.connect(List.of(etcd.url()), PREFIX, Optional.empty(), TIMEOUT));
    long start = admin.put(PREFIX + "application.conf", "v = 0");
    Events events = new Events();
    closeLater(s.watch(start, events));
    long r1 = admin.put(PREFIX + "application.conf", "v = 1");
    await().atMost(Duration.ofSeconds(10)).until(() -> events.reached(r1));

    etcd.kill();
    await("status says disconnected")
        .atMost(Duration.ofSeconds(10))
        .until(() -> !s.status().connected());
    assertThat(s.status().lastError()).hasValueSatisfying(e -> assertThat(e).isNotBlank());
    assertThat(s.status().lastErrorAt()).isPresent();
    etcd.start();
    await("resync").atMost(Duration.ofSeconds(15)).until(() -> !events.resyncs().isEmpty());
    long r2 = admin.put(PREFIX + "application.conf", "v = 2");

    await().atMost(Duration.ofSeconds(15)).until(() -> events.reached(r2));
    assertThat(events.resyncs()).hasSize(1);
    EtcdEvent.ResyncRequired resync = events.resyncs().get(0);
    assertThat(resync.reason()).isEqualTo(EtcdEvent.Reason.RECONNECTED);
    // Every revision is either covered by the resync (the consumer re-reads) or delivered.
    assertThat(resync.revision()).isGreaterThanOrEqualTo(r1).isLessThan(r2);
    assertThat(events.changedRevisions()).containsExactly(r1, r2);
    assertThat(events.all.indexOf(resync)).isEqualTo(1);
    assertThat(s.status().connected()).isTrue();
    assertThat(s.status().revision()).isEqualTo(r2);
    assertThat(log.toString(StandardCharsets.UTF_8))
        .contains(PREFIX + ": lost the watch (")
        .contains("[QCFG-4620]")
        .contains(PREFIX + ": watching again through " + etcd.url() + " [QCFG-4621]");
  }

  @Test
  void etcdDownWhenTheWatchStartsIsRetriedUntilItComes() {
    EtcdProcess etcd = closeLater(EtcdProcess.single(dir));
    EtcdAdmin admin = new EtcdAdmin(etcd.url());
    EtcdSource s =
        closeLater(EtcdSource.connect(List.of(etcd.url()), PREFIX, Optional.empty(), TIMEOUT));
    long seen = s.read("production").revision();
    etcd.kill();
    Events events = new Events();

    closeLater(s.watch(seen, events));
    await().atMost(Duration.ofSeconds(5)).until(() -> log.toString().contains("[QCFG-4620]"));
    etcd.start();
    await("resync").atMost(Duration.ofSeconds(15)).until(() -> !events.all.isEmpty());
    long r1 = admin.put(PREFIX + "application.conf", "v = 1");

    await().atMost(Duration.ofSeconds(15)).until(() -> events.reached(r1));
    assertThat(events.all.get(0)).isInstanceOf(EtcdEvent.ResyncRequired.class);
    assertThat(events.all.get(0).revision()).isEqualTo(seen);
    assertThat(events.changedRevisions()).containsExactly(r1);
  }

  @Test
  void aHungMemberIsNoticedByTheIdleProbe() throws Exception {
    EtcdProcess etcd = closeLater(EtcdProcess.single(dir));
    EtcdAdmin admin = new EtcdAdmin(etcd.url());
    EtcdSource s =
        closeLater(EtcdSource.connect(List.of(etcd.url()), PREFIX, Optional.empty(), TIMEOUT));
    long start = admin.put(PREFIX + "application.conf", "v = 0");
    Events events = new Events();
    closeLater(s.watch(start, events, Duration.ofMillis(200)));
    await().atMost(Duration.ofSeconds(5)).until(() -> s.status().connected());

    // SIGSTOP keeps the TCP connection open but silent: only the probe can tell.
    etcd.signal("STOP");
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> !s.status().connected());
    } finally {
      etcd.signal("CONT");
    }
    await("resync").atMost(Duration.ofSeconds(15)).until(() -> !events.all.isEmpty());
    long r1 = admin.put(PREFIX + "application.conf", "v = 1");

    await().atMost(Duration.ofSeconds(15)).until(() -> events.reached(r1));
    assertThat(events.resyncs()).extracting(EtcdEvent.ResyncRequired::reason)
        .containsExactly(EtcdEvent.Reason.RECONNECTED);
    assertThat(events.changedRevisions()).containsExactly(r1);
  }

  @Test
  void threeMembersOneKilledAndRestartedWatchAndReadCarryOn() {
    List<EtcdProcess> members = EtcdProcess.cluster(dir, 3);
    members.forEach(this::closeLater);
    EtcdAdmin viaN2 = new EtcdAdmin(members.get(1).url());
    EtcdSource s =
        closeLater(
            EtcdSource.connect(EtcdProcess.urls(members), PREFIX, Optional.empty(), TIMEOUT));
    long start = viaN2.put(PREFIX + "application.conf", "v = 0");
    Events events = new Events();
    closeLater(s.watch(start, events));
    long r1 = viaN2.put(PREFIX + "application.conf", "v = 1");
    await().atMost(Duration.ofSeconds(10)).until(() -> events.reached(r1));
    assertThat(s.status().endpoint()).isEqualTo(members.get(0).url());

    members.get(0).kill(); // the member the watch and reads use
    // The killed member may have been the leader: the put waits for (or fails before) a new one.
    long r2 =
        await()
            .atMost(Duration.ofSeconds(15))
            .ignoreExceptions()
            .until(() -> viaN2.put(PREFIX + "environments/production.conf", "v = 2"), r -> r > 0);

    await().atMost(Duration.ofSeconds(15)).until(() -> events.reached(r2));
    EtcdLayer layer = s.read("production");
    assertThat(layer.revision()).isGreaterThanOrEqualTo(r2);
    assertThat(layer.files()).extracting(EtcdFile::text).containsExactly("v = 1", "v = 2");
    assertThat(s.status().endpoint()).isNotEqualTo(members.get(0).url());

    members.get(0).start();
    members.get(0).awaitHealthy();
    long r3 =
        new EtcdAdmin(members.get(0).url()).put(PREFIX + "application.conf", "v = 3");
    await().atMost(Duration.ofSeconds(10)).until(() -> events.reached(r3));

    List<Long> changed = events.changedRevisions();
    assertThat(changed).isSorted().doesNotHaveDuplicates().contains(r1, r3);
    // r2 happened while the watch moved: it is delivered, or covered by the resync.
    assertThat(changed.contains(r2)
            || events.resyncs().stream().anyMatch(r -> r.revision() >= r2))
        .isTrue();
    assertThat(events.resyncs()).extracting(EtcdEvent.ResyncRequired::reason)
        .containsOnly(EtcdEvent.Reason.RECONNECTED);
    assertThat(EtcdPublisher.publish(EtcdProcess.urls(members), PREFIX, Optional.empty(),
            Map.of("application.conf", "v = 4")))
        .isGreaterThan(r3);
  }
}
