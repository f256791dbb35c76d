package io.qcfg.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qcfg.QcfgException;
import io.qcfg.internal.crypto.KeyRing;
import io.qcfg.internal.crypto.ValueCipher;
import io.qcfg.internal.layer.Environment;
import io.qcfg.internal.layer.LayerStack;
import io.qcfg.internal.snapshot.ConfigSnapshot;
import io.qcfg.internal.template.ConfigExporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Issue 13 item 6: a value made from a secret is secret; ENC values take part decrypted. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SecretSubstitutionTest {
  @TempDir Path dir;
  @TempDir Path keys;
  final KeyRing ring = KeyRing.generate("k1");

  ConfigSnapshot build(Map<String, String> envVars) throws Exception {
    Path key = keys.resolve("qcfg.key");
    Files.writeString(key, ring.render());
    QcfgOptions options = QcfgOptions.resolve(Map.of("key", key.toString(), "state",
        keys.resolve("state").toString()), new Properties(), Map.of());
    return new Pipeline(options, null, null).build(new LayerStack.Request(dir,
        new Environment("development", "test"), Map.of(), new Properties(), envVars, null, null));
  }

  void write(String name, String text) throws Exception {
    Path p = dir.resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
  }

  @Test
  void copiesAndConcatenationsOfASecretAreSecret() throws Exception {
    write("application.conf", """
        db.url = "postgres://app:"${db.password}"@db/app"
        copy = ${db.password}
        whole = ${db}
        plain = "not secret"
        """);
    write("secrets/db.password", "hunter2-canary");
    ConfigSnapshot s = build(Map.of());
    assertThat(s.getString("db.url")).isEqualTo("postgres://app:hunter2-canary@db/app");
    assertThat(s.isSecret("db.url")).isTrue();
    assertThat(s.isSecret("copy")).isTrue();
    assertThat(s.isSecret("whole.password")).isTrue();
    assertThat(s.isSecret("plain")).isFalse();
    assertThat(s.render(false)).doesNotContain("hunter2-canary");
    assertThat(s.render(true)).doesNotContain("hunter2-canary");
    assertThat(s.sealedJson()).doesNotContain("hunter2-canary");
    assertThat(s.describe("db.url")).doesNotContain("hunter2-canary");
    ConfigExporter exporter = new ConfigExporter(s.config(), s::isSecret);
    assertThat(exporter.hocon() + exporter.json() + exporter.properties()
        + exporter.k8sConfigMap("app", "ns")).doesNotContain("hunter2-canary");
  }

  @Test
  void aSecretEnvironmentVariableMakesItsConcatenationSecret() throws Exception {
    write("application.conf", "url = \"pg://app:\"${DB_PASSWORD}\"@db\"\nhost = ${HOSTNAME_X}\n");
    ConfigSnapshot s = build(Map.of("DB_PASSWORD", "env-canary", "HOSTNAME_X", "h1"));
    assertThat(s.getString("url")).isEqualTo("pg://app:env-canary@db");
    assertThat(s.isSecret("url")).isTrue();
    assertThat(s.isSecret("host")).isFalse();
    assertThat(s.sealedJson()).doesNotContain("env-canary");
  }

  @Test
  void anEncryptedValueIsDecryptedAtItsOwnPathBeforeItIsConcatenated() throws Exception {
    String enc = ValueCipher.encrypt(ring, "api.token", "tok-canary");
    write("application.conf", "api.token = \"" + enc + "\"\nauth = \"Bearer \"${api.token}\n"
        + "copy = ${api.token}\n");
    ConfigSnapshot s = build(Map.of());
    assertThat(s.getString("auth")).isEqualTo("Bearer tok-canary");
    assertThat(s.getString("copy")).isEqualTo("tok-canary");
    assertThat(s.getString("api.token")).isEqualTo("tok-canary");
    assertThat(s.isSecret("auth")).isTrue();
    assertThat(s.isSecret("copy")).isTrue();
    assertThat(s.encryptedPaths()).contains("api.token");
    // history keeps the ciphertext of the ENC path and seals the derived ones
    assertThat(s.sealedJson()).contains(enc).doesNotContain("tok-canary");
    assertThat(s.render(false)).doesNotContain("tok-canary").doesNotContain("Bearer ENC");
  }

  @Test
  void ciphertextIsNeverDeliveredInsideAConcatenation() throws Exception {
    // The ENC value sits under an optional override: it cannot be decrypted before the resolve.
    String enc = ValueCipher.encrypt(ring, "api.token", "tok-canary");
    write("application.conf", "api.token = \"" + enc + "\"\n");
    write("environments/development.conf", "api.token = ${?API_TOKEN}\n"
        + "auth = \"Bearer \"${api.token}\n");
    assertThatThrownBy(() -> build(Map.of()))
        .isInstanceOfSatisfying(QcfgException.Invalid.class, e -> {
          assertThat(e.problems()).extracting(p -> p.id()).contains("QCFG-4021");
          assertThat(e.getMessage()).doesNotContain("tok-canary").doesNotContain(enc);
        });
  }
}
