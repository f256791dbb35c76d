package io.qcfg.internal.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.qcfg.QcfgException;
import io.qcfg.internal.log.Log;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A cluster with authentication enabled: {@code root} may do anything, {@code reader} may only
 * read {@code /qcfg/shop/}. No message and no log line may ever contain a password.
 */
class EtcdAuthTest {
  private static final String PREFIX = "/qcfg/shop/";
  private static final String ROOT_PW = "Root-pw-4471";
  private static final String READER_PW = "Reader-pw-7731";
  private static final String WRONG_PW = "Wrong-pw-5519";
  // Per request. Generous: every authentication runs etcd's bcrypt, which a loaded machine can
  // stretch past 2 s (this class failed once under load); no test here waits for a timeout.
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final Optional<EtcdCredentials> ROOT =
      Optional.of(new EtcdCredentials("root", ROOT_PW));
  private static final Optional<EtcdCredentials> READER =
      Optional.of(new EtcdCredentials("reader", READER_PW));

  @RegisterExtension
  static final SharedEtcd ETCD =
      new SharedEtcd(admin -> admin.enableAuth(ROOT_PW, READER_PW, PREFIX));

  private final ByteArrayOutputStream log = new ByteArrayOutputStream();

  @BeforeEach
  void captureLog() {
    Log.redirect(new PrintStream(log, true, StandardCharsets.UTF_8));
    Log.setLevel(Log.Level.DEBUG); // debug lines must not carry passwords either
  }

  @AfterEach
  void noPasswordAnywhere() {
    Log.setLevel(Log.Level.INFO);
    Log.redirect(System.err);
    assertThat(log.toString(StandardCharsets.UTF_8))
        .doesNotContain(ROOT_PW)
        .doesNotContain(READER_PW)
        .doesNotContain(WRONG_PW);
  }

  private EtcdSource connect(Optional<EtcdCredentials> credentials) {
    return EtcdSource.connect(List.of(ETCD.url()), PREFIX, credentials, TIMEOUT);
  }

  @Test
  void wrongPasswordIsAClearErrorWithoutThePassword() {
    assertThatThrownBy(() -> connect(Optional.of(new EtcdCredentials("reader", WRONG_PW))))
        .isInstanceOf(QcfgException.Invalid.class)
        .hasMessage("invalid configuration: etcd " + ETCD.url() + ": user 'reader': authentication"
            + " failed: wrong user name or password (etcd says: etcdserver: authentication failed,"
            + " invalid user ID or password) [QCFG-4611]")
        .satisfies(e -> assertThat(String.valueOf(e)).doesNotContain(WRONG_PW));
  }

  @Test
  void noCredentialsAgainstAnAuthenticatingClusterSaysSo() {
    assertThatThrownBy(() -> connect(Optional.empty()))
        .isInstanceOf(QcfgException.Invalid.class)
        .hasMessage("invalid configuration: etcd " + ETCD.url() + ": etcd has authentication"
            + " enabled and no credentials were given (etcd says: etcdserver: user name is empty)"
            + " [QCFG-4612]");
  }

  @Test
  void aUserWithoutReadAccessToThePrefixIsDenied() {
    assertThatThrownBy(
            () -> EtcdSource.connect(List.of(ETCD.url()), "/qcfg/other/", READER, TIMEOUT))
        .isInstanceOf(QcfgException.Invalid.class)
        .hasMessage("invalid configuration: etcd " + ETCD.url() + ": user 'reader': permission"
            + " denied: cannot read keys under /qcfg/other/ (grant the user's role access to the"
            + " prefix) [QCFG-4613]");
  }

  @Test
  void aReaderCannotPublishAndNothingIsWritten() {
    EtcdPublisher.publish(List.of(ETCD.url()), PREFIX, ROOT, Map.of("application.conf", "a = 1"));
    try (EtcdSource s = connect(READER)) {
      EtcdLayer before = s.read("production");

      assertThatThrownBy(
              () -> EtcdPublisher.publish(List.of(ETCD.url()), PREFIX, READER,
                  Map.of("application.conf", "a = 2")))
          .isInstanceOf(QcfgException.Invalid.class)
          .hasMessage("invalid configuration: etcd " + ETCD.url() + ": user 'reader': permission"
              + " denied: cannot publish 1 keys under " + PREFIX + " (grant the user's role access"
              + " to the prefix) [QCFG-4613]");
      assertThat(s.read("production")).isEqualTo(before);
    }
  }

  @Test
  void aReaderWatchesWhatRootPublishesAndSurvivesARestartThatDropsItsToken() {
    long start =
        EtcdPublisher.publish(List.of(ETCD.url()), PREFIX, ROOT, Map.of("application.conf", "a = 0"));
    try (EtcdSource s = connect(READER)) {
      Events events = new Events();
      s.watch(start, events);
      long r1 =
          EtcdPublisher.publish(List.of(ETCD.url()), PREFIX, ROOT, Map.of("application.conf", "a = 1"));
      await().atMost(Duration.ofSeconds(10)).until(() -> events.reached(r1));

      // etcd's simple tokens live in memory: after a restart the reader's token is unknown.
      ETCD.process().restart();
      ETCD.process().awaitHealthy();
      await("resync").atMost(Duration.ofSeconds(15)).until(() -> !events.resyncs().isEmpty());
      EtcdLayer layer = s.read("production"); // renews the token once and succeeds
      long r2 =
          EtcdPublisher.publish(List.of(ETCD.url()), PREFIX, ROOT, Map.of("application.conf", "a = 2"));

      await().atMost(Duration.ofSeconds(10)).until(() -> events.reached(r2));
      assertThat(layer.files()).extracting(EtcdFile::text).containsExactly("a = 1");
      assertThat(events.changedRevisions()).containsExactly(r1, r2);
      assertThat(s.status().connected()).isTrue();
      assertThat(log.toString(StandardCharsets.UTF_8))
          .contains("user 'reader': the etcd token was no longer valid (expired, or the member"
              + " restarted); authenticated again [QCFG-4617]");
    }
  }
}
