package io.qcfg.internal.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.qcfg.Problem;
import io.qcfg.QcfgException;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class ConfigExporterTest {
  static final String CONF =
      "app { name = shop, note = \"{{ 7*7 }}\", hosts = [a, b] }\n"
          + "db { url = \"jdbc:x\", pool-size = 10, password = PW-SECRET-1, ratio = 0.5 }\n"
          + "api { token = TOKEN-SECRET-2, enabled = true }\n"
          + "tls { keys = [KEY-SECRET-3, KEY-SECRET-4] }\n"
          + "my_app.max_conn = 5\n"
          + "nothing = null\n";

  /** The same tree with keys in another order. */
  static final String CONF_REORDERED =
      "nothing = null\n"
          + "tls { keys = [KEY-SECRET-3, KEY-SECRET-4] }\n"
          + "my_app { max_conn = 5 }\n"
          + "api { enabled = true, token = TOKEN-SECRET-2 }\n"
          + "db { ratio = 0.5, password = PW-SECRET-1, pool-size = 10, url = \"jdbc:x\" }\n"
          + "app { hosts = [a, b], note = \"{{ 7*7 }}\", name = shop }\n";

  static final List<String> SECRETS =
      List.of("PW-SECRET-1", "TOKEN-SECRET-2", "KEY-SECRET-3", "KEY-SECRET-4");

  /** Secret by last segment, as DESIGN's naming rule does; "tls.keys" is secret as a list. */
  static final Predicate<String> IS_SECRET = path -> path.matches(".*(password|token|keys)$");

  static final Map<String, String> PLAINTEXT =
      Map.of(
          "db.password", "PW-SECRET-1",
          "api.token", "TOKEN-SECRET-2",
          "tls.keys.0", "KEY-SECRET-3",
          "tls.keys.1", "KEY-SECRET-4");

  static ConfigExporter exporter(String text) {
    return new ConfigExporter(ConfigFactory.parseString(text), IS_SECRET);
  }

  static void assertNoSecret(String out) {
    for (String secret : SECRETS) {
      assertThat(out).doesNotContain(secret);
    }
  }

  @Test
  void everyNonSecretFormatIsDeterministicAndRedacted() {
    ConfigExporter a = exporter(CONF);
    ConfigExporter b = exporter(CONF_REORDERED);
    for (Function<ConfigExporter, String> format :
        List.<Function<ConfigExporter, String>>of(
            ConfigExporter::hocon,
            ConfigExporter::json,
            ConfigExporter::properties,
            e -> e.dotenv(false, null),
            e -> e.k8sConfigMap("shop-config", "prod"))) {
      String out = format.apply(a);
      assertThat(out).isEqualTo(format.apply(b)).isEqualTo(format.apply(exporter(CONF)));
      assertNoSecret(out);
      assertThat(out).contains("{{ 7*7 }}");
    }
  }

  @Test
  void hoconAndJsonReadBackAsTheRedactedTree() {
    for (String text : List.of(exporter(CONF).hocon(), exporter(CONF).json())) {
      Config back = ConfigFactory.parseString(text);
      assertThat(back.getString("app.note")).isEqualTo("{{ 7*7 }}");
      assertThat(back.getInt("db.pool-size")).isEqualTo(10);
      assertThat(back.getString("db.password")).isEqualTo(ConfigExporter.REDACTED);
      assertThat(back.getStringList("tls.keys"))
          .containsExactly(ConfigExporter.REDACTED, ConfigExporter.REDACTED);
      assertThat(back.getIsNull("nothing")).isTrue();
      assertThat(text).doesNotContain("#"); // no origin comments
    }
    assertThat(exporter(CONF).json()).startsWith("{\n").contains("\"api\" : {");
  }

  @Test
  void propertiesAreFlatSortedEscapedAndLoadable() throws IOException {
    String text = exporter(CONF).properties();
    assertThat(text)
        .startsWith("api.enabled=true\napi.token=<redacted>\napp.hosts.0=a\napp.hosts.1=b\n")
        .contains("db.pool-size=10\n")
        .doesNotContain("nothing");
    Properties loaded = new Properties();
    loaded.load(new StringReader(text));
    assertThat(loaded.getProperty("app.note")).isEqualTo("{{ 7*7 }}");
    assertThat(loaded.getProperty("db.ratio")).isEqualTo("0.5");
    assertThat(loaded.getProperty("tls.keys.1")).isEqualTo(ConfigExporter.REDACTED);

    String tricky = "\"a key\" = \" lead=x:y#z!w\\\\v\\n\u00e9\u2028\"";
    String trickyText = exporter(tricky).properties();
    assertThat(trickyText).isEqualTo("\"a\\ key\"=\\ lead\\=x\\:y\\#z\\!w\\\\v\\n\\u00E9\\u2028\n");
    Properties back = new Properties();
    back.load(new StringReader(trickyText));
    assertThat(back.getProperty("\"a key\"")).isEqualTo(" lead=x:y#z!w\\v\n\u00e9\u2028");
  }

  @Test
  void dotenvUsesTypesafeOverrideNamesAndLeavesSecretsOut() {
    String text = exporter(CONF).dotenv(false, null);
    assertThat(text)
        .isEqualTo(
            "CONFIG_FORCE_api_enabled=true\n"
                + "CONFIG_FORCE_app_hosts_0=a\n"
                + "CONFIG_FORCE_app_hosts_1=b\n"
                + "CONFIG_FORCE_app_name=shop\n"
                + "CONFIG_FORCE_app_note={{ 7*7 }}\n"
                + "CONFIG_FORCE_db_pool__size=10\n"
                + "CONFIG_FORCE_db_ratio=0.5\n"
                + "CONFIG_FORCE_db_url=jdbc:x\n"
                + "CONFIG_FORCE_my___app_max___conn=5\n");
    // Read back the way Typesafe Config reads CONFIG_FORCE_ variables: names decoded to
    // property paths, numeric keys becoming list indices.
    Map<String, String> decoded = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      int eq = line.indexOf('=');
      decoded.put(TypesafeEnvNames.decode(line.substring(0, eq)), line.substring(eq + 1));
    }
    Config back = ConfigFactory.parseMap(decoded);
    assertThat(back.getStringList("app.hosts")).containsExactly("a", "b");
    assertThat(back.getInt("db.pool-size")).isEqualTo(10);
    assertThat(back.getInt("my_app.max_conn")).isEqualTo(5);
    assertThat(back.getBoolean("api.enabled")).isTrue();
  }

  @Test
  void dotenvWithSecretsReadsPlaintext() {
    String text = exporter(CONF).dotenv(true, PLAINTEXT::get);
    assertThat(text)
        .contains("CONFIG_FORCE_db_password=PW-SECRET-1\n")
        .contains("CONFIG_FORCE_tls_keys_1=KEY-SECRET-4\n")
        .doesNotContain(ConfigExporter.REDACTED);
    assertEveryPlaintextMissing(() -> exporter(CONF).dotenv(true, path -> null), "dotenv");
  }

  @Test
  void dotenvRefusesLineBreaksAndUnmangleableKeysNamingEveryPath() {
    ConfigExporter e = exporter("a.text = \"x\\ny\"\n\"b c\" = 1\nd--e = 2\nok = 3\n_lead = 4\n");
    QcfgException.Invalid invalid =
        catchThrowableOfType(() -> e.dotenv(false, null), QcfgException.Invalid.class);
    assertThat(invalid.problems())
        .extracting(Problem::path)
        .containsExactly("_lead", "a.text", "\"b c\"", "d--e");
    assertThat(invalid.problems())
        .extracting(Problem::id)
        .containsExactly("QCFG-4451", "QCFG-4450", "QCFG-4451", "QCFG-4451");
    assertThat(invalid.problems().get(1).location()).isEqualTo("export dotenv");
    assertThat(invalid.problems().get(1).reason()).contains("line break").doesNotContain("x\ny");
  }

  @Test
  void dotenvNameMangles() {
    assertThat(ConfigExporter.dotenvName("db.pool-size")).isEqualTo("CONFIG_FORCE_db_pool__size");
    assertThat(ConfigExporter.dotenvName("a_b.c")).isEqualTo("CONFIG_FORCE_a___b_c");
    assertThatThrownBy(() -> ConfigExporter.dotenvName("a.b-"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void configMapHoldsNonSecretKeysQuotedSafely() throws IOException {
    String yaml =
        exporter(CONF + "quote = \"say \\\"hi\\\"\\\\ \\t\\u0001\"\n").k8sConfigMap("shop", "prod");
    assertThat(yaml)
        .startsWith(
            "apiVersion: \"v1\"\nkind: \"ConfigMap\"\nmetadata:\n  name: \"shop\"\n"
                + "  namespace: \"prod\"\ndata:\n  \"api.enabled\": \"true\"\n")
        .contains("  \"db.pool-size\": \"10\"\n")
        .contains("  \"quote\": \"say \\\"hi\\\"\\\\ \\t\\u0001\"\n")
        .doesNotContain("password")
        .doesNotContain("token")
        .doesNotContain("tls.keys");
    assertNoSecret(yaml);
    Map<String, String> data = yamlData(yaml);
    assertThat(data.get("quote")).isEqualTo("say \"hi\"\\ \t\u0001");
    assertThat(data.get("app.note")).isEqualTo("{{ 7*7 }}");
    assertThat(data).hasSize(10);
  }

  @Test
  void secretManifestHoldsOnlySecretsAsBase64() throws IOException {
    String yaml = exporter(CONF).k8sSecret("shop-secrets", null, PLAINTEXT::get);
    assertThat(yaml).contains("kind: \"Secret\"\n").contains("type: \"Opaque\"\n");
    assertThat(yaml).doesNotContain("namespace");
    assertNoSecret(yaml);
    Map<String, String> data = yamlData(yaml);
    assertThat(data).containsOnlyKeys("api.token", "db.password", "tls.keys.0", "tls.keys.1");
    assertThat(
            new String(Base64.getDecoder().decode(data.get("db.password")), StandardCharsets.UTF_8))
        .isEqualTo("PW-SECRET-1");
    assertEveryPlaintextMissing(
        () -> exporter(CONF).k8sSecret("s", null, path -> null), "k8s-secret");
  }

  @Test
  void emptyDataAndBadNamesAndKeys() {
    assertThat(exporter("password = x").k8sConfigMap("c", null)).endsWith("data: {}\n");
    assertThatThrownBy(() -> exporter(CONF).k8sConfigMap("Bad_Name", null))
        .isInstanceOf(QcfgException.BadOption.class)
        .hasMessageContaining("'Bad_Name'");
    assertThatThrownBy(() -> exporter(CONF).k8sConfigMap("ok", "no.dots"))
        .isInstanceOf(QcfgException.BadOption.class);
    Problem p = single(() -> exporter("\"a b\" = 1").k8sConfigMap("c", null));
    assertThat(p.id()).isEqualTo("QCFG-4452");
    assertThat(p.path()).isEqualTo("\"a b\"");
    assertThat(p.location()).isEqualTo("export k8s-configmap");
  }

  @Test
  void unresolvedSubstitutionIsAProblem() {
    Problem p =
        single(() -> new ConfigExporter(ConfigFactory.parseString("a = ${nope}"), IS_SECRET));
    assertThat(p.id()).isEqualTo("QCFG-4454");
  }

  @Test
  void yamlQuoteEscapesLineBreakLookalikes() {
    assertThat(ConfigExporter.yamlQuote("a\u2028b\u0085c\u007f"))
        .isEqualTo("\"a\\u2028b\\u0085c\\u007f\"");
  }

  private static void assertEveryPlaintextMissing(Runnable r, String format) {
    QcfgException.Invalid e = catchThrowableOfType(r::run, QcfgException.Invalid.class);
    assertThat(e.problems())
        .extracting(Problem::path)
        .containsExactly("api.token", "db.password", "tls.keys.0", "tls.keys.1");
    assertThat(e.problems()).allMatch(p -> p.id().equals("QCFG-4453"));
    assertThat(e.problems()).allMatch(p -> p.location().equals("export " + format));
  }

  private static Problem single(Runnable r) {
    QcfgException.Invalid e = catchThrowableOfType(r::run, QcfgException.Invalid.class);
    assertThat(e).isNotNull();
    assertThat(e.problems()).hasSize(1);
    assertThat(e.getMessage()).contains("[" + e.problems().get(0).id() + "]");
    return e.problems().get(0);
  }

  /**
   * The {@code data:} entries of a manifest. Every scalar is written double-quoted with JSON-style
   * escapes only, so each quoted scalar must also parse as a JSON string: that checks the quoting
   * without a YAML library.
   */
  static Map<String, String> yamlData(String yaml) throws IOException {
    ObjectMapper json = new ObjectMapper();
    Map<String, String> data = new LinkedHashMap<>();
    boolean inData = false;
    for (String line : yaml.split("\n")) {
      if (line.equals("data:")) {
        inData = true;
      } else if (inData) {
        assertThat(line).startsWith("  \"");
        int split = line.indexOf("\": \"");
        data.put(
            json.readValue(line.substring(2, split + 1), String.class),
            json.readValue(line.substring(split + 3), String.class));
      }
    }
    return data;
  }
}
