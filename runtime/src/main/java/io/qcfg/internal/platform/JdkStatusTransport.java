package io.qcfg.internal.platform;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.qcfg.internal.http.StatusServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The status endpoint's HTTP server on the JDK's {@code com.sun.net.httpserver}; what it answers
 * comes from {@link StatusServer.Routes}. Made only by {@link io.qcfg.internal.PlatformLinked}.
 *
 * <p>Concurrency: one daemon thread, {@code qcfg-http}, serves every request.
 */
public final class JdkStatusTransport implements StatusServer.Transport {
  private final HttpServer server;
  private final ExecutorService pool;

  /** Binds {@code at} and starts serving. @throws IOException when it cannot be bound */
  public JdkStatusTransport(InetSocketAddress at, StatusServer.Routes routes) throws IOException {
    server = HttpServer.create(at, 16);
    pool = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "qcfg-http");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(pool);
    server.createContext("/", ex -> serve(ex, routes));
    server.start();
  }

  @Override
  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
  }

  private static void serve(HttpExchange ex, StatusServer.Routes routes) throws IOException {
    StatusServer.Response r = routes.respond(ex.getRequestMethod(), ex.getRequestURI());
    byte[] body = r.body().getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", r.contentType());
    ex.getResponseHeaders().set("Cache-Control", "no-store");
    ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    boolean head = ex.getRequestMethod().equals("HEAD");
    ex.sendResponseHeaders(r.status(), head ? -1 : body.length);
    if (!head) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
    ex.close();
  }
}
