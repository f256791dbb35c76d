package io.qcfg.internal.http;

import io.qcfg.internal.PlatformLinked;
import io.qcfg.internal.jmx.ConfigOperations;
import io.qcfg.internal.log.Log;
import io.qcfg.internal.snapshot.ConfigSnapshot;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

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
  private final Transport transport;

  private StatusServer(Transport transport) {
    this.transport = transport;
  }

  /**
   * Binds {@code at} and starts serving.
   *
   * @throws IOException when the address cannot be bound (in use, not local)
   */
  public static StatusServer start(BindAddress at, ConfigOperations ops) throws IOException {
    Routes routes = (method, uri) -> respond(ops, method, uri);
    return new StatusServer(PlatformLinked.make("JdkStatusTransport", Transport.class,
        new Class<?>[] {InetSocketAddress.class, Routes.class}, at.socketAddress(), routes));
  }

  /** The bound port (useful with port 0). */
  public int port() {
    return transport.port();
  }

  @Override
  public void close() {
    transport.close();
  }

  /** A response: status, content type, body. */
  public record Response(int status, String contentType, String body) {}

  /** What the server answers, for the transport: never throws. */
  public interface Routes {
    Response respond(String method, URI uri);
  }

  /**
   * The HTTP server itself ({@code io.qcfg.internal.platform.JdkStatusTransport}, on the JDK's
   * {@code com.sun.net.httpserver}): one daemon thread {@code qcfg-http}, every path to {@link
   * Routes}, with {@code Cache-Control: no-store} and {@code X-Content-Type-Options: nosniff}.
   */
  public interface Transport extends AutoCloseable {
    int port();

    @Override
    void close();
  }

  private interface Handler {
    Response handle() throws Exception;
  }

  /**
   * The answer to {@code method uri}. The paths match as the JDK server's contexts did (the
   * longest of {@code /health}, {@code /metrics}, {@code /status}, {@code /} that begins the
   * path).
   */
  static Response respond(ConfigOperations ops, String method, URI uri) {
    String path = uri.getPath() == null ? "/" : uri.getPath();
    Handler handler;
    if (path.startsWith("/health")) {
      handler = () -> health(ops);
    } else if (path.startsWith("/metrics")) {
      handler = () -> Metrics.of(ops);
    } else if (path.startsWith("/status")) {
      handler = () -> status(ops);
    } else {
      handler = () -> StatusPage.render(ops, uri);
    }
    try {
      if (!method.equals("GET") && !method.equals("HEAD")) {
        return new Response(405, "text/plain; charset=utf-8", "read-only: GET or HEAD\n");
      }
      return handler.handle();
    } catch (Exception | LinkageError e) {
      Log.warn("QCFG-5301: the status endpoint failed on " + path + ": "
          + e.getClass().getSimpleName());
      return new Response(500, "text/plain; charset=utf-8", "internal error [QCFG-5301]\n");
    }
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
