package com.example.greeter;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.qcfg.ConfigChange;
import io.qcfg.ConfigValue;
import io.qcfg.OnConfigChange;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small HTTP service whose settings are plain fields. Run it under the agent:
 *
 * <pre>
 * java -javaagent:agent/target/qcfg.jar=dir=samples/greeter/config \
 *      -cp samples/target/qcfg-samples.jar com.example.greeter.GreeterService
 * </pre>
 *
 * then edit {@code samples/greeter/config/application.conf} and call {@code
 * http://localhost:8080/hello} again: no restart.
 */
public final class GreeterService {
  @ConfigValue("greeter.greeting")
  private String greeting = "hello";

  @ConfigValue("greeter.rate-limit-per-second")
  private int rateLimit = 10;

  @ConfigValue("greeter.features")
  private Map<String, Boolean> features = Map.of();

  @ConfigValue("greeter.log-level")
  private LogLevel logLevel = LogLevel.INFO;

  @ConfigValue("greeter.languages")
  private List<String> languages = List.of("en");

  @ConfigValue(value = "db", required = true)
  private DbSettings db;

  @ConfigValue("http.port")
  private static int port = 8080;

  /** Loopback unless told otherwise; the container sets 0.0.0.0 (CONFIG_FORCE_http_host). */
  @ConfigValue("http.host")
  private static String host = "127.0.0.1";

  @ConfigValue("greeter.workers")
  private int workers = 2;

  private final ThreadPoolExecutor pool =
      (ThreadPoolExecutor) Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "greeter-worker");
        t.setDaemon(true);
        return t;
      });
  private final AtomicLong served = new AtomicLong();

  enum LogLevel {
    DEBUG,
    INFO,
    WARN
  }

  /** Called by qcfg after the fields of a new snapshot are written. */
  @OnConfigChange
  void configChanged(ConfigChange change) {
    int size = Math.max(1, workers);
    if (size > pool.getMaximumPoolSize()) {
      pool.setMaximumPoolSize(size);
      pool.setCorePoolSize(size);
    } else {
      pool.setCorePoolSize(size);
      pool.setMaximumPoolSize(size);
    }
    System.out.println(
        "config version " + change.newSnapshot().version() + " applied; changed: "
            + change.changedPaths() + "; workers=" + size);
  }

  String hello() {
    served.incrementAndGet();
    String text = greeting + (features.getOrDefault("exclaim", false) ? "!" : "");
    if (logLevel == LogLevel.DEBUG) {
      System.out.println("debug: served " + served.get() + " requests");
    }
    return text + "\n";
  }

  String settings() {
    return "greeting=" + greeting + "\nrateLimit=" + rateLimit + "\nfeatures=" + features
        + "\nlogLevel=" + logLevel + "\nlanguages=" + languages + "\nworkers=" + workers
        + "\ndb.url=" + db.url() + "\ndb.poolSize=" + db.poolSize() + "\ndb.timeout="
        + db.timeout() + "\n";
  }

  public static void main(String[] args) throws IOException {
    GreeterService service = new GreeterService();
    HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
    server.createContext("/hello", ex -> respond(ex, service.hello()));
    server.createContext("/settings", ex -> respond(ex, service.settings()));
    server.setExecutor(service.pool);
    server.start();
    System.out.println(
        "greeter listening on http://" + host + ":" + port + "/hello (settings: /settings)");
  }

  private static void respond(HttpExchange ex, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(200, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }
}
