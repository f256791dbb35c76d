package io.qcfg.internal;

import io.qcfg.internal.layer.LayerStack;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qcfg.QcfgException;
import io.qcfg.internal.layer.Environment;
import io.qcfg.internal.snapshot.ConfigSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineSmokeTest {
  @TempDir Path dir;

  record Db(String url, int poolSize) {}

  ConfigSnapshot build(String env, Map<String, String> envVars) {
    Pipeline p = new Pipeline(QcfgOptions.defaults(), null, null);
    return p.build(
        new LayerStack.Request(dir, new Environment(env, "option"), Map.of(), new Properties(), envVars, null, null));
  }

  @Test
  void layersMergeWithOrigins() throws Exception {
    Files.writeString(dir.resolve("application.conf"), "http { port = 8080\n timeout = 30s }\ndb { url = \"jdbc:x\", pool-size = 5 }\nlist = [1,2]\n");
    Files.createDirectories(dir.resolve("environments"));
    Files.writeString(dir.resolve("environments/production.conf"), "http.port = 9090\n");
    Files.writeString(dir.resolve("local.conf"), "http.port = 1\n");
    Files.createDirectories(dir.resolve("secrets"));
    Files.writeString(dir.resolve("secrets/db.password"), "hunter2\n");
    ConfigSnapshot s = build("production", Map.of("CONFIG_FORCE_db_pool__size", "7"));
    assertThat(s.getInt("http.port")).isEqualTo(9090);
    assertThat(s.getDuration("http.timeout")).isEqualTo(Duration.ofSeconds(30));
    assertThat(s.getString("db.password")).isEqualTo("hunter2");
    assertThat(s.isSecret("db.password")).isTrue();
    assertThat(s.get("db", Db.class)).isEqualTo(new Db("jdbc:x", 7));
    assertThat(s.origin("http.port").orElseThrow().location()).endsWith("environments/production.conf:1");
    assertThat(s.origin("http.port").orElseThrow().layer()).isEqualTo("environment");
    assertThat(s.origin("db.password").orElseThrow().layer()).isEqualTo("secrets");
    assertThat(s.origin("db.pool-size").orElseThrow().layer()).isEqualTo("environment-variables");
    assertThat(s.render(false)).doesNotContain("hunter2").contains("<redacted>");
    assertThat(s.checksum()).hasSize(64);
    assertThat((List<?>) s.get("list", List.class)).hasSize(2);
  }

  @Test
  void syntaxErrorNamesFileAndLine() throws Exception {
    Files.writeString(dir.resolve("application.conf"), "a = 1\nb = {\n");
    assertThatThrownBy(() -> build("development", Map.of()))
        .isInstanceOf(QcfgException.Invalid.class)
        .hasMessageContaining("application.conf:");
  }

  @Test
  void schemaViolationsAllReported() throws Exception {
    Files.writeString(dir.resolve("application.conf"), "http { port = 70000, host = 5 }\n");
    Files.writeString(dir.resolve("schema.json"), """
        {"type":"object","properties":{"http":{"type":"object","required":["name"],
         "properties":{"port":{"type":"integer","maximum":65535},"host":{"type":"string"}}}}}
        """);
    assertThatThrownBy(() -> build("development", Map.of()))
        .isInstanceOfSatisfying(QcfgException.Invalid.class, e -> {
          assertThat(e.problems()).hasSize(3);
          assertThat(e.getMessage()).contains("application.conf:1: http.port").contains("http.name");
        });
  }

  @Test
  void deepNestingIsAnError() throws Exception {
    Files.writeString(dir.resolve("application.conf"), "a = " + "{b = ".repeat(3000) + "1" + "}".repeat(3000));
    assertThatThrownBy(() -> build("development", Map.of()))
        .isInstanceOf(QcfgException.Invalid.class).hasMessageContaining("nesting");
  }

  @Test
  void includeOutsideIsRefused() throws Exception {
    Path root = dir; // "outside" stays inside this test's own temp dir
    dir = Files.createDirectories(root.resolve("config"));
    Files.writeString(dir.resolve("application.conf"), "include \"../outside.conf\"\n");
    Files.writeString(root.resolve("outside.conf"), "x = 1\n");
    assertThatThrownBy(() -> build("development", Map.of()))
        .isInstanceOf(QcfgException.Invalid.class).hasMessageContaining("leaves the configuration directory");
  }

  @Test
  void encryptedValuesAreDecryptedInMemoryAndRedactedEverywhere() throws Exception {
    io.qcfg.internal.crypto.KeyRing ring = io.qcfg.internal.crypto.KeyRing.generate("k1");
    Path key = dir.resolve("../demo.key");
    Files.writeString(key, ring.render());
    String enc = io.qcfg.internal.crypto.ValueCipher.encrypt(ring, "db.pass", "canary-XYZ");
    Files.writeString(dir.resolve("application.conf"), "db.pass = \"" + enc + "\"\ndb.url = x\n");
    QcfgOptions opts = QcfgOptions.resolve(Map.of("key", key.toString()), new Properties(), Map.of());
    ConfigSnapshot s = new Pipeline(opts, null, null)
        .build(new LayerStack.Request(dir, new Environment("development", "option"), Map.of(), new Properties(), Map.of(), null, null));
    assertThat(s.getString("db.pass")).isEqualTo("canary-XYZ");
    assertThat(s.isSecret("db.pass")).isTrue();
    assertThat(s.isSecret("db")).isTrue();
    assertThat(s.encryptedPaths()).contains("db.pass");
    assertThat(s.render(true)).doesNotContain("canary-XYZ");
    assertThat(s.describe("db")).doesNotContain("canary-XYZ").contains("x");
    assertThat(s.toString()).doesNotContain("canary-XYZ");
    // Without the key: invalid, naming the path, never the ciphertext.
    assertThatThrownBy(() -> build("development", Map.of()))
        .hasMessageContaining("db.pass").hasMessageNotContaining(enc.substring(10, 30));
  }

  @Test
  void templateLayersRenderForTheEnvironment() throws Exception {
    Files.writeString(dir.resolve("application.conf.peb"),
        "app.environment = {{ env | json }}\n{% if env == \"production\" %}\nhttp.port = 443\n{% else %}\nhttp.port = 8080\n{% endif %}\n"
            + "literal = \"{{ '{{' }} 7*7 }}\"\n");
    assertThat(build("production", Map.of()).getInt("http.port")).isEqualTo(443);
    ConfigSnapshot dev = build("development", Map.of());
    assertThat(dev.getInt("http.port")).isEqualTo(8080);
    assertThat(dev.getString("app.environment")).isEqualTo("development");
    assertThat(dev.getString("literal")).isEqualTo("{{ 7*7 }}");
    assertThat(dev.origin("http.port").orElseThrow().location()).contains("application.conf.peb:");
    Files.writeString(dir.resolve("application.conf.peb"), "x = {{ nope }}\n");
    assertThatThrownBy(() -> build("development", Map.of()))
        .hasMessageContaining("application.conf.peb:1").hasMessageContaining("nope");
  }

  @Test
  void schemaMarksSecretsAndValidatesFromOneRead() throws Exception {
    Files.writeString(dir.resolve("application.conf"), "db { dsn = \"s3cr3t-dsn\", port = 5 }\n");
    Files.writeString(dir.resolve("schema.json"),
        "{\"properties\":{\"db\":{\"properties\":{\"dsn\":{\"type\":\"string\",\"x-secret\":true},"
            + "\"port\":{\"type\":\"integer\",\"minimum\":10}}}}}");
    assertThatThrownBy(() -> build("development", Map.of())).hasMessageContaining("db.port");
    Files.writeString(dir.resolve("application.conf"), "db { dsn = \"s3cr3t-dsn\", port = 15 }\n");
    ConfigSnapshot s = build("development", Map.of());
    assertThat(s.isSecret("db.dsn")).isTrue();
    assertThat(s.isSecret("db.port")).isFalse();
    assertThat(s.render(true)).doesNotContain("s3cr3t-dsn");
  }
}
