package io.qcfg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code validate}, {@code print} and {@code render} of a production configuration with {@code
 * ENC[...]} values and no key (issue 17 item 6): shape and key id checked, values kept opaque and
 * named as not decrypted; {@code --require-decrypt} restores QCFG-4020; never a plaintext.
 */
@Timeout(60)
class WithoutKeyCliTest {
  static final String PLAIN = "canary-Pr0d-Passw0rd";

  @TempDir Path root;
  Path dir;
  String d;
  String enc;

  @BeforeEach
  void config() throws Exception {
    dir = root.resolve("config");
    d = dir.toString();
    Path key = root.resolve("prod.ring");
    assertThat(CliRun.of("keygen", "--id", "prod1", "--out", key.toString()).status()).isZero();
    CliRun e = CliRun.of("encrypt", "--key", key.toString(), "--path", "db.password", PLAIN);
    assertThat(e.status()).isZero();
    enc = e.out().trim();
    write("application.conf", "db { url = \"jdbc:x\", pool-size = 5 }\n");
    write("environments/production.conf", "db.password = \"" + enc + "\"\n");
    // A value rule that only the plaintext could satisfy, and the rule that wants ENC.
    write(
        "schema.json",
        """
        {"type":"object","properties":{"db":{"type":"object","properties":{
          "password":{"type":"string","writeOnly":true,"pattern":"^canary-"}}}}}
        """);
    write("rules.conf", "rules = [ { encrypted = \"db.password\", in = [production] } ]\n");
    write("templates/k8s.yaml.peb", "env: {{ env }}\npassword: {{ config.db.password }}\n");
  }

  void write(String name, String text) throws Exception {
    Path p = dir.resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
  }

  @Test
  void validateWithoutKeyChecksShapeAndSaysWhatWasNotDecrypted() {
    CliRun r = CliRun.of("validate", "--dir", d, "--env", "production");
    assertThat(r.status()).as(r.all()).isZero();
    assertThat(r.out())
        .startsWith("OK production: 3 settings")
        .contains(
            "note: 1 ENC[...] value was not decrypted (no key): db.password; checked for shape"
                + " and key id only")
        .contains("[QCFG-4022]");
    assertThat(r.all()).doesNotContain(PLAIN).doesNotContain(enc);
  }

  @Test
  void validateAllEnvsAndJsonWithoutKey() throws Exception {
    CliRun all = CliRun.of("validate", "--dir", d, "--all-envs");
    assertThat(all.status()).as(all.all()).isZero();
    CliRun json = CliRun.of("validate", "--dir", d, "--env", "production", "--json");
    assertThat(json.status()).isZero();
    JsonNode report = new ObjectMapper().readTree(json.out()).get(0);
    assertThat(report.get("valid").asBoolean()).isTrue();
    assertThat(report.get("notDecrypted").get(0).asText()).isEqualTo("db.password");
  }

  @Test
  void requireDecryptRestoresTheStrictCheck() {
    CliRun r = CliRun.of("validate", "--dir", d, "--env", "production", "--require-decrypt");
    assertThat(r.status()).isEqualTo(1);
    assertThat(r.out())
        .contains("INVALID production")
        .contains("db.password")
        .contains("for key 'prod1'")
        .contains("[QCFG-4020]");
    CliRun render =
        CliRun.of("render", "--dir", d, "--env", "production", "--require-decrypt", "k8s.yaml");
    assertThat(render.status()).isEqualTo(1);
    assertThat(render.err()).contains("[QCFG-4020]");
    assertThat(r.all() + render.all()).doesNotContain(PLAIN).doesNotContain(enc);
  }

  @Test
  void withTheKeyTheSchemaSeesThePlaintext() throws Exception {
    Path key = root.resolve("prod.ring");
    write(
        "schema.json",
        """
        {"type":"object","properties":{"db":{"type":"object","properties":{
          "password":{"type":"string","writeOnly":true,"pattern":"^nope"}}}}}
        """);
    CliRun strict =
        CliRun.of("validate", "--dir", d, "--env", "production", "--key", key.toString());
    assertThat(strict.status()).isEqualTo(1);
    assertThat(strict.out()).contains("db.password").contains("[QCFG-1204]");
    assertThat(strict.all()).doesNotContain(PLAIN);
  }

  @Test
  void renderAndPrintWithoutKeyRedactAndNoteOnStderr() {
    CliRun r = CliRun.of("render", "--dir", d, "--env", "production", "k8s.yaml");
    assertThat(r.status()).as(r.all()).isZero();
    assertThat(r.out()).isEqualTo("env: production\npassword: <redacted>\n");
    assertThat(r.err()).contains("not decrypted (no key): db.password").contains("QCFG-4022");
    CliRun cm = CliRun.of("render", "--dir", d, "--env", "production", "--format", "k8s-configmap");
    assertThat(cm.status()).as(cm.all()).isZero();
    assertThat(cm.out()).contains("kind: \"ConfigMap\"").doesNotContain("password");
    CliRun p = CliRun.of("print", "--dir", d, "--env", "production");
    assertThat(p.status()).as(p.all()).isZero();
    assertThat(p.out()).contains("<redacted>");
    assertThat(p.err()).contains("QCFG-4022");
    assertThat(r.all() + cm.all() + p.all()).doesNotContain(PLAIN).doesNotContain(enc);
  }

  @Test
  void outputThatHoldsSecretsStillNeedsTheKey() {
    CliRun r = CliRun.of("render", "--dir", d, "--env", "production", "--format", "k8s-secret");
    assertThat(r.status()).isEqualTo(1);
    assertThat(r.err()).contains("[QCFG-4020]").doesNotContain(enc);
  }

  @Test
  void aMalformedEncValueIsStillRejectedWithoutKey() throws Exception {
    String broken = enc.substring(0, enc.length() - 1); // no closing bracket
    write("environments/production.conf", "db.password = \"" + broken + "\"\n");
    CliRun r = CliRun.of("validate", "--dir", d, "--env", "production");
    assertThat(r.status()).isEqualTo(1);
    assertThat(r.out()).contains("db.password").contains("no closing ']'").contains("[QCFG-4010]");

    write("environments/production.conf", "db.password = \"ENC[v1,bad key!,AAAA]\"\n");
    CliRun badId = CliRun.of("validate", "--dir", d, "--env", "production");
    assertThat(badId.status()).isEqualTo(1);
    assertThat(badId.out()).contains("not a key id").contains("[QCFG-4010]");

    write("environments/production.conf", "db.password = \"ENC[v2,prod1,AAAA]\"\n");
    CliRun version = CliRun.of("render", "--dir", d, "--env", "production", "k8s.yaml");
    assertThat(version.status()).isEqualTo(1);
    assertThat(version.err()).contains("[QCFG-4011]");
    assertThat(r.all() + badId.all() + version.all()).doesNotContain(PLAIN);
  }
}
