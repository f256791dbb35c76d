package io.qcfg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Properties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code qcfg render}: user templates and the export formats. */
class RenderCommandTest {
  static final String SECRET = "canary-S3cret";

  @TempDir Path root;
  Path dir;
  String d;

  @BeforeEach
  void config() throws Exception {
    dir = root.resolve("config");
    d = dir.toString();
    write(
        "application.conf",
        """
        http { port = 8080, host = "localhost" }
        db { url = "jdbc:x", pool-size = 4 }
        """);
    write("environments/production.conf", "http.port = 9090\n");
    write("secrets/db.password", SECRET + "\n");
    write(
        "templates/nginx.conf.peb",
        """
        listen {{ config.http.host }}:{{ config.http.port }}; # {{ env }}
        password {{ config.db.password }}
        {% if vars.PATH is defined %}path: yes{% else %}path: no{% endif %}
        """);
    write("templates/with-secret.peb", "pw={{ secret('db.password') }}\n");
  }

  void write(String name, String text) throws Exception {
    Path p = dir.resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
  }

  static CliRun run(String... args) {
    return CliRun.of(args);
  }

  @Test
  void aTemplateSeesEnvConfigWithSecretsRedactedAndAllowedVariables() {
    CliRun dev = run("render", "--dir", d, "--env", "development", "nginx.conf");
    assertThat(dev.status()).isZero();
    assertThat(dev.out())
        .isEqualTo("listen localhost:8080; # development\npassword <redacted>\npath: yes\n");
    // With its .peb suffix too; production sees no environment variable unless listed.
    CliRun prod = run("render", "--dir", d, "--env", "production", "nginx.conf.peb");
    assertThat(prod.out())
        .isEqualTo("listen localhost:9090; # production\npassword <redacted>\npath: no\n");
    CliRun listed =
        run("render", "--dir", d, "--env", "production", "--substitute", "PATH", "nginx.conf");
    assertThat(listed.out()).endsWith("path: yes\n");
    assertThat(dev.all() + prod.all() + listed.all()).doesNotContain(SECRET);
  }

  @Test
  void secretsInTemplatesNeedAllowSecretsAndThenGoToAnOwnerOnlyFile() throws Exception {
    CliRun refused = run("render", "--dir", d, "with-secret");
    assertThat(refused.status()).isEqualTo(1);
    assertThat(withoutClassPathNote(refused.err()))
        .startsWith(
            "qcfg render: cannot render template with-secret for development: 1 problem"
                + " [QCFG-5223]\n  ")
        .contains(dir.resolve("templates/with-secret.peb") + ":1")
        .contains("[QCFG-4411]");
    assertThat(refused.all()).doesNotContain(SECRET);

    Path out = root.resolve("out/deep/app.env");
    CliRun allowed =
        run("render", "--dir", d, "with-secret", "--allow-secrets", "--out", out.toString());
    assertThat(allowed.status()).isZero();
    assertThat(allowed.out())
        .isEqualTo(
            "wrote " + out + " (template with-secret, development, owner-only: holds secrets)\n");
    assertThat(Files.readString(out)).isEqualTo("pw=" + SECRET + "\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out)))
        .isEqualTo("rw-------");
    assertThat(allowed.all()).doesNotContain(SECRET);
  }

  @Test
  void templateProblemsNameTheTemplateAndLine() throws Exception {
    write("templates/broken.peb", "ok\n{{ config.http.nope }}\n");
    CliRun r = run("render", "--dir", d, "broken");
    assertThat(r.status()).isEqualTo(1);
    assertThat(r.err())
        .contains(dir.resolve("templates/broken.peb") + ":2")
        .contains("nope")
        .contains("[QCFG-4401]");
    assertThat(r.out()).isEmpty();

    CliRun missing = run("render", "--dir", d, "nothing-here");
    assertThat(missing.status()).isEqualTo(1);
    assertThat(missing.err()).contains("nothing-here").contains("[QCFG-4403]");

    CliRun outside = run("render", "--dir", d, "../application.conf");
    assertThat(outside.status()).isEqualTo(1);
    assertThat(outside.err()).contains("[QCFG-4405]");
  }

  @Test
  void hoconJsonAndPropertiesHoldEverySettingWithSecretsRedacted() throws Exception {
    CliRun json = run("render", "--dir", d, "--env", "production", "--format", "json");
    assertThat(json.status()).isZero();
    JsonNode tree = new ObjectMapper().readTree(json.out());
    assertThat(tree.at("/http/port").asInt()).isEqualTo(9090);
    assertThat(tree.at("/db/password").asText()).isEqualTo("<redacted>");

    CliRun hocon = run("render", "--dir", d, "--env", "production", "--format", "hocon");
    assertThat(hocon.out()).contains("port=9090").contains("password=\"<redacted>\"");

    CliRun props = run("render", "--dir", d, "--env", "production", "--format", "properties");
    Properties p = new Properties();
    p.load(new StringReader(props.out()));
    assertThat(p)
        .containsEntry("http.port", "9090")
        .containsEntry("db.pool-size", "4")
        .containsEntry("db.password", "<redacted>");
    assertThat(props.out().lines()).isSorted();
    assertThat(json.all() + hocon.all() + props.all()).doesNotContain(SECRET);
  }

  @Test
  void dotenvLeavesSecretsOutUnlessAsked() throws Exception {
    CliRun plain = run("render", "--dir", d, "--format", "dotenv");
    assertThat(plain.status()).isZero();
    assertThat(plain.out())
        .contains("CONFIG_FORCE_http_port=8080\n")
        .contains("CONFIG_FORCE_db_pool__size=4\n")
        .doesNotContain("password")
        .doesNotContain(SECRET);

    Path out = root.resolve("app.env");
    CliRun secrets =
        run(
            "render",
            "--dir",
            d,
            "--format",
            "dotenv",
            "--include-secrets",
            "--out",
            out.toString());
    assertThat(secrets.status()).isZero();
    assertThat(Files.readString(out)).contains("CONFIG_FORCE_db_password=" + SECRET + "\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out)))
        .isEqualTo("rw-------");
    assertThat(secrets.all()).doesNotContain(SECRET);
  }

  @Test
  void kubernetesConfigMapHoldsTheSettingsAndSecretOnlyTheSecrets() throws Exception {
    CliRun map =
        run(
            "render",
            "--dir",
            d,
            "--env",
            "production",
            "--format",
            "k8s-configmap",
            "--name",
            "shop",
            "--namespace",
            "prod");
    assertThat(map.status()).isZero();
    assertThat(map.out())
        .startsWith(
            "apiVersion: \"v1\"\nkind: \"ConfigMap\"\nmetadata:\n  name: \"shop\"\n"
                + "  namespace: \"prod\"\ndata:\n")
        .contains("  \"http.port\": \"9090\"\n")
        .doesNotContain("password");

    CliRun secret = run("render", "--dir", d, "--format", "k8s-secret");
    assertThat(secret.status()).isZero();
    String encoded = Base64.getEncoder().encodeToString(SECRET.getBytes(StandardCharsets.UTF_8));
    assertThat(secret.out())
        .contains("kind: \"Secret\"\n")
        .contains("  name: \"qcfg\"\n")
        .contains("type: \"Opaque\"\n")
        .contains("  \"db.password\": \"" + encoded + "\"\n")
        .doesNotContain("http.port");

    CliRun badName = run("render", "--dir", d, "--format", "k8s-configmap", "--name", "Shop_1");
    assertThat(badName.status()).isEqualTo(2);
    assertThat(badName.err()).contains("Kubernetes name 'Shop_1' is invalid");
  }

  @Test
  void secretsInsideListsAreRedactedAloneAndExportedByIndex() throws Exception {
    write("local.conf", "servers = [{ host = a, password = \"canary-L1\" }]\n");
    JsonNode json =
        new ObjectMapper().readTree(run("render", "--dir", d, "--format", "json").out());
    assertThat(json.at("/servers/0/host").asText()).isEqualTo("a");
    assertThat(json.at("/servers/0/password").asText()).isEqualTo("<redacted>");
    assertThat(run("render", "--dir", d, "--format", "k8s-configmap").out())
        .contains("  \"servers.0.host\": \"a\"\n")
        .doesNotContain("servers.0.password");
    assertThat(run("render", "--dir", d, "--format", "k8s-secret").out())
        .contains(
            "  \"servers.0.password\": \""
                + Base64.getEncoder().encodeToString("canary-L1".getBytes(StandardCharsets.UTF_8))
                + "\"\n");
  }

  @Test
  void outputIsDeterministicAndOutWritesTheSameBytesWithParentDirectories() throws Exception {
    for (String format : RenderCommand.FORMATS) {
      if (format.equals("k8s-secret")) {
        continue;
      }
      CliRun a = run("render", "--dir", d, "--format", format);
      CliRun b = run("render", "--dir", d, "--format", format);
      assertThat(a.status()).as(format).isZero();
      assertThat(a.out()).as(format).isEqualTo(b.out()).isNotBlank();
      Path file = root.resolve("exports/" + format + "/out.txt");
      assertThat(run("render", "--dir", d, "--format", format, "--out", file.toString()).status())
          .isZero();
      String written = Files.readString(file);
      assertThat(written.endsWith("\n") ? written : written + "\n").as(format).isEqualTo(a.out());
    }
    Path map = root.resolve("exports/k8s-configmap/out.txt");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(map)))
        .isNotEqualTo("rw-------")
        .startsWith("rw-");
  }

  @Test
  void anInvalidConfigurationIsReportedOnStderr() throws Exception {
    write("application.conf", "a = ${missing}\n");
    CliRun r = run("render", "--dir", d, "--format", "json");
    assertThat(r.status()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(withoutClassPathNote(r.err()))
        .startsWith("INVALID development: 1 problem [QCFG-5201]\n  ")
        .contains("[QCFG-1010]");
  }

  @Test
  void usageErrors() {
    String[][] cases = {
      {"QCFG-5220", "render", "--dir", d},
      {"QCFG-5220", "render", "--dir", d, "nginx.conf", "--format", "json"},
      {"QCFG-5222", "render", "--dir", d, "--format", "yaml"},
      {"QCFG-5221", "render", "--dir", d, "--format", "json", "--allow-secrets"},
      {"QCFG-5221", "render", "--dir", d, "--format", "json", "--include-secrets"},
      {"QCFG-5221", "render", "--dir", d, "--format", "k8s-secret", "--include-secrets"},
      {"QCFG-5221", "render", "--dir", d, "--format", "json", "--name", "x"},
      {"QCFG-5221", "render", "--dir", d, "nginx.conf", "--namespace", "x"},
    };
    for (String[] c : cases) {
      String[] args = java.util.Arrays.copyOfRange(c, 1, c.length);
      CliRun r = run(args);
      assertThat(r.status()).as(String.join(" ", args)).isEqualTo(2);
      assertThat(r.err())
          .as(String.join(" ", args))
          .startsWith("qcfg render: ")
          .endsWith("[" + c[0] + "]\n");
      assertThat(r.out()).isEmpty();
    }
    assertThat(run("render", "--dir", d, "--format", "yaml").err())
        .isEqualTo(
            "qcfg render: --format: expected one of hocon, json, properties, dotenv,"
                + " k8s-configmap, k8s-secret, found 'yaml' [QCFG-5222]\n");
  }

  @Test
  void helpDescribesTemplatesAndFormats() {
    CliRun help = run("render", "--help");
    assertThat(help.status()).isZero();
    assertThat(help.out())
        .contains("TEMPLATE", "--format", "k8s-secret", "--allow-secrets", "--include-secrets")
        .contains("--out", "--name", "--namespace", "--substitute");
  }

  /** stderr without the note that class-path defaults were not included (no --classpath). */
  static String withoutClassPathNote(String err) {
    return err.replaceFirst("^note: class-path defaults were not included[^\n]*\n", "");
  }
}
