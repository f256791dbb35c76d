package io.qcfg.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.qcfg.cli.QcfgCli;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * The greeter sample deploys (issue 17 item 6): its rendered production Deployment and Prometheus
 * job, parsed as YAML, fit together and fit the Dockerfile; and a JVM started with exactly the
 * container's environment (the agent from {@code JAVA_TOOL_OPTIONS}, the key ring text from the
 * Secret in {@code QCFG_KEY}, the ConfigMap's items laid out as kubelet mounts them) decrypts the
 * production password, answers the probes' {@code /health} with 200 and serves the scraped {@code
 * /metrics}. Only the image itself is not built: no container runtime here.
 */
@Timeout(120)
class SampleDeploymentIT {
  static final Path SAMPLE = Path.of("..", "samples", "greeter").toAbsolutePath().normalize();
  static final Path CONFIG = SAMPLE.resolve("config");

  static Map<String, Object> deployment;
  static Map<String, Object> container;
  static Map<String, Object> scrape;

  @BeforeAll
  static void render() {
    deployment = yaml(render("k8s-deployment.yaml"));
    Map<String, Object> pod = map(map(map(deployment, "spec"), "template"), "spec");
    container = map(list(pod, "containers").get(0));
    scrape = map(list(yaml(render("prometheus-scrape.yaml")), "scrape_configs").get(0));
  }

  /** Renders a template of the sample for production the way CI would: without the key. */
  static String render(String template) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        QcfgCli.run(
            new String[] {"render", "--dir", CONFIG.toString(), "--env", "production", template},
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    String errText = err.toString(StandardCharsets.UTF_8);
    assertThat(status).as(errText).isZero();
    assertThat(errText).contains("not decrypted (no key): db.password");
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void theDeploymentTakesTheKeyFromASecretAndProbesHealth() {
    assertThat(deployment.get("kind")).isEqualTo("Deployment");
    Map<String, Object> key = map(map(env().get("QCFG_KEY"), "valueFrom"), "secretKeyRef");
    assertThat(key).containsEntry("name", "greeter-qcfg-key").containsEntry("key", "QCFG_KEY");
    assertThat(value("JAVA_TOOL_OPTIONS")).isEqualTo("-javaagent:/opt/qcfg/qcfg.jar");
    assertThat(value("QCFG_ENV")).isEqualTo("production");
    int qcfgPort = port("qcfg");
    assertThat(value("QCFG_HTTP")).isEqualTo("0.0.0.0:" + qcfgPort);
    assertThat(port("http")).isEqualTo(8080);
    for (String probe : List.of("readinessProbe", "livenessProbe")) {
      Map<String, Object> get = map(map(container, probe), "httpGet");
      assertThat(get).as(probe).containsEntry("path", "/health").containsEntry("port", "qcfg");
    }
    // The ConfigMap is mounted where QCFG_DIR points, with the production layer in place.
    Map<String, Object> mount =
        list(container, "volumeMounts").stream().map(SampleDeploymentIT::map)
            .filter(m -> m.get("name").equals("config")).findFirst().orElseThrow();
    assertThat(mount.get("mountPath")).isEqualTo(value("QCFG_DIR"));
    Map<String, Object> configMap = map(volume("config"), "configMap");
    assertThat(configMap.get("name")).isEqualTo("greeter-config");
    assertThat(items()).containsEntry("production.conf", "environments/production.conf")
        .containsKeys("application.conf", "schema.json", "rules.conf");
    // No Secret volume over the secret layer: the password stays ENC[...] (rules.conf wants it).
    assertThat(list(map(map(map(deployment, "spec"), "template"), "spec"), "volumes"))
        .noneMatch(v -> map(v).containsKey("secret"));
  }

  @Test
  void prometheusScrapesTheQcfgPortsMetricsPath() {
    assertThat(scrape.get("metrics_path")).isEqualTo("/metrics");
    List<Map<String, Object>> relabel =
        list(scrape, "relabel_configs").stream().map(SampleDeploymentIT::map).toList();
    assertThat(relabel)
        .anySatisfy(r -> {
          assertThat(r.get("source_labels").toString()).contains("container_port_name");
          assertThat(r.get("regex")).isEqualTo("qcfg"); // the port whose containerPort is QCFG_HTTP's
          assertThat(r.get("action")).isEqualTo("keep");
        })
        .anySatisfy(r -> {
          assertThat(r.get("source_labels").toString()).contains("pod_label_app");
          assertThat(r.get("regex"))
              .isEqualTo(map(map(map(map(deployment, "spec"), "template"), "metadata"), "labels")
                  .get("app"));
        });
  }

  @Test
  void theDockerfileRunsTheAgentFromJavaToolOptionsOnAJre() throws IOException {
    String docker = Files.readString(SAMPLE.resolve("Dockerfile"));
    assertThat(docker).containsPattern("(?m)^FROM \\S+-jre\\b");
    assertThat(docker).contains("COPY agent/target/qcfg.jar /opt/qcfg/qcfg.jar");
    assertThat(docker).contains("JAVA_TOOL_OPTIONS=\"" + value("JAVA_TOOL_OPTIONS") + "\"");
    assertThat(docker).containsPattern("(?m)^EXPOSE .*\\b" + port("qcfg") + "\\b");
  }

  @Test
  void aJvmWithTheContainersEnvironmentIsHealthyAndServesMetrics(@TempDir Path tmp)
      throws Exception {
    // The ConfigMap volume as kubelet lays out the items.
    Path mounted = tmp.resolve("etc-greeter");
    for (var item : items().entrySet()) {
      Path to = mounted.resolve(item.getValue());
      Files.createDirectories(to.getParent());
      Path from = item.getKey().equals("production.conf")
          ? CONFIG.resolve("environments/production.conf") : CONFIG.resolve(item.getKey());
      Files.copy(from, to);
    }
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Map<String, String> env = new LinkedHashMap<>();
    for (var e : env().entrySet()) {
      if (e.getValue().containsKey("value")) {
        env.put(e.getKey(), String.valueOf(e.getValue().get("value")));
      }
    }
    env.put("JAVA_TOOL_OPTIONS",
        env.get("JAVA_TOOL_OPTIONS").replace("/opt/qcfg/qcfg.jar", AppJvm.jar().toString()));
    env.put("QCFG_DIR", mounted.toString());
    env.put("QCFG_STATE", tmp.resolve("var-lib-qcfg").toString());
    env.put("QCFG_HTTP", "127.0.0.1:" + port); // the pod's 0.0.0.0:9460, on a free loopback port
    env.put("QCFG_KEY", Files.readString(SAMPLE.resolve("demo-only.key"))); // the Secret's value

    ProcessBuilder pb = new ProcessBuilder(AppJvm.java(), "-XX:TieredStopAtLevel=1", "-cp",
        AppJvm.testClasses().toString(), "app.Serve");
    pb.environment().keySet().removeIf(k -> k.startsWith("QCFG_") || k.startsWith("CONFIG_FORCE_"));
    pb.environment().putAll(env);
    pb.redirectErrorStream(true);
    Path log = tmp.resolve("jvm.log");
    pb.redirectOutput(log.toFile());
    Process jvm = pb.start();
    try {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
      String base = "http://127.0.0.1:" + port;
      HttpResponse<String> health =
          await().atMost(AppJvm.DEADLINE).ignoreExceptions()
              .until(() -> get(http, base + "/health"), r -> r.statusCode() == 200);
      assertThat(health.body()).contains("\"status\":\"ok\"");
      HttpResponse<String> metrics = get(http, base + scrape.get("metrics_path"));
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.body())
          .contains("qcfg_config_version 1")
          .contains("qcfg_config_last_reload_successful 1");
      String status = get(http, base + "/status").body();
      assertThat(status).contains("\"environment\":\"production\"");
      assertThat(Files.readString(log)).doesNotContain("QCFG-40"); // the password decrypted
    } finally {
      jvm.destroy();
      if (!jvm.waitFor(30, TimeUnit.SECONDS)) {
        jvm.destroyForcibly();
      }
    }
  }

  static HttpResponse<String> get(HttpClient http, String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static Map<String, Map<String, Object>> env() {
    Map<String, Map<String, Object>> out = new LinkedHashMap<>();
    for (Object e : list(container, "env")) {
      out.put((String) map(e).get("name"), map(e));
    }
    return out;
  }

  static String value(String name) {
    return String.valueOf(env().get(name).get("value"));
  }

  static int port(String name) {
    return list(container, "ports").stream().map(SampleDeploymentIT::map)
        .filter(p -> name.equals(p.get("name"))).map(p -> (Integer) p.get("containerPort"))
        .findFirst().orElseThrow();
  }

  static Map<String, Object> volume(String name) {
    return list(map(map(map(deployment, "spec"), "template"), "spec"), "volumes").stream()
        .map(SampleDeploymentIT::map).filter(v -> name.equals(v.get("name")))
        .findFirst().orElseThrow();
  }

  /** ConfigMap key to the path it is mounted at. */
  static Map<String, String> items() {
    Map<String, String> out = new LinkedHashMap<>();
    for (Object i : list(map(volume("config"), "configMap"), "items")) {
      out.put((String) map(i).get("key"), (String) map(i).get("path"));
    }
    return out;
  }

  static Map<String, Object> yaml(String text) {
    return map(new Yaml().load(text));
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object o) {
    assertThat(o).isInstanceOf(Map.class);
    return (Map<String, Object>) o;
  }

  static Map<String, Object> map(Map<String, Object> m, String key) {
    return map(m.get(key));
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Map<String, Object> m, String key) {
    assertThat(m.get(key)).as(key).isInstanceOf(List.class);
    return new ArrayList<>((List<Object>) m.get(key));
  }
}
