package io.qcfg.internal.platform;

import io.qcfg.internal.etcd.EtcdHttp;
import io.qcfg.internal.etcd.WatchStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import javax.net.ssl.SSLContext;

/**
 * {@link EtcdHttp} on the JDK's HTTP client, HTTP/1.1 only: etcd multiplexes gRPC and HTTP on one
 * port, and an h2c upgrade attempt only adds a round trip and a way to fail. A watch holds its own
 * connection. Made only by {@link io.qcfg.internal.PlatformLinked}.
 */
public final class JdkEtcdHttp implements EtcdHttp {
  private final HttpClient http;
  private final ExecutorService executor;

  /**
   * @param tls the TLS context for https endpoints, or null for the JVM's trust store
   * @param executor the client's threads; shut down by {@link #close}
   */
  public JdkEtcdHttp(Duration connectTimeout, SSLContext tls, ExecutorService executor) {
    HttpClient.Builder b = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(connectTimeout)
        .followRedirects(HttpClient.Redirect.NEVER)
        .executor(executor);
    if (tls != null) {
      b.sslContext(tls);
    }
    this.http = b.build();
    this.executor = executor;
  }

  @Override
  public Answer post(URI uri, byte[] body, String authorization, Duration timeout)
      throws IOException, InterruptedException {
    HttpResponse<byte[]> r =
        http.send(request(uri, body, authorization, timeout), HttpResponse.BodyHandlers.ofByteArray());
    return new Answer(r.statusCode(), r.body());
  }

  @Override
  public void stream(URI uri, byte[] body, String authorization, WatchStream into) {
    into.exchange(
        http.sendAsync(
            request(uri, body, authorization, null),
            info -> {
              into.answered(info.statusCode());
              return HttpResponse.BodySubscribers.fromLineSubscriber(into);
            })
        .whenComplete(
            (r, t) -> {
              // Connection failures never reach the subscriber; a normal end already did.
              if (t != null) {
                into.onError(t);
              }
            }));
  }

  private static HttpRequest request(URI uri, byte[] body, String authorization,
      Duration timeout) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (timeout != null) {
      b.timeout(timeout);
    }
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return b.build();
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
