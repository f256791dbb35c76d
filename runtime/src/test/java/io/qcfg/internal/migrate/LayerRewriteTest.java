package io.qcfg.internal.migrate;

import static io.qcfg.internal.migrate.Fixtures.copy;
import static io.qcfg.internal.migrate.Fixtures.fixture;
import static io.qcfg.internal.migrate.Fixtures.parse;
import static io.qcfg.internal.migrate.Fixtures.problem;
import static io.qcfg.internal.migrate.Fixtures.problems;
import static io.qcfg.internal.migrate.Fixtures.snapshot;
import static io.qcfg.internal.migrate.Fixtures.write;
import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import io.qcfg.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link MigrationPlan#rewrite} on the 03-rewrite fixture and on small bad trees. */
class LayerRewriteTest {
  @TempDir Path dir;

  private static final List<String> CHANGED =
      List.of("application.conf", "environments/production.conf", "local.conf");

  private MigrationResult rewrite(boolean dryRun) {
    return MigrationPlan.load(dir).rewrite(dir, 2, dryRun);
  }

  @Test
  void dryRunShowsTheDiffAndWritesNothing() {
    copy("03-rewrite", dir);
    Map<String, String> before = snapshot(dir);

    MigrationResult result = rewrite(true);

    assertThat(snapshot(dir)).isEqualTo(before);
    assertThat(dir.resolve(LayerRewrite.BACKUP_DIR)).doesNotExist();
    assertThat(result.dryRun()).isTrue();
    assertThat(result.backupDir()).isEmpty();
    assertThat(result.changedFiles())
        .containsExactlyElementsOf(CHANGED.stream().map(dir::resolve).toList());
    assertThat(result.diff())
        .contains("--- a/application.conf\n+++ b/application.conf\n@@ -1,17 +1,22 @@\n")
        .contains("\n-  hosts = \"a.example\"\n")
        .contains("\n+  hosts = [\"a.example\"]\n")
        .contains("\n+qcfg.format = 2\n")
        .contains("\n-legacy.flag = true\n")
        .contains("--- a/environments/production.conf\n+++ b/environments/production.conf\n")
        .contains(
            "--- a/local.conf\n+++ b/local.conf\n@@ -1,2 +1,2 @@\n"
                + "-qcfg.format = 1 # pinned by hand\n+qcfg.format = 2 # pinned by hand\n"
                + " http.hosts = [\"localhost\"]\n")
        .doesNotContain("staging")
        // credential-named keys and ENC values are hidden; the secret layer is never read
        .contains("  password = <redacted>")
        .doesNotContain("ENC[")
        .doesNotContain("hunter2");
  }

  @Test
  void secretsAndTemplatesAreSkippedWithAReason() {
    copy("03-rewrite", dir);
    List<MigrationResult.Skipped> skipped = rewrite(true).skipped();
    assertThat(skipped)
        .extracting(MigrationResult.Skipped::file)
        .containsExactly(
            dir.resolve("secrets"),
            dir.resolve("environments/testing.conf.peb"),
            dir.resolve("templates/env.peb"));
    assertThat(skipped.get(0).reason()).startsWith("secret layer: never rewritten");
    assertThat(skipped.get(1).reason())
        .isEqualTo(
            "Pebble template: qcfg does not rewrite template source; bring its paths to"
                + " format 2 by hand");
  }

  @Test
  void realRunBacksUpRewritesKeepingCommentsAndIsThenANoOp() throws IOException {
    copy("03-rewrite", dir);
    Map<String, String> before = snapshot(dir);

    MigrationResult result = rewrite(false);

    // backup: the originals of exactly the changed files, same relative paths
    Path backup = result.backupDir().orElseThrow();
    assertThat(backup.getParent()).isEqualTo(dir.resolve(".qcfg-backup"));
    assertThat(backup.getFileName().toString()).matches("\\d{8}-\\d{6}");
    Map<String, String> saved = snapshot(backup);
    assertThat(saved.keySet()).containsExactlyInAnyOrderElementsOf(CHANGED);
    CHANGED.forEach(f -> assertThat(saved.get(f)).isEqualTo(before.get(f)));

    // the rewritten files, comments and untouched lines kept (golden files)
    Path expected = fixture("03-rewrite.expected");
    for (String f : CHANGED) {
      assertThat(Files.readString(dir.resolve(f)))
          .as(f)
          .isEqualTo(Files.readString(expected.resolve(f)));
    }
    // untouched: a file the migration does not concern, secrets, templates, migrations
    for (String f :
        List.of(
            "environments/staging.conf",
            "secrets/db.password",
            "environments/testing.conf.peb",
            "templates/env.peb",
            "migrations/001-split-db.conf")) {
      assertThat(Files.readString(dir.resolve(f))).as(f).isEqualTo(before.get(f));
    }
    try (Stream<Path> leftovers = Files.list(dir)) {
      assertThat(leftovers.map(p -> p.getFileName().toString()))
          .noneMatch(n -> n.endsWith(".qcfg-tmp"));
    }

    // migrating again is a no-op, on disk and in memory
    MigrationResult again = rewrite(false);
    assertThat(again.changed()).isFalse();
    assertThat(again.diff()).isEmpty();
    assertThat(again.backupDir()).isEmpty();
    Config merged = merged("production");
    assertThat(MigrationPlan.formatOf(merged)).isEqualTo(2);
    assertThat(MigrationPlan.load(dir).migrate(merged, 2)).isSameAs(merged);
  }

  @Test
  void rewrittenFilesMeanWhatMigratingInMemoryMeans() {
    copy("03-rewrite", dir);
    Config migratedInMemory = MigrationPlan.load(dir).migrate(merged("production"), 2);

    rewrite(false);

    assertThat(merged("production").resolve().root()).isEqualTo(migratedInMemory.resolve().root());
    assertThat(merged("staging").getStringList("http.hosts")).containsExactly("localhost");
  }

  /** local over environment over base, as the layer stack merges them. */
  private Config merged(String env) {
    return parse(dir.resolve("local.conf"))
        .withFallback(parse(dir.resolve("environments/" + env + ".conf")))
        .withFallback(parse(dir.resolve("application.conf")));
  }

  @Test
  void aProblemInAnyFileWritesNothing() {
    copy("03-rewrite", dir);
    write(dir, "environments/staging.conf", "db.url = a\ndatabase.url = b\n");
    Map<String, String> before = snapshot(dir);

    Problem p = problem(() -> rewrite(false));

    assertThat(p.id()).isEqualTo("QCFG-4520");
    assertThat(p.location()).isEqualTo(dir.resolve("environments/staging.conf") + ":1");
    assertThat(p.path()).isEqualTo("db");
    assertThat(snapshot(dir)).isEqualTo(before);
    assertThat(dir.resolve(LayerRewrite.BACKUP_DIR)).doesNotExist();
  }

  @Test
  void eachFileHasItsOwnFormat() {
    write(dir, "migrations/001-a.conf", "steps = [ { rename = \"a\", to = \"b\" } ]");
    write(dir, "migrations/002-b.conf", "steps = [ { rename = \"b\", to = \"c\" } ]");
    write(dir, "application.conf", "qcfg.format = 2\nb = 1\n");
    write(dir, "environments/old.conf", "qcfg.format = 1\na = 2\n");
    write(dir, "environments/new.conf", "b = 3\n");

    MigrationPlan.load(dir).rewrite(dir, 3, false);

    assertThat(read("application.conf")).isEqualTo("qcfg.format = 3\nc = 1\n");
    assertThat(read("environments/old.conf")).isEqualTo("qcfg.format = 3\nc = 2\n");
    // no format line of its own: at the base's format before and after
    assertThat(read("environments/new.conf")).isEqualTo("c = 3\n");
  }

  @Test
  void withoutApplicationConfEveryRewrittenFileGetsTheFormat() {
    write(
        dir,
        "migrations/001-a.conf",
        "steps = [ { rename = \"a\", to = \"b\" }, { default = x, value = 1 } ]");
    write(dir, "local.conf", "# mine\na = 2\n");

    rewrite(false);

    // defaults go to application.conf only, and there is none; the comment moves with its value
    assertThat(read("local.conf")).isEqualTo("qcfg.format = 2\n\n# mine\nb = 2\n");
  }

  @Test
  void aFileNewerThanTheTargetIsRefused() {
    write(dir, "application.conf", "qcfg.format = 2\na = 1\n");
    write(dir, "local.conf", "x = 1\nqcfg.format = 5\n");
    Problem p = problem(() -> rewrite(true));
    assertThat(p.id()).isEqualTo("QCFG-4510");
    assertThat(p.location()).isEqualTo(dir.resolve("local.conf") + ":2");
    assertThat(p.reason()).isEqualTo("config format 5 is newer than this application supports (2)");
  }

  @Test
  void aLayerFileThatDoesNotParseIsAProblemWithItsLine() {
    write(dir, "application.conf", "qcfg.format = 2\na = 1\n");
    write(dir, "environments/production.conf", "a = 1\nb = {\n");
    write(dir, "environments/staging.conf", "qcfg.format = nine\n");
    List<Problem> ps = problems(() -> rewrite(true));
    assertThat(ps).extracting(Problem::id).containsExactly("QCFG-4530", "QCFG-4512");
    assertThat(ps.get(0).location()).isEqualTo(dir.resolve("environments/production.conf") + ":3");
    assertThat(ps.get(0).reason()).startsWith("syntax error: ");
    assertThat(ps.get(1).location()).isEqualTo(dir.resolve("environments/staging.conf") + ":1");
  }

  @Test
  void aMissingMigrationIsReportedOnceForAllFiles() {
    write(dir, "application.conf", "a = 1\n");
    write(dir, "local.conf", "b = 1\n");
    List<Problem> ps = problems(() -> rewrite(true));
    assertThat(ps).extracting(Problem::id).containsExactly("QCFG-4511");
  }

  @Test
  void renamedScalarsKeepTheirCommentsAndLeaveNoStrayLines() {
    write(
        dir,
        "migrations/001-a.conf",
        "steps = [ { rename = \"http.port\", to = \"server.port\" } ]");
    write(
        dir,
        "application.conf",
        """
        qcfg.format = 1
        http {
          # the public port
          port = 8080  # see ops
          host = a
        }
        """);

    rewrite(false);

    assertThat(read("application.conf"))
        .isEqualTo(
            """
            qcfg.format = 2
            http {
              host = a
            }
            # the public port
            # see ops
            server.port = 8080
            """);
  }

  private String read(String rel) {
    try {
      return Files.readString(dir.resolve(rel));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
