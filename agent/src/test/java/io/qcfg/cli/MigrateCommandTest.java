package io.qcfg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code qcfg migrate}: rewriting layer files to a newer config format. */
class MigrateCommandTest {
  static final String ORIGINAL =
      """
      # the database
      db {
        url = "jdbc:x"
        password = "canary-M1"
      }
      http.timeout = 1500
      """;

  @TempDir Path root;
  Path dir;
  String d;

  @BeforeEach
  void config() throws Exception {
    dir = root.resolve("config");
    d = dir.toString();
    write("application.conf", ORIGINAL);
    write(
        "migrations/001-rename.conf",
        """
        steps = [
          { rename = "db.url", to = "database.url" }
          { convert = "http.timeout", from-unit = "ms", to-unit = "s" }
        ]
        """);
    write("secrets/api.token", "canary-M2\n");
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
  void dryRunShowsTheDiffAndTheFilesAndWritesNothing() throws Exception {
    CliRun r = run("migrate", "--dir", d, "--to", "2", "--dry-run");
    assertThat(r.status()).isZero();
    assertThat(r.out())
        .startsWith("--- a/application.conf\n+++ b/application.conf\n@@ ")
        .contains("-  url = \"jdbc:x\"\n")
        .contains("   password = <redacted>\n")
        .contains("-http.timeout = 1500\n")
        .contains("+http.timeout = \"1.5s\"\n")
        .contains("+database.url = \"jdbc:x\"\n")
        .contains("would change " + dir.resolve("application.conf") + "\n")
        .contains("skipped " + dir.resolve("secrets") + ": secret layer")
        .endsWith("dry run: nothing written; 1 file(s) would move to format 2\n");
    assertThat(r.all()).doesNotContain("canary");
    assertThat(Files.readString(dir.resolve("application.conf"))).isEqualTo(ORIGINAL);
    assertThat(dir.resolve(".qcfg-backup")).doesNotExist();
  }

  @Test
  void migrateRewritesKeepsABackupAndIsThenANoOp() throws Exception {
    CliRun r = run("migrate", "--dir", d, "--to", "2");
    assertThat(r.status()).isZero();
    assertThat(r.out())
        .contains("changed " + dir.resolve("application.conf") + "\n")
        .contains("originals backed up in ")
        .endsWith("1 file(s) now at format 2\n");
    assertThat(r.all()).doesNotContain("canary");
    String migrated = Files.readString(dir.resolve("application.conf"));
    assertThat(migrated).contains("qcfg.format = 2").contains("\"1.5s\"").contains("database");
    Path backup;
    try (Stream<Path> dirs = Files.list(dir.resolve(".qcfg-backup"))) {
      backup = dirs.findFirst().orElseThrow();
    }
    assertThat(r.out()).contains("originals backed up in " + backup);
    assertThat(Files.readString(backup.resolve("application.conf"))).isEqualTo(ORIGINAL);
    assertThat(run("validate", "--dir", d).status()).isZero();

    CliRun again = run("migrate", "--dir", d, "--to", "2");
    assertThat(again.status()).isZero();
    assertThat(again.out()).endsWith("nothing to migrate: every layer file is at format 2\n");
    assertThat(Files.readString(dir.resolve("application.conf"))).isEqualTo(migrated);
  }

  @Test
  void secretsOnLinesWhoseKeyIsNoCredentialAreMaskedInTheDiff() throws Exception {
    write(
        "application.conf",
        """
        db { url = "jdbc:x", password = "canary-one-line" }
        service { dsn = "canary-schema", name = a }
        legacy.header = "canary-M2"
        http.timeout = 1500
        """);
    write(
        "schema.json",
        """
        {"type":"object","properties":{"service":{"type":"object",
          "properties":{"dsn":{"type":"string","x-secret":true}}}}}
        """);
    CliRun r = run("migrate", "--dir", d, "--to", "2", "--dry-run");
    assertThat(r.status()).isZero();
    assertThat(r.out())
        .contains("-db { url = \"jdbc:x\", password = \"<redacted>\" }\n")
        .contains("service { dsn = \"<redacted>\", name = a }\n")
        .contains("legacy.header = \"<redacted>\"\n")
        .contains("+database.url = \"jdbc:x\"\n");
    assertThat(r.all()).doesNotContain("canary");
  }

  @Test
  void aMissingMigrationFailsAndNothingIsWritten() throws Exception {
    CliRun r = run("migrate", "--dir", d, "--to", "3");
    assertThat(r.status()).isEqualTo(1);
    assertThat(r.err())
        .startsWith("qcfg migrate: ")
        .contains(dir.resolve("migrations").toString())
        .contains("expected a migration 002-<name>.conf from format 2 to 3")
        .contains("[QCFG-4511]");
    assertThat(Files.readString(dir.resolve("application.conf"))).isEqualTo(ORIGINAL);
  }

  @Test
  void usageErrors() {
    CliRun zero = run("migrate", "--dir", d, "--to", "0");
    assertThat(zero.status()).isEqualTo(2);
    assertThat(zero.err()).contains("format: expected a whole number of at least 1, found 0");
    CliRun none = run("migrate", "--dir", d);
    assertThat(none.status()).isEqualTo(2);
    assertThat(none.err()).contains("Missing required option: '--to=N'");
    CliRun noDir = run("migrate", "--dir", root.resolve("nope").toString(), "--to", "2");
    assertThat(noDir.status()).isEqualTo(2);
    assertThat(noDir.err()).contains("no such directory").contains("[QCFG-5209]");
  }
}
