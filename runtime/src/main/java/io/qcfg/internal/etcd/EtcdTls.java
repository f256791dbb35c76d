package io.qcfg.internal.etcd;

import io.qcfg.Problem;
import io.qcfg.QcfgException;
import io.qcfg.internal.tree.Origins;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS trust for {@code https://} endpoints signed by a private CA, without touching the JVM-wide
 * {@code javax.net.ssl.trustStore}: qcfg runs inside someone else's JVM, and replacing its trust
 * store would break the application's own HTTPS calls.
 */
final class EtcdTls {
  private EtcdTls() {}

  /**
   * A TLS context that trusts exactly the certificates in {@code caPem} (PEM or DER, one or
   * more). Presents no client certificate: for mutual TLS use the JVM's default context ({@code
   * -Djavax.net.ssl.keyStore} and {@code -Djavax.net.ssl.trustStore}) instead.
   *
   * @throws QcfgException.Invalid QCFG-4618 when the file cannot be read or holds no certificate
   */
  static SSLContext trusting(Path caPem) {
    String where = Origins.display(caPem);
    try {
      Collection<? extends Certificate> certs;
      try (InputStream in = Files.newInputStream(caPem)) {
        certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
      }
      if (certs.isEmpty()) {
        throw fail(where, "expected one or more PEM certificates, found none");
      }
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      int i = 0;
      for (Certificate c : certs) {
        trust.setCertificateEntry("etcd-ca-" + i++, c);
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (IOException e) {
      throw fail(where, "cannot read the CA file: " + e.getClass().getSimpleName());
    } catch (GeneralSecurityException e) {
      throw fail(where, "expected one or more PEM certificates, found something else ("
          + e.getClass().getSimpleName() + ")");
    }
  }

  private static QcfgException.Invalid fail(String where, String reason) {
    return new QcfgException.Invalid(new Problem("QCFG-4618", where, "", reason));
  }
}
