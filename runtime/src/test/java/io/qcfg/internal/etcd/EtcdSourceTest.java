package io.qcfg.internal.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.qcfg.QcfgException;
import io.qcfg.internal.log.Log;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.TestInfo;

/** Reading and watching against one real etcd shared by the class; each test has its prefix. */
class EtcdSourceTest {
  @RegisterExtension static final SharedEtcd ETCD = new SharedEtcd();
  private static final Duration TIMEOUT = Duration.ofSeconds(3);

  private final List<AutoCloseable> toClose = new ArrayList<>();
  private String prefix;

  @BeforeEach
  void prefix(TestInfo info) {
    prefix = "/qcfg/" + info.getTestMethod().orElseThrow().getName() + "/";
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : toClose) {
      c.close();
    }
  }

  private EtcdSource connect() {
    EtcdSource s = EtcdSource.connect(List.of(ETCD.url()), prefix, Optional.empty(), TIMEOUT);
    toClose.add(s);
    return s;
  }

  @Test
  void readsTheBaseAndTheEnvironmentKeyAtOneRevision() {
    long base = ETCD.admin().put(prefix + "application.conf", "http.port = 8080\n");
    ETCD.admin().put(prefix + "environments/staging.conf", "http.port = 1\n");
    long prod = ETCD.admin().put(prefix + "environments/production.conf", "# prod\nhttp.port = 80\n");
    ETCD.admin().put("/qcfg/other-app/application.conf", "x = 1");
    ETCD.admin().put(prefix + "unrelated", "y");

    EtcdLayer layer = connect().read("production");

    // The newest key read, not the store's revision: status entries under the prefix move that.
    assertThat(layer.revision()).isEqualTo(prod);
    assertThat(layer.files())
        .containsExactly(
            new EtcdFile(prefix + "application.conf", "http.port = 8080\n", base),
            new EtcdFile(prefix + "environments/production.conf", "# prod\nhttp.port = 80\n", prod));
    assertThat(layer.files().get(1).location())
        .isEqualTo("etcd:" + prefix + "environments/production.conf@" + prod);
  }

  @Test
  void missingKeysAreAbsentNotErrors() {
    long base = ETCD.admin().put(prefix + "application.conf", "");
    EtcdSource s = connect();

    EtcdLayer layer = s.read("testing");

    assertThat(layer.files()).containsExactly(new EtcdFile(prefix + "application.conf", "", base));
    assertThat(s.layerKeys("testing"))
        .containsExactly(prefix + "application.conf", prefix + "environments/testing.conf");
    assertThat(s.status().connected()).isTrue();
    assertThat(s.status().revision()).isGreaterThanOrEqualTo(base);
    assertThat(s.status().lastError()).isEmpty();
  }

  @Test
  void valueThatIsNotUtf8IsReportedWithItsKeyAndRevision() {
    long rev = ETCD.admin().put(prefix + "application.conf", new byte[] {'a', '=', (byte) 0xc3, '\n'});

    assertThatThrownBy(() -> connect().read("testing"))
        .isInstanceOf(QcfgException.Invalid.class)
        .hasMessage("invalid configuration: etcd:" + prefix + "application.conf@" + rev
            + ": expected UTF-8 HOCON text, found bytes that are not UTF-8 [QCFG-4616]");
  }

  @Test
  void environmentNameCannotEscapeThePrefix() {
    EtcdSource s = connect();
    assertThatThrownBy(() -> s.read("../../etc"))
        .isInstanceOf(QcfgException.BadOption.class)
        .hasMessageContaining("[QCFG-4602]");
  }

  @Test
  void watchSeesEveryRevisionOnceInOrderAndATransactionAsOneEvent() {
    EtcdSource s = connect();
    long start = s.read("testing").revision();
    Events events = new Events();
    toClose.add(s.watch(start, events));

    List<Long> expected = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      expected.add(ETCD.admin().put(prefix + "application.conf", "n = " + i));
    }
    long deleted = ETCD.admin().delete(prefix + "application.conf");
    expected.add(deleted);
    long published =
        EtcdPublisher.publish(
            List.of(ETCD.url()), prefix, Optional.empty(),
            Map.of("application.conf", "a = 1", "environments/testing.conf", "b = 2"));
    expected.add(published);

    await().atMost(Duration.ofSeconds(10)).until(() -> events.reached(published));
    assertThat(events.changedRevisions()).containsExactlyElementsOf(expected);
    assertThat(events.resyncs()).isEmpty();
    assertThat(events.changes().get(5).puts())
        .containsExactly(new EtcdFile(prefix + "application.conf", "n = 5", expected.get(5)));
    assertThat(events.changes().get(20).deletedKeys()).containsExactly(prefix + "application.conf");
    EtcdEvent.Changed txn = events.changes().get(21);
    assertThat(txn.puts()).extracting(EtcdFile::key)
        .containsExactlyInAnyOrder(prefix + "application.conf", prefix + "environments/testing.conf");
    assertThat(txn.touchesAny(s.layerKeys("testing"))).isTrue();
    assertThat(txn.touchesAny(s.layerKeys("production"))).isTrue();
    assertThat(events.changes().get(20).touchesAny(List.of(prefix + "other"))).isFalse();
    assertThat(events.threads).containsExactly("qcfg-etcd-watch");
    assertThat(events.overlapped).isFalse();
  }

  @Test
  void watchFromAnOlderRevisionReplaysWhatWasMissed() {
    EtcdSource s = connect();
    long seen = ETCD.admin().put(prefix + "application.conf", "v = 0");
    long r1 = ETCD.admin().put(prefix + "application.conf", "v = 1");
    long r2 = ETCD.admin().put(prefix + "environments/testing.conf", "v = 2");
    Events events = new Events();

    toClose.add(s.watch(seen, events));

    await().atMost(Duration.ofSeconds(10)).until(() -> events.reached(r2));
    assertThat(events.changedRevisions()).containsExactly(r1, r2);
  }

  @Test
  void compactedHistoryGivesAResyncNeverASilentGap() {
    EtcdSource s = connect();
    long behind = ETCD.admin().put(prefix + "application.conf", "v = 0");
    for (int i = 1; i <= 5; i++) {
      ETCD.admin().put(prefix + "application.conf", "v = " + i);
    }
    long compactedAt = ETCD.admin().put(prefix + "application.conf", "v = 6");
    ETCD.admin().compact(compactedAt);
    Events events = new Events();
    ByteArrayOutputStream log = captureLog();

    toClose.add(s.watch(behind, events));
    await().atMost(Duration.ofSeconds(10)).until(() -> !events.all.isEmpty());
    long after = ETCD.admin().put(prefix + "application.conf", "v = 7");
    await().atMost(Duration.ofSeconds(10)).until(() -> events.reached(after));

    assertThat(events.all).hasSize(2);
    EtcdEvent.ResyncRequired resync = (EtcdEvent.ResyncRequired) events.all.get(0);
    assertThat(resync.reason()).isEqualTo(EtcdEvent.Reason.COMPACTED);
    assertThat(resync.revision()).isGreaterThanOrEqualTo(compactedAt).isLessThan(after);
    assertThat(resync.detail())
        .isEqualTo("etcd compacted the history up to revision " + compactedAt
            + " and the watch had delivered only up to " + behind);
    assertThat(events.changedRevisions()).containsExactly(after);
    assertThat(log.toString(StandardCharsets.UTF_8))
        .contains(prefix + ": etcd compacted the history up to revision " + compactedAt)
        .contains("[QCFG-4622]");
  }

  @Test
  void aThrowingCallbackIsLoggedAndWatchingGoesOn() {
    EtcdSource s = connect();
    long start = ETCD.admin().put(prefix + "application.conf", "v = 0");
    Events events = new Events();
    events.during = e -> {
      if (events.all.size() == 1) {
        throw new IllegalStateException("boom");
      }
    };
    ByteArrayOutputStream log = captureLog();
    toClose.add(s.watch(start, events));

    long r1 = ETCD.admin().put(prefix + "application.conf", "v = 1");
    long r2 = ETCD.admin().put(prefix + "application.conf", "v = 2");

    await().atMost(Duration.ofSeconds(10)).until(() -> events.reached(r2));
    assertThat(events.changedRevisions()).containsExactly(r1, r2);
    assertThat(log.toString(StandardCharsets.UTF_8))
        .contains("the etcd change callback failed at revision " + r1 + ", still watching"
            + " [QCFG-4623] (java.lang.IllegalStateException: boom)");
  }

  @Test
  void closedWatchDeliversNothingMore() {
    EtcdSource s = connect();
    long start = ETCD.admin().put(prefix + "application.conf", "v = 0");
    Events events = new Events();
    EtcdWatch w = s.watch(start, events);
    long r1 = ETCD.admin().put(prefix + "application.conf", "v = 1");
    await().atMost(Duration.ofSeconds(10)).until(() -> events.reached(r1));

    w.close();
    ETCD.admin().put(prefix + "application.conf", "v = 2");

    await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(2))
        .until(() -> events.all.size() == 1);
  }

  @Test
  void nothingListeningAtConnectIsAClearErrorNamingEachEndpoint() {
    URI a = URI.create("http://127.0.0.1:" + EtcdProcess.freePort());
    URI b = URI.create("http://127.0.0.1:" + EtcdProcess.freePort());
    long t0 = System.nanoTime();

    assertThatThrownBy(() -> EtcdSource.connect(List.of(a, b), prefix, Optional.empty(), TIMEOUT))
        .isInstanceOf(QcfgException.Invalid.class)
        .hasMessage("invalid configuration: etcd " + a + "," + b + ": cannot read keys under "
            + prefix + ": no endpoint answered (" + a + ": connection refused; " + b
            + ": connection refused) [QCFG-4610]")
        .extracting(e -> ((QcfgException) e).id())
        .isEqualTo("QCFG-4610");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(TIMEOUT);
  }

  @Test
  void deadEndpointsAreSkippedWhenALiveOneFollows() {
    URI dead = URI.create("http://127.0.0.1:" + EtcdProcess.freePort());
    long rev = ETCD.admin().put(prefix + "application.conf", "x = 1");
    EtcdSource s = EtcdSource.connect(List.of(dead, ETCD.url()), prefix, Optional.empty(), TIMEOUT);
    toClose.add(s);

    assertThat(s.read("testing").files()).extracting(EtcdFile::modRevision).containsExactly(rev);
    assertThat(s.status().endpoint()).isEqualTo(ETCD.url());
    assertThat(s.status().connected()).isTrue();
  }

  @Test
  void somethingThatIsNotEtcdIsNamedAsSuch() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    AtomicInteger hits = new AtomicInteger();
    server.createContext("/", x -> {
      hits.incrementAndGet();
      x.sendResponseHeaders(404, -1);
      x.close();
    });
    server.start();
    try {
      URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
      assertThatThrownBy(() -> EtcdSource.connect(List.of(url), prefix, Optional.empty(), TIMEOUT))
          .isInstanceOf(QcfgException.Invalid.class)
          .hasMessage("invalid configuration: etcd " + url + ": cannot read keys under " + prefix
              + ": expected an answer of etcd's v3 JSON gateway (etcd 3.4 or newer), found HTTP 404"
              + " Not Found [QCFG-4615]");
      assertThat(hits).hasValue(1);
    } finally {
      server.stop(0);
    }
  }

  @Test
  void everyRevisionIsAccountedFor() {
    // Property: the revisions delivered are exactly the revisions that touched the prefix.
    EtcdSource s = connect();
    long start = s.read("testing").revision();
    Events events = new Events();
    toClose.add(s.watch(start, events));
    List<Long> ours = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      if (i % 3 == 0) {
        ETCD.admin().put("/qcfg/elsewhere/k", "noise " + i); // not under the prefix: no event
      } else {
        ours.add(ETCD.admin().put(prefix + "k" + (i % 4), "v" + i));
      }
    }
    long last = ours.get(ours.size() - 1);
    await().atMost(Duration.ofSeconds(10)).until(() -> events.reached(last));
    assertThat(events.changedRevisions()).containsExactlyElementsOf(ours);
  }

  private ByteArrayOutputStream captureLog() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Log.redirect(new PrintStream(out, true, StandardCharsets.UTF_8));
    toClose.add(() -> Log.redirect(System.err));
    return out;
  }
}
