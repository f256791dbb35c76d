package io.qcfg.internal.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.qcfg.internal.log.Log;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A gateway that answers a watch with something undecodable: the watch must count it as an
 * outage (log, reconnect, resync), never die silently. A fake server, so no etcd is needed.
 */
class EtcdGarbledAnswerTest {
  private final CountDownLatch done = new CountDownLatch(1);
  private final AtomicInteger watches = new AtomicInteger();
  private final ByteArrayOutputStream log = new ByteArrayOutputStream();
  private HttpServer server;

  @BeforeEach
  void start() throws IOException {
    Log.redirect(new PrintStream(log, true, StandardCharsets.UTF_8));
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/v3/kv/range", x -> answer(x, "{\"header\":{\"revision\":\"6\"}}"));
    server.createContext("/v3/watch", this::watch);
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.start();
  }

  @AfterEach
  void stop() {
    Log.redirect(System.err);
    done.countDown();
    server.stop(0);
  }

  private void watch(HttpExchange x) throws IOException {
    String key = Base64.getEncoder().encodeToString("/p/application.conf".getBytes(StandardCharsets.UTF_8));
    x.sendResponseHeaders(200, 0);
    try (OutputStream out = x.getResponseBody()) {
      if (watches.incrementAndGet() == 1) {
        line(out, "{\"result\":{\"header\":{\"revision\":\"5\"},\"created\":true}}");
        line(out, "{\"result\":{\"events\":[{\"kv\":{\"key\":\"%%% not base64\",\"mod_revision\":\"6\"}}]}}");
      } else {
        line(out, "{\"result\":{\"header\":{\"revision\":\"6\"},\"created\":true}}");
        line(out, "{\"result\":{\"events\":[{\"kv\":{\"key\":\"" + key
            + "\",\"mod_revision\":\"7\",\"value\":\"YT0x\"}}]}}");
      }
      done.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void line(OutputStream out, String json) throws IOException {
    out.write((json + "\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static void answer(HttpExchange x, String json) throws IOException {
    byte[] b = json.getBytes(StandardCharsets.UTF_8);
    x.sendResponseHeaders(200, b.length);
    try (OutputStream out = x.getResponseBody()) {
      out.write(b);
    }
  }

  @Test
  void anUndecodableEventIsAnOutageThenAResync() {
    URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    Events events = new Events();
    try (EtcdSource s = EtcdSource.connect(List.of(url), "/p/", Optional.empty(), Duration.ofSeconds(2));
        EtcdWatch w = s.watch(4, events)) {
      await().atMost(Duration.ofSeconds(10)).until(() -> events.reached(7));

      assertThat(events.all).hasSize(2);
      assertThat(events.all.get(0))
          .isEqualTo(new EtcdEvent.ResyncRequired(6, EtcdEvent.Reason.RECONNECTED,
              "the watch was interrupted (an answer qcfg could not decode"
                  + " (IllegalArgumentException)) and is back"));
      assertThat(events.changes().get(0).puts())
          .containsExactly(new EtcdFile("/p/application.conf", "a=1", 7));
      assertThat(log.toString(StandardCharsets.UTF_8))
          .contains("/p/: lost the watch (an answer qcfg could not decode"
              + " (IllegalArgumentException)); reconnecting, the layer will be read again once back"
              + " [QCFG-4620]");
    }
  }
}
