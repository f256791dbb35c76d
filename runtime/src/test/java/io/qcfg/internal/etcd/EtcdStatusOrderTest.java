package io.qcfg.internal.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The status names the member of the newest request, whatever order the outcomes arrive in: a read
 * that failed over to a live member is not undone by an older attempt on the dead member that
 * fails later (seen in {@code EtcdOutageTest}, where the watch thread and a read raced). No etcd
 * is contacted: without credentials, opening a client sends nothing.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class EtcdStatusOrderTest {
  static final URI DEAD = URI.create("http://127.0.0.1:1");
  static final URI LIVE = URI.create("http://127.0.0.1:2");

  @Test
  void anOlderFailureArrivingLateKeepsTheNewerSuccessAndRecordsItsError() {
    try (EtcdClient c = EtcdClient.open(List.of(DEAD, LIVE), Optional.empty(),
        Duration.ofSeconds(1), Optional.empty())) {
      long older = c.nextRequest();
      long newer = c.nextRequest();
      c.update(newer, true, LIVE, 7, null);
      c.update(older, false, DEAD, 0, "connection refused");

      EtcdStatus s = c.status();
      assertThat(s.connected()).isTrue();
      assertThat(s.endpoint()).isEqualTo(LIVE);
      assertThat(s.revision()).isEqualTo(7);
      assertThat(s.lastError()).contains("connection refused");
      assertThat(s.lastErrorAt()).isPresent();
    }
  }

  @Test
  void aNewerFailureDecides() {
    try (EtcdClient c = EtcdClient.open(List.of(DEAD, LIVE), Optional.empty(),
        Duration.ofSeconds(1), Optional.empty())) {
      long older = c.nextRequest();
      long newer = c.nextRequest();
      c.update(newer, false, DEAD, 0, "connection refused");
      c.update(older, true, LIVE, 9, null);

      EtcdStatus s = c.status();
      assertThat(s.connected()).isFalse();
      assertThat(s.endpoint()).isEqualTo(DEAD);
      assertThat(s.revision()).isEqualTo(9);
      assertThat(s.lastError()).contains("connection refused");
    }
  }
}
