package io.qcfg.internal.guard;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.time.Duration;

/**
 * The {@code health-url} signal: a GET of the application's own health URL; a 2xx answer within
 * {@code health-timeout} is healthy, anything else (another status, no answer, a refused
 * connection) counts against the change. No proxy is used, redirects are not followed, and the
 * body is not read beyond what closing needs.
 */
final class HealthUrl {
  private final URI uri;
  private final int timeoutMillis;

  HealthUrl(URI uri, Duration timeout) {
    this.uri = uri;
    this.timeoutMillis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
  }

  /** @throws IOException when no answer came (refused, timed out): counts as unhealthy */
  boolean healthy() throws IOException {
    HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection(Proxy.NO_PROXY);
    try {
      c.setConnectTimeout(timeoutMillis);
      c.setReadTimeout(timeoutMillis);
      c.setInstanceFollowRedirects(false);
      c.setUseCaches(false);
      c.setRequestProperty("User-Agent", "qcfg-probation");
      int status = c.getResponseCode();
      if (status / 100 == 2) {
        return true;
      }
      throw new IOException("answered HTTP " + status);
    } finally {
      c.disconnect();
    }
  }

  /** Scheme, host, port and path: never the query, which may hold a token. */
  @Override
  public String toString() {
    return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
        + (uri.getRawPath() == null ? "" : uri.getRawPath());
  }
}
