package io.qcfg.internal.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.qcfg.internal.jmx.ConfigOperations;
import io.qcfg.internal.log.Log;
import io.qcfg.internal.snapshot.ConfigSnapshot;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The HTTP endpoint ({@code http=HOST:PORT}) over the same {@link ConfigOperations} port as the
 * MBean, read-only:
 *
 * <ul>
 *   <li>{@code GET /health}: 200 while the active configuration is the latest good one; 503 with
 *       the reason while the last change was rejected or before the first snapshot;
 *   <li>{@code GET /metrics}: Prometheus text format ({@link Metrics});
 *   <li>{@code GET /status}: the state as one JSON object;
 *   <li>{@code GET /}: a plain HTML page ({@link StatusPage}); {@code GET /?from=A&to=B} adds the
 *       diff of two kept versions.
 * </ul>
 *
 * <p>Concurrency: one daemon thread, {@code qcfg-http}, serves every request; it only reads the
 * published snapshot and the counters, so a slow client never touches the applier.
 */
public final class StatusServer implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService pool;

  private StatusServer(HttpServer server, ExecutorService pool) {
    this.server = server;
    this.pool = pool;
  }

  /**
   * Binds {@code at} and starts serving.
   *
   * @throws IOException when the address cannot be bound (in use, not local)
   */
  public static StatusServer start(BindAddress at, ConfigOperations ops) throws IOException {
    HttpServer server = HttpServer.create(at.socketAddress(), 16);
    ExecutorService pool =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "qcfg-http");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(pool);
    server.createContext("/health", ex -> serve(ex, () -> health(ops)));
    server.createContext("/metrics", ex -> serve(ex, () -> Metrics.of(ops)));
    server.createContext("/status", ex -> serve(ex, () -> status(ops)));
    server.createContext("/", ex -> serve(ex, () -> StatusPage.render(ops, ex.getRequestURI())));
    server.start();
    return new StatusServer(server, pool);
  }

  /** The bound port (useful with port 0). */
  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
  }

  /** A response: status, content type, body. */
  record Response(int status, String contentType, String body) {}

  private interface Handler {
    Response handle() throws Exception;
  }

  private static void serve(HttpExchange ex, Handler handler) throws IOException {
    Response r;
    try {
      if (!ex.getRequestMethod().equals("GET") && !ex.getRequestMethod().equals("HEAD")) {
        r = new Response(405, "text/plain; charset=utf-8", "read-only: GET or HEAD\n");
      } else {
        r = handler.handle();
      }
    } catch (Exception | LinkageError e) {
      Log.warn("QCFG-5301: the status endpoint failed on " + ex.getRequestURI().getPath() + ": "
          + e.getClass().getSimpleName());
      r = new Response(500, "text/plain; charset=utf-8", "internal error [QCFG-5301]\n");
    }
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

  static Response health(ConfigOperations ops) {
    ConfigSnapshot s = ops.current();
    Map<String, Object> m = new LinkedHashMap<>();
    int status;
    if (s == null) {
      status = 503;
      m.put("status", "starting");
      m.put("reason", "no configuration has been applied yet");
    } else if (!ops.lastReloadSuccessful()) {
      status = 503;
      m.put("status", "rejected");
      m.put("version", s.version());
      m.put("reason", firstLine(ops.lastError()));
    } else {
      status = 200;
      m.put("status", "ok");
      m.put("version", s.version());
    }
    return new Response(status, "application/json", Json.write(m) + "\n");
  }

  static Response status(ConfigOperations ops) {
    ConfigSnapshot s = ops.current();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("health", s == null ? "starting" : ops.lastReloadSuccessful() ? "ok" : "rejected");
    if (s != null) {
      m.put("version", s.version());
      m.put("checksum", s.checksum());
      m.put("environment", s.environment());
      m.put("environmentSource", s.environmentSource());
      m.put("cause", s.cause());
    }
    m.put("loadedAt", ops.loadedAt() == null ? null : ops.loadedAt().toString());
    m.put("lastReloadSuccessful", ops.lastReloadSuccessful());
    m.put("lastError", ops.lastError());
    m.put("reloadCount", ops.reloadCount());
    m.put("rejectedCount", ops.rejectedCount());
    if (ops.etcdRevision() >= 0) {
      m.put("etcdRevision", ops.etcdRevision());
      m.put("etcdStatus", ops.etcdStatus());
    }
    io.qcfg.internal.engine.GuardState g = ops.probation();
    if (g.enabled()) { // issue 18
      m.put("probation", g.probation());
      m.put("confirmedVersion", g.confirmedVersion());
      m.put("healthy", g.healthy());
      m.put("quarantined", g.quarantinedChecksum());
      m.put("lastAutoRollback", g.lastAutoRollback());
    }
    return new Response(200, "application/json", Json.write(m) + "\n");
  }

  static String firstLine(String text) {
    int nl = text.indexOf('\n');
    return nl < 0 ? text : text.substring(0, nl);
  }
}
