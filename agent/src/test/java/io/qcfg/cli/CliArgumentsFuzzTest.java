package io.qcfg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Any command line ends in exit status 0, 1 or 2 with a message: never an unexpected exception
 * (QCFG-5299), never a secret. Random argument lists from the CLI's own vocabulary plus junk, with
 * a fixed seed so a failure can be replayed.
 */
class CliArgumentsFuzzTest {
  static final String[] WORDS = {
    "validate",
    "print",
    "diff",
    "status",
    "reload",
    "rollback",
    "get",
    "history",
    "set",
    "unset",
    "switch-env",
    "attach",
    "render",
    "keygen",
    "encrypt",
    "decrypt",
    "migrate",
    "sign",
    "verify-signature",
    "audit",
    "verify",
    "--format",
    "json",
    "dotenv",
    "k8s-secret",
    "--to",
    "--dry-run",
    "--path",
    "--i-am-an-operator",
    "--rotate",
    "--keygen",
    "--public-key",
    "--include-secrets",
    "--allow-secrets",
    "--substitute",
    "--id",
    "help",
    "--all-envs",
    "--json",
    "--origins",
    "--env",
    "--to-env",
    "--env-b",
    "--to-dir",
    "--from-dir",
    "--dir",
    "--state",
    "--key",
    "--pid",
    "--options",
    "-h",
    "--version",
    "production",
    "qa",
    "1",
    "-1",
    "0",
    "99999999999999999999",
    "http.port",
    "db.password",
    "a..b",
    "\"x\"",
    "=",
    ",",
    "dir=",
    "nope=1",
    "",
    " ",
    "--",
    "-",
    "ü",
    "${x}",
    "--dir=",
    "--pid=abc"
  };

  /** The first words of {@link #WORDS} are the verbs. */
  static final int VERBS = 19;

  /** pid verbs reach no JVM here: the test must not attach to the machine's other JVMs. */
  static final Jvms NOWHERE =
      new Jvms() {
        @Override
        public JvmConnection open(long pid) {
          throw CliFailure.failed("QCFG-5204", "pid " + pid + ": cannot attach: test");
        }

        @Override
        public List<Long> list() {
          return List.of(42L);
        }

        @Override
        public boolean marked(long pid) {
          throw CliFailure.failed("QCFG-5204", "pid " + pid + ": cannot attach: test");
        }
      };

  @TempDir Path dir;

  @Test
  void everyCommandLineEndsInAStatusAndAMessage() throws Exception {
    Files.writeString(
        dir.resolve("application.conf"), "http.port = 8080\ndb.password = \"canary-XYZ\"\n");
    Files.createDirectories(dir.resolve("environments"));
    Files.writeString(dir.resolve("environments/qa.conf"), "http.port = [\n");
    Random random = new Random(20250131);
    int[] seen = new int[3];
    // No --out in the vocabulary: files would land in the working directory.
    for (int i = 0; i < 150; i++) {
      List<String> args = new ArrayList<>();
      int n = random.nextInt(5);
      for (int j = 0; j < n; j++) {
        args.add(WORDS[random.nextInt(WORDS.length)]);
      }
      // Mostly a verb somewhere near the front, mostly a real directory.
      if (random.nextInt(4) > 0) {
        args.add(random.nextInt(args.size() + 1), WORDS[random.nextInt(VERBS)]);
      }
      if (random.nextInt(3) > 0) {
        args.add("--dir=" + dir);
      }
      if (args.contains("attach")) {
        continue; // would look for qcfg.jar; covered in QcfgCliTest
      }
      CliRun r = CliRun.of(NOWHERE, args.toArray(new String[0]));
      assertThat(r.status()).as("%s", args).isBetween(0, 2);
      seen[r.status()]++;
      assertThat(r.err()).as("%s", args).doesNotContain("QCFG-5299");
      assertThat(r.all()).as("%s", args).doesNotContain("canary");
      if (r.status() != 0) {
        assertThat(r.out() + r.err()).as("%s", args).isNotBlank();
      }
    }
    // The vocabulary reaches every outcome: success, failure and usage error.
    assertThat(seen).doesNotContain(0);
  }
}
