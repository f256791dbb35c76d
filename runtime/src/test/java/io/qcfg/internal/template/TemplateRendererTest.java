package io.qcfg.internal.template;

import static io.qcfg.internal.template.TemplateSandboxTest.failure;
import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import io.qcfg.Problem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Layer and user templates over the example configuration in test resources. */
class TemplateRendererTest {
  @TempDir Path base;
  Path configDir;
  TemplateRenderer renderer;

  @BeforeEach
  void copyExamples() throws IOException, URISyntaxException {
    Path examples = Path.of(getClass().getResource("/template/config").toURI());
    configDir = base.resolve("config");
    try (Stream<Path> files = Files.walk(examples)) {
      files.forEach(
          from -> {
            Path to = configDir.resolve(examples.relativize(from).toString());
            try {
              if (Files.isDirectory(from)) {
                Files.createDirectories(to);
              } else {
                Files.copy(from, to);
              }
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
    }
    renderer = new TemplateRenderer(base);
  }

  private static Config hocon(String text) {
    return ConfigFactory.parseString(text, ConfigParseOptions.defaults().setOriginDescription("t"));
  }

  @Test
  void layerTemplateRendersPerEnvironmentAndParsesAsHocon() {
    Path file = configDir.resolve("application.conf.peb");
    assertThat(TemplateRenderer.isLayerTemplate(file)).isTrue();
    Config prod = hocon(renderer.renderLayer(configDir, file, "production", Map.of()));
    assertThat(prod.getInt("http.port")).isEqualTo(443);
    assertThat(prod.getString("app.environment")).isEqualTo("production");
    assertThat(prod.getString("db.url")).isEqualTo("jdbc:postgresql://localhost/shop");
    Config dev =
        hocon(
            renderer.renderLayer(
                configDir, Path.of("application.conf.peb"), "development", Map.of()));
    assertThat(dev.getInt("http.port")).isEqualTo(8080);
  }

  @Test
  void variableValuesStayDataThroughTheJsonFilter() {
    String hostile = "x\" \ninclude file(\"/etc/passwd\")\n{{ 7*7 }}";
    String text =
        renderer.renderLayer(
            configDir,
            configDir.resolve("application.conf.peb"),
            "production",
            Map.of("DB_URL", hostile));
    Config c = hocon(text);
    assertThat(c.getString("db.url")).isEqualTo(hostile);
    assertThat(c.hasPath("include")).isFalse();
  }

  @Test
  void layerLinesStayAlignedWhenTagsTakeWholeLines() {
    Path file = configDir.resolve("environments/production.conf.peb");
    String text = renderer.renderLayer(configDir, file, "production", Map.of("REGION", "eu-1"));
    Config c = hocon(text);
    assertThat(c.getInt("cluster.replicas")).isEqualTo(3);
    assertThat(c.getStringList("cluster.nodes"))
        .containsExactly(
            "node-1.production.internal",
            "node-2.production.internal",
            "node-3.production.internal");
    // Lines 2 and 3 of the template hold values; {% set %} on line 1 renders as an empty line.
    assertThat(c.getValue("cluster.replicas").origin().lineNumber()).isEqualTo(2);
    assertThat(c.getValue("cluster.region").origin().lineNumber()).isEqualTo(3);
  }

  @Test
  void layerTemplateErrorNamesFileAndLine() {
    Path file = configDir.resolve("environments/production.conf.peb");
    Problem p = failure(() -> renderer.renderLayer(configDir, file, "production", Map.of()));
    assertThat(p.id()).isEqualTo("QCFG-4401");
    assertThat(p.location()).isEqualTo("config/environments/production.conf.peb:3");
    assertThat(p.reason()).contains("'REGION'");
  }

  @Test
  void layerTemplatesMayNotReadTheSecretLayer() throws IOException {
    Path file =
        Files.writeString(configDir.resolve("local.conf.peb"), "{% include 'secrets/db.conf' %}");
    Problem p = failure(() -> renderer.renderLayer(configDir, file, "development", Map.of()));
    assertThat(p.id()).isEqualTo("QCFG-4416");
    assertThat(p.location()).isEqualTo("config/local.conf.peb:1");
    assertThat(p.reason()).doesNotContain("s3cr3t");
  }

  @Test
  void layerTemplatesMayIncludeOtherFilesOfTheConfigDirectory() throws IOException {
    Files.writeString(configDir.resolve("common.inc"), "shared = true");
    Path file =
        Files.writeString(configDir.resolve("local.conf.peb"), "{% include 'common.inc' %}\n");
    assertThat(hocon(renderer.renderLayer(configDir, file, "x", Map.of())).getBoolean("shared"))
        .isTrue();
  }

  @Test
  void layerTemplateOutsideTheConfigDirectoryIsRefused() throws IOException {
    Path outside = Files.writeString(base.resolve("evil.conf.peb"), "a = 1");
    Problem p = failure(() -> renderer.renderLayer(configDir, outside, "x", Map.of()));
    assertThat(p.id()).isEqualTo("QCFG-4406");
    Problem q =
        failure(() -> renderer.renderLayer(configDir, Path.of("../evil.conf.peb"), "x", Map.of()));
    assertThat(q.id()).isEqualTo("QCFG-4405");
  }

  private static Map<String, Object> config() {
    return Map.of(
        "app", Map.of("name", "shop"),
        "http", Map.of("port", 443),
        "db", Map.of("url", "jdbc:x", "password", "<redacted>", "note", "{{ 7*7 }}"),
        "cluster", Map.of("nodes", List.of("n1:80", "n2:80")));
  }

  @Test
  void userTemplateUsesExtendsMacrosAndIncludes() {
    String out =
        renderer.renderUserTemplate(
            configDir, "nginx.conf.peb", "production", config(), Map.of(), false, null);
    assertThat(out)
        .isEqualTo(
            "# generated by qcfg render for production; do not edit\n"
                + "upstream app {\n"
                + "  server n1:80;\n"
                + "  server n2:80;\n"
                + "}\n"
                + "server {\n"
                + "  listen 443;\n"
                + "  server_name shop.example.com;\n"
                + "  gzip on;\n"
                + "  gzip_types text/plain application/json;\n"
                + "  location / { proxy_pass http://app; }\n"
                + "}\n"
                + "# end\n");
  }

  @Test
  void userTemplateSecretNeedsAllowSecrets() {
    Problem p =
        failure(
            () ->
                renderer.renderUserTemplate(
                    configDir,
                    "app.env.peb",
                    "production",
                    config(),
                    Map.of(),
                    false,
                    path -> "s3cr3t"));
    assertThat(p.id()).isEqualTo("QCFG-4411");
    assertThat(p.location()).isEqualTo("config/templates/app.env.peb:3");
    assertThat(p.reason()).doesNotContain("s3cr3t");

    String out =
        renderer.renderUserTemplate(
            configDir,
            "app.env.peb",
            "production",
            config(),
            Map.of(),
            true,
            path -> path.equals("db.password") ? "s3cr3t" : null);
    assertThat(out).isEqualTo("APP_NAME=shop\nDB_URL=jdbc:x\nDB_PASSWORD=s3cr3t\n");
  }

  @Test
  void userTemplateSeesRedactedConfigAndValuesAreNotRenderedAgain() throws IOException {
    Files.writeString(
        configDir.resolve("templates/show.peb"), "{{ config.db.password }} {{ config.db.note }}");
    assertThat(
            renderer.renderUserTemplate(
                configDir, "show.peb", "x", config(), Map.of(), false, null))
        .isEqualTo("<redacted> {{ 7*7 }}");
  }

  @Test
  void userTemplatesCannotReachTheConfigDirectory() throws IOException {
    Files.writeString(configDir.resolve("templates/up.peb"), "{% include '../secrets/db.conf' %}");
    Problem p =
        failure(
            () ->
                renderer.renderUserTemplate(
                    configDir, "up.peb", "x", config(), Map.of(), false, null));
    assertThat(p.id()).isEqualTo("QCFG-4405");
    assertThat(p.location()).isEqualTo("config/templates/up.peb:1");
    assertThat(
            failure(
                    () ->
                        renderer.renderUserTemplate(
                            configDir,
                            "../application.conf.peb",
                            "x",
                            config(),
                            Map.of(),
                            false,
                            null))
                .id())
        .isEqualTo("QCFG-4405");
  }
}
