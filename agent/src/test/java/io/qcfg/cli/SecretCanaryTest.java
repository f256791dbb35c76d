package io.qcfg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.qcfg.Qcfg;
import io.qcfg.internal.crypto.KeyRing;
import io.qcfg.internal.crypto.ValueCipher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Planted secrets (a secret-layer file and an {@code ENC[...]} value) never appear in what any verb
 * that reads configuration prints: stdout, stderr and qcfg's log, on success and on failure.
 */
class SecretCanaryTest {
  static final String SECRET = "canary-SECRET-77";
  static final String ENCRYPTED = "canary-ENC-88";

  @TempDir Path root;
  Path dir;
  Path state;
  Path key;
  List<String> common;

  @BeforeEach
  void plant() throws Exception {
    dir = root.resolve("config");
    state = root.resolve("state");
    key = root.resolve("qcfg.key");
    KeyRing ring = KeyRing.generate("k1");
    Files.writeString(key, ring.render());
    Files.setPosixFilePermissions(
        key, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    String enc = ValueCipher.encrypt(ring, "api.key", ENCRYPTED);
    write(
        "application.conf",
        """
        http { port = 8080, host = "localhost" }
        db {
          url = "jdbc:x"
          password = "placeholder"
        }
        api.key = "%s"
        """
            .formatted(enc));
    write("environments/production.conf", "http.port = 9090\n");
    write("environments/perf.conf.peb", "http.port = {{ 7000 + 1 }}\n");
    write("secrets/db.password", SECRET + "\n");
    write(
        "templates/app.conf.peb",
        "db={{ config.db.password }} api={{ config.api.key }} port={{ config.http.port }}\n");
    write("templates/steal.peb", "{{ secret('db.password') }}\n");
    write("migrations/001-db.conf", "steps = [ { rename = \"db.url\", to = \"database.url\" } ]\n");
    common = List.of("--dir", dir.toString(), "--key", key.toString(), "--state", state.toString());

    // A real instance leaves history and an audit log, with a secret changed on the way.
    Qcfg.start(
        Map.of(
            "dir",
            dir.toString(),
            "state",
            state.toString(),
            "key",
            key.toString(),
            "watch",
            "false",
            "jmx",
            "false"));
    Qcfg.setOverride("http.port", "9091");
    Qcfg.setOverride("db.password", "\"canary-SECRET-override\"");
    Qcfg.stop();
  }

  @AfterEach
  void stop() {
    Qcfg.stop();
  }

  void write(String name, String text) throws Exception {
    Path p = dir.resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
  }

  CliRun run(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(common);
    return CliRun.of(all.toArray(new String[0]));
  }

  @Test
  void noVerbThatReadsConfigurationShowsAPlantedSecret() throws Exception {
    String[][] succeeding = {
      {"validate"},
      {"validate", "--env", "production"},
      {"validate", "--all-envs"},
      {"validate", "--all-envs", "--json"},
      {"print"},
      {"print", "--json"},
      {"print", "--origins"},
      {"print", "--origins", "--json"},
      {"print", "--env", "production", "--origins"},
      {"diff", "--env", "development", "--to-env", "production"},
      {"diff", "--env", "development", "--to-env", "perf", "--json"},
      {"render", "app.conf"},
      {"render", "--env", "production", "app.conf.peb"},
      {"render", "--format", "hocon"},
      {"render", "--format", "json"},
      {"render", "--format", "properties"},
      {"render", "--format", "dotenv"},
      {"render", "--format", "k8s-configmap"},
      {"render", "--format", "json", "--out", root.resolve("out/x.json").toString()},
      {"history"},
      {"history", "--json"},
      {"migrate", "--to", "2", "--dry-run"},
      {"audit", "verify"},
    };
    StringBuilder everything = new StringBuilder();
    for (String[] args : succeeding) {
      CliRun r = run(args);
      assertThat(r.status()).as("%s: %s", String.join(" ", args), r.err())
          .isEqualTo(args[0].equals("diff") ? 1 : 0); // diff: 1 = differences
      assertClean(r, args);
      everything.append(r.out());
    }
    // The runs did see the secrets, as redacted values.
    assertThat(everything).contains("<redacted>").contains("db=<redacted> api=<redacted>");
    assertThat(Files.readString(root.resolve("out/x.json"))).doesNotContain("canary");

    // Failing runs: a template asking for a secret, a migration that cannot run, a diff to a
    // missing environment, and an edited audit log.
    String[][] failing = {
      {"render", "steal"},
      {"migrate", "--to", "3", "--dry-run"},
      {"diff", "--to-env", "nowhere"},
      {"render", "--format", "k8s-configmap", "--name", "Bad_Name"},
    };
    for (String[] args : failing) {
      CliRun r = run(args);
      assertThat(r.status()).as(String.join(" ", args)).isPositive();
      assertClean(r, args);
    }
  }

  @Test
  void problemsAboutSecretValuesDoNotShowThem() throws Exception {
    write(
        "schema.json",
        """
        {"type":"object","properties":{
          "db":{"type":"object","properties":{"password":{"type":"integer","maxLength":3}}},
          "api":{"type":"object","properties":{"key":{"type":"string","pattern":"^x$"}}}}}
        """);
    String[][] runs = {
      {"validate"},
      {"validate", "--all-envs", "--json"},
      {"print"},
      {"print", "--origins"},
      {"diff", "--to-env", "production"},
      {"render", "app.conf"},
      {"render", "--format", "json"},
    };
    for (String[] args : runs) {
      CliRun r = run(args);
      assertThat(r.status()).as(String.join(" ", args)).isEqualTo(1);
      assertThat(r.out() + r.err()).as(String.join(" ", args)).contains("db.password");
      assertClean(r, args);
    }
  }

  private static void assertClean(CliRun r, String[] args) {
    assertThat(r.all())
        .as(String.join(" ", args))
        .doesNotContain(SECRET)
        .doesNotContain(ENCRYPTED)
        .doesNotContain("canary");
  }
}
