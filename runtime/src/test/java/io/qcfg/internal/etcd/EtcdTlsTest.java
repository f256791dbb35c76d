package io.qcfg.internal.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.qcfg.QcfgException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** etcd behind TLS with a self-signed certificate (made with openssl, skipped without it). */
@org.junit.jupiter.api.extension.ExtendWith(EtcdProcess.Required.class)
class EtcdTlsTest {
  private static final String PREFIX = "/qcfg/shop/";
  private static final Duration TIMEOUT = Duration.ofSeconds(2);
  @TempDir static Path dir;
  static EtcdProcess etcd;
  static Path cert;

  @BeforeAll
  static void startEtcdWithTls() throws Exception {
    if (!EtcdProcess.installed()) {
      return; // each test is skipped, with the reason (EtcdProcess.Required)
    }
    cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    Process p;
    try {
      p = new ProcessBuilder(
              "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
              "-keyout", key.toString(), "-out", cert.toString(),
              "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1")
          .redirectErrorStream(true)
          .redirectOutput(dir.resolve("openssl.log").toFile())
          .start();
    } catch (java.io.IOException e) {
      p = null;
    }
    Assumptions.assumeTrue(
        p != null && p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0,
        "openssl cannot make a test certificate");
    etcd = EtcdProcess.startTls(dir, cert, key);
    await("etcd over TLS")
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(50))
        .ignoreExceptions()
        .until(() -> {
          EtcdPublisher.publish(List.of(etcd.url()), PREFIX, Optional.empty(), TIMEOUT,
              Optional.of(cert), Map.of("application.conf", "tls = true"));
          return true;
        });
  }

  @AfterAll
  static void stopEtcd() {
    if (etcd != null) {
      etcd.close();
    }
  }

  @Test
  void readsOverTlsTrustingTheGivenCa() {
    try (EtcdSource s =
        EtcdSource.connect(List.of(etcd.url()), PREFIX, Optional.empty(), TIMEOUT, Optional.of(cert))) {
      assertThat(s.read("production").files()).extracting(EtcdFile::text).containsExactly("tls = true");
    }
  }

  @Test
  void anUntrustedCertificateSaysHowToTrustIt() {
    assertThatThrownBy(
            () -> EtcdSource.connect(List.of(etcd.url()), PREFIX, Optional.empty(), TIMEOUT))
        .isInstanceOf(QcfgException.Invalid.class)
        .hasMessageStartingWith("invalid configuration: etcd " + etcd.url() + ": cannot read keys"
            + " under " + PREFIX + ": no endpoint answered (" + etcd.url() + ": TLS failed: ")
        .hasMessageEndingWith("(for a private CA give its PEM file to qcfg, or start the JVM with"
            + " -Djavax.net.ssl.trustStore=<file>)) [QCFG-4610]");
  }

  @Test
  void aCaFileWithoutCertificatesIsRefused() throws Exception {
    Path notACert = dir.resolve("not-a-cert.pem");
    Files.writeString(notACert, "hello\n");

    assertThatThrownBy(
            () -> EtcdSource.connect(List.of(etcd.url()), PREFIX, Optional.empty(), TIMEOUT,
                Optional.of(notACert)))
        .isInstanceOf(QcfgException.Invalid.class)
        .hasMessageEndingWith("not-a-cert.pem: expected one or more PEM certificates, found"
            + " something else (CertificateException) [QCFG-4618]");
  }
}
