package io.qcfg.internal.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qcfg.QcfgException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

/** Staging, promoting and aborting against one real etcd; each test has its prefix. */
@Timeout(60)
class RolloutsTest {
  @RegisterExtension static final SharedEtcd ETCD = new SharedEtcd();
  String prefix;
  Rollouts rollouts;
  // Buckets (CanaryTest): "jvm-1" is 6, "a" is 50.
  static final String CANARY = "jvm-1";
  static final String STABLE = "a";

  @BeforeEach
  void open(TestInfo info) {
    prefix = "/qcfg/" + info.getTestMethod().orElseThrow().getName() + "/";
    rollouts = Rollouts.open(List.of(ETCD.url()), prefix, Optional.empty(), Duration.ofSeconds(5),
        Optional.empty());
    EtcdPublisher.publish(List.of(ETCD.url()), prefix, Optional.empty(),
        Map.of("application.conf", "v = stable\n", "environments/test.conf", "e = stable\n"));
  }

  private String read(String instance) {
    try (EtcdSource s = EtcdSource.connect(List.of(ETCD.url()), prefix, Optional.empty(),
        Duration.ofSeconds(5))) {
      s.selectAs(instance);
      StringBuilder b = new StringBuilder();
      for (EtcdFile f : s.read("test").files()) {
        b.append(f.key().substring(prefix.length())).append('=').append(f.text().trim()).append(';');
      }
      return b.toString();
    }
  }

  @Test
  void onlyTheSelectedInstancesReadTheStagedTextsUntilPromoted() {
    long staged = rollouts.stage(Map.of("application.conf", "v = new\n"), 20, Duration.ZERO);
    RolloutRecord r = rollouts.view().rollout().orElseThrow();
    assertThat(r.stagedRevision()).isEqualTo(staged);
    assertThat(read(CANARY)).isEqualTo("canary/application.conf=v = new;");
    assertThat(read(STABLE)).isEqualTo("application.conf=v = stable;environments/test.conf=e = stable;");

    rollouts.promote(r, 60);
    RolloutRecord at60 = rollouts.view().rollout().orElseThrow();
    assertThat(at60.percent()).isEqualTo(60);
    assertThat(at60.stagedRevision()).isEqualTo(staged);
    assertThat(read(STABLE)).isEqualTo("canary/application.conf=v = new;");

    rollouts.promote(at60, 100);
    assertThat(rollouts.view().rollout()).isEmpty();
    assertThat(ETCD.admin().list(prefix)).containsOnlyKeys(prefix + "application.conf");
    assertThat(read(STABLE)).isEqualTo("application.conf=v = new;");
    assertThat(read(CANARY)).isEqualTo("application.conf=v = new;");
  }

  @Test
  void abortSendsEveryCanaryBackAndASecondStageWaits() {
    rollouts.stage(Map.of("application.conf", "v = new\n"), 20, Duration.ZERO);
    assertThatThrownBy(() -> rollouts.stage(Map.of("application.conf", "v = x\n"), 20,
        Duration.ZERO)).hasMessageContaining("QCFG-4651");
    rollouts.abort(rollouts.view().rollout().orElseThrow());
    assertThat(read(CANARY)).isEqualTo("application.conf=v = stable;environments/test.conf=e = stable;");
    assertThat(ETCD.admin().list(prefix)).containsOnlyKeys(prefix + "application.conf",
        prefix + "environments/test.conf");
  }

  @Test
  void aStepOnAStaleReadWritesNothing() {
    rollouts.stage(Map.of("application.conf", "v = new\n"), 20, Duration.ZERO);
    RolloutRecord read = rollouts.view().rollout().orElseThrow();
    rollouts.promote(read, 50); // another operator wins
    assertThatThrownBy(() -> rollouts.abort(read)).isInstanceOf(QcfgException.Invalid.class)
        .hasMessageContaining("QCFG-4654");
    assertThatThrownBy(() -> rollouts.promote(read, 100)).hasMessageContaining("QCFG-4654");
    assertThat(rollouts.view().rollout().orElseThrow().percent()).isEqualTo(50);
    assertThat(read(CANARY)).isEqualTo("canary/application.conf=v = new;");
  }

  @Test
  void aPlainPublishEndsARolloutButKeepsTheStatusEntries() {
    long lease = rollouts.grantLease(Duration.ofSeconds(30));
    rollouts.report(new StatusEntry("jvm-1", 1, "c", "off", true, 0, 0, 1), lease);
    rollouts.stage(Map.of("application.conf", "v = new\n"), 20, Duration.ZERO);
    EtcdPublisher.publish(List.of(ETCD.url()), prefix, Optional.empty(),
        Map.of("application.conf", "v = newer\n", "zz.conf", "after status/"));
    assertThat(rollouts.view().rollout()).isEmpty();
    assertThat(rollouts.view().statuses()).extracting(StatusEntry::instance)
        .containsExactly("jvm-1");
    assertThat(ETCD.admin().list(prefix)).containsOnlyKeys(prefix + "application.conf",
        prefix + "status/jvm-1", prefix + "zz.conf");
    rollouts.revoke(lease);
  }

  @Test
  void statusEntriesLiveOnALeaseAndForeignOnesAreIgnored() {
    long lease = rollouts.grantLease(Duration.ofSeconds(5));
    assertThat(rollouts.keepAlive(lease)).isTrue();
    rollouts.report(new StatusEntry("jvm-1", 1, "c", "off", true, 0, 0, 1), lease);
    ETCD.admin().put(prefix + "status/other", "not json");
    Rollouts.View v = rollouts.view();
    assertThat(v.statuses()).extracting(StatusEntry::instance).containsExactly("jvm-1");
    assertThat(v.ignored()).isEqualTo(1);
    rollouts.revoke(lease);
    assertThat(rollouts.view().statuses()).isEmpty();
    assertThat(rollouts.keepAlive(lease)).isFalse();
  }
}
