package io.qcfg.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qcfg.Qcfg;
import io.qcfg.QcfgException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The status endpoint over a real runtime and a real HTTP connection. */
@Timeout(60)
class StatusServerTest {
  private static final String CANARY = "canary-S3CRET-9f2";

  @TempDir Path dir;
  @TempDir Path state;
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private int port;

  @BeforeEach
  void start() throws Exception {
    Files.writeString(
        dir.resolve("application.conf"),
        "http { port = 8080 }\ndb { url = \"jdbc:x\", password = \"" + CANARY + "\" }\n"
            + "note = \"<script>alert(1)</script>\"\n");
    Qcfg.start(Map.of("dir", dir.toString(), "state", state.toString(), "watch", "false",
        "jmx", "false", "http", "127.0.0.1:0"));
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> StatusEndpoint.port() > 0);
    port = StatusEndpoint.port();
  }

  @AfterEach
  void stop() {
    Qcfg.stop();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void healthIsOkThen503AfterARejectedChangeThenOkAgain() throws Exception {
    HttpResponse<String> ok = get("/health");
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.body()).contains("\"status\":\"ok\"").contains("\"version\":1");

    Files.writeString(dir.resolve("application.conf"), "http { port = 8080\n");
    assertThatThrownBy(Qcfg::reload).isInstanceOf(QcfgException.class);
    HttpResponse<String> bad = get("/health");
    assertThat(bad.statusCode()).isEqualTo(503);
    assertThat(bad.body()).contains("\"status\":\"rejected\"").contains("application.conf");

    Files.writeString(dir.resolve("application.conf"), "http { port = 9090 }\n");
    Qcfg.reload();
    assertThat(get("/health").statusCode()).isEqualTo(200);
  }

  @Test
  void metricsArePrometheusText() throws Exception {
    HttpResponse<String> m = get("/metrics");
    assertThat(m.statusCode()).isEqualTo(200);
    assertThat(m.headers().firstValue("Content-Type")).hasValueSatisfying(
        t -> assertThat(t).startsWith("text/plain; version=0.0.4"));
    assertThat(m.body())
        .contains("# TYPE qcfg_config_version gauge\nqcfg_config_version 1\n")
        .contains("qcfg_config_last_reload_successful 1\n")
        .contains("# TYPE qcfg_config_reloads_total counter\n")
        .contains("qcfg_config_reloads_total{outcome=\"rejected\"} 0\n")
        .containsPattern("qcfg_config_last_reload_success_timestamp_seconds \\d{10}(\\.\\d+)?\n");
    Files.writeString(dir.resolve("application.conf"), "x = [\n");
    assertThatThrownBy(Qcfg::reload).isInstanceOf(QcfgException.class);
    assertThat(get("/metrics").body())
        .contains("qcfg_config_last_reload_successful 0\n")
        .contains("qcfg_config_reloads_total{outcome=\"rejected\"} 1\n");
  }

  @Test
  void statusJsonAndThePageShowValuesWithSecretsRedactedAndTextEscaped() throws Exception {
    HttpResponse<String> status = get("/status");
    assertThat(status.body()).contains("\"health\":\"ok\"").contains("\"environment\":");
    HttpResponse<String> page = get("/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).contains("text/html; charset=utf-8");
    assertThat(page.body())
        .contains("<span id=\"version\">1</span>")
        .contains("http.port")
        .contains("application.conf:1")
        .contains("&lt;script&gt;")
        .doesNotContain("<script>")
        .contains("&lt;redacted&gt;");
    assertThat(page.body() + status.body()).doesNotContain(CANARY);
  }

  @Test
  void thePageDiffsTwoKeptVersions() throws Exception {
    Files.writeString(dir.resolve("application.conf"),
        "http { port = 9090 }\ndb { url = \"jdbc:y\", password = \"" + CANARY + "-2\" }\n");
    Qcfg.reload();
    HttpResponse<String> page = get("/?from=1&to=2");
    assertThat(page.body())
        .contains("id=\"history\"")
        .contains("id=\"diff\"")
        .contains("http.port")
        .contains("9090")
        .doesNotContain(CANARY);
  }

  @Test
  void writesAreRefusedAndUnknownPathsAre404() throws Exception {
    HttpResponse<String> post = client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
            .POST(HttpRequest.BodyPublishers.ofString("x")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(get("/nope").statusCode()).isEqualTo(404);
  }

  @Test
  void bindAddressesDefaultToLoopback() {
    assertThat(BindAddress.parse("9460")).isEqualTo(new BindAddress("127.0.0.1", 9460));
    assertThat(BindAddress.parse(":9460")).isEqualTo(new BindAddress("127.0.0.1", 9460));
    assertThat(BindAddress.parse("true")).isEqualTo(new BindAddress("127.0.0.1", 9460));
    assertThat(BindAddress.parse("0.0.0.0:80")).isEqualTo(new BindAddress("0.0.0.0", 80));
    assertThat(BindAddress.parse("[::1]:9460")).isEqualTo(new BindAddress("::1", 9460));
    assertThatThrownBy(() -> BindAddress.parse("localhost:http"))
        .isInstanceOf(QcfgException.BadOption.class)
        .hasMessageContaining("option http");
    assertThatThrownBy(() -> BindAddress.parse("70000"))
        .isInstanceOf(QcfgException.BadOption.class);
  }
}
