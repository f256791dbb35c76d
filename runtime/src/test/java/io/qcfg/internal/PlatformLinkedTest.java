package io.qcfg.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.qcfg.internal.etcd.EtcdHttp;
import io.qcfg.internal.http.StatusServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The platform package is reached only through {@link PlatformLinked}: under the agent it is
 * defined by a loader of its own, so a class that named one of its classes as a type would get
 * the bootstrap loader's copy, which cannot link to the JDK's platform modules. The agent ITs run
 * it from the bootstrap class path (ObservabilityIT, the etcd ITs); here qcfg's own loader makes
 * it.
 */
@Timeout(60)
class PlatformLinkedTest {
  private static final byte[] PLATFORM = "io/qcfg/internal/platform/".getBytes(StandardCharsets.UTF_8);

  @Test
  void noClassOutsideThePlatformPackageNamesOneOfItsClasses() throws IOException {
    Path classes = Path.of("target/classes");
    List<String> naming = new ArrayList<>();
    try (Stream<Path> all = Files.walk(classes)) {
      for (Path p : (Iterable<Path>) all.filter(f -> f.toString().endsWith(".class"))::iterator) {
        String name = classes.relativize(p).toString().replace('\\', '/');
        if (!name.startsWith("io/qcfg/internal/platform/") && contains(Files.readAllBytes(p))) {
          naming.add(name);
        }
      }
    }
    assertThat(naming).isEmpty();
  }

  @Test
  void theStatusTransportIsMadeAndAnswersThroughTheRoutes() throws Exception {
    StatusServer.Transport t = PlatformLinked.make("JdkStatusTransport", StatusServer.Transport.class,
        new Class<?>[] {InetSocketAddress.class, StatusServer.Routes.class},
        new InetSocketAddress("127.0.0.1", 0),
        (StatusServer.Routes) (method, uri) ->
            new StatusServer.Response(200, "text/plain", method + " " + uri.getPath()));
    try {
      var http = java.net.http.HttpClient.newHttpClient();
      var r = http.send(java.net.http.HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + t.port() + "/healthz")).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("GET /healthz");
      assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
    } finally {
      t.close();
    }
  }

  @Test
  void aPortThatCannotBeBoundIsTheConstructorsIoException() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> PlatformLinked.make(
              "JdkStatusTransport", StatusServer.Transport.class,
              new Class<?>[] {InetSocketAddress.class, StatusServer.Routes.class},
              new InetSocketAddress("127.0.0.1", taken.getLocalPort()),
              (StatusServer.Routes) (m, u) -> null))
          .isInstanceOf(IOException.class);
    }
  }

  @Test
  void theEtcdTransportIsMadeAndClosesItsThreads() throws Exception {
    ExecutorService pool = Executors.newCachedThreadPool();
    EtcdHttp h = PlatformLinked.make("JdkEtcdHttp", EtcdHttp.class,
        new Class<?>[] {Duration.class, SSLContext.class, ExecutorService.class},
        Duration.ofSeconds(1), null, pool);
    h.close();
    assertThat(pool.isShutdown()).isTrue();
  }

  private static boolean contains(byte[] b) {
    outer:
    for (int i = 0; i + PLATFORM.length <= b.length; i++) {
      for (int j = 0; j < PLATFORM.length; j++) {
        if (b[i + j] != PLATFORM[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
