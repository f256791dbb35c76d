package io.qcfg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The offline verbs, in-process on temporary configuration directories. */
class QcfgCliTest {
  static final String CANARY = "canary-XYZ";

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
        db { url = "jdbc:x", password = "%s" }
        old.flag = true
        """
            .formatted(CANARY));
    write(
        "environments/production.conf",
        """
        http.port = 9090
        db.password = "canary-PROD"
        feature.fast = true
        """);
    write("secrets/api.token", "canary-TOKEN\n");
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
  void validateSaysOkWithCountAndChecksum() {
    CliRun r = run("validate", "--dir", d, "--env", "production");
    assertThat(r.status()).isZero();
    assertThat(r.out()).matches("OK production: 7 settings, checksum [0-9a-f]{12}\\R");
    // Flags may also come before the verb.
    assertThat(run("--dir", d, "--env", "production", "validate").out()).isEqualTo(r.out());
  }

  @Test
  void validatePrintsEveryProblemGroupedPerEnvironment() throws Exception {
    write(
        "schema.json",
        """
        {"type":"object","properties":{"http":{"type":"object",
          "properties":{"port":{"type":"integer","maximum":9000},"host":{"type":"integer"}}}}}
        """);
    write("environments/qa.conf", "http.port = 100\n");
    CliRun r = run("validate", "--dir", d, "--all-envs");
    assertThat(r.status()).isEqualTo(1);
    String[] lines = r.out().split("\\R");
    assertThat(lines)
        .contains(
            "INVALID development: 1 problem [QCFG-5201]",
            "INVALID production: 2 problems [QCFG-5201]",
            "INVALID qa: 1 problem [QCFG-5201]",
            "INVALID staging: 1 problem [QCFG-5201]",
            "INVALID testing: 1 problem [QCFG-5201]");
    assertThat(lines[lines.length - 1])
        .isEqualTo(
            "5 of 5 environments invalid: development, production, qa, staging, testing"
                + " [QCFG-5243]");
    String production = r.out().substring(r.out().indexOf("INVALID production"));
    production = production.substring(0, production.indexOf("INVALID qa"));
    assertThat(production)
        .contains("  " + dir.resolve("environments/production.conf") + ":1: http.port: ")
        .contains("  " + dir.resolve("application.conf") + ":1: http.host: ")
        .containsPattern("\\[QCFG-\\d{4}\\]");
    assertThat(r.all()).doesNotContain("canary");
  }

  @Test
  void allEnvsRendersLayerTemplatesForEachEnvironmentAndNamesTheOneThatFails() throws Exception {
    // Renders in every environment but staging, where it names an undefined variable.
    write(
        "application.conf.peb",
        """
        http { port = 8080, host = "localhost" }
        {% if env == "staging" %}
        http.workers = {{ workers_for_staging }}
        {% endif %}
        """);
    Files.delete(dir.resolve("application.conf"));
    write("environments/perf.conf.peb", "http.port = {{ 7000 + 1 }}\n");
    CliRun r = run("validate", "--dir", d, "--all-envs");
    assertThat(r.status()).isEqualTo(1);
    String[] lines = r.out().split("\\R");
    assertThat(lines)
        .containsSubsequence(
            "INVALID staging: 1 problem [QCFG-5201]",
            "1 of 5 environments invalid: staging [QCFG-5243]")
        .anyMatch(l -> l.matches("OK perf: \\d+ settings, checksum [0-9a-f]{12}"))
        .anyMatch(l -> l.startsWith("OK production: "))
        .anyMatch(l -> l.startsWith("OK development: "));
    String staging = lines[List.of(lines).indexOf("INVALID staging: 1 problem [QCFG-5201]") + 1];
    assertThat(staging)
        .startsWith("  " + dir.resolve("application.conf.peb") + ":3: ")
        .contains("workers_for_staging")
        .endsWith("[QCFG-4401]");
    // The template layer of perf is rendered for perf: 7001.
    assertThat(run("print", "--dir", d, "--env", "perf", "--json").out()).contains("7001");
  }

  @Test
  void validateJsonListsEachEnvironment() throws Exception {
    write("environments/broken.conf", "http = {\n");
    CliRun r = run("validate", "--dir", d, "--all-envs", "--json");
    assertThat(r.status()).isEqualTo(1);
    JsonNode report = new ObjectMapper().readTree(r.out());
    assertThat(report).hasSize(5);
    assertThat(report.get(0).get("environment").asText()).isEqualTo("broken");
    assertThat(report.get(0).get("valid").asBoolean()).isFalse();
    assertThat(report.get(0).get("problems").get(0).get("location").asText())
        .endsWith("environments/broken.conf:1"); // where the unclosed object starts
    assertThat(report.get(1).get("valid").asBoolean()).isTrue();
    assertThat(report.get(1).get("checksum").asText()).hasSize(64);
  }

  @Test
  void allEnvironmentsAreTheKnownOnesPlusEveryEnvironmentFile() throws Exception {
    write("environments/qa.conf", "");
    write("environments/perf.conf.peb", "");
    write("environments/notes.txt", "");
    assertThat(OfflineConfig.allEnvironments(dir))
        .containsExactly("development", "perf", "production", "qa", "staging", "testing");
  }

  @Test
  void usageErrorsExitWithTwo() {
    CliRun unknown = run("frobnicate");
    assertThat(unknown.status()).isEqualTo(2);
    assertThat(unknown.err()).contains("frobnicate");

    CliRun none = run();
    assertThat(none.status()).isEqualTo(2);
    assertThat(none.err()).contains("Usage: qcfg").contains("validate");

    CliRun both = run("validate", "--dir", d, "--env", "qa", "--all-envs");
    assertThat(both.status()).isEqualTo(2);
    assertThat(both.err())
        .isEqualTo("qcfg validate: give either --env or --all-envs, not both [QCFG-5211]\n");

    CliRun badFlag = run("print", "--dir", d, "--colour");
    assertThat(badFlag.status()).isEqualTo(2);
    assertThat(badFlag.err()).startsWith("qcfg print: unknown option '--colour'").contains("QCFG-5247");

    assertThat(run("diff", "--dir", d, "1", "2").err()).contains("QCFG-5212");
    assertThat(run("diff", "--pid", "1", "7").status()).isEqualTo(2);
  }

  @Test
  void aMissingConfigurationDirectoryIsNamed() {
    CliRun r = run("validate", "--dir", root.resolve("nope").toString());
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "qcfg validate: "
                + root.resolve("nope")
                + ": no such directory; point --dir at the configuration directory (default:"
                + " ./config) [QCFG-5209]\n");
    // Without --dir: ./config of the working directory, which has none here.
    CliRun byDefault = run("print");
    assertThat(byDefault.status()).isEqualTo(2);
    assertThat(byDefault.err()).startsWith("qcfg print: config: no such directory");
  }

  @Test
  void printShowsTheEffectiveConfigurationWithOrigins() throws Exception {
    CliRun hocon = run("print", "--dir", d, "--env", "production");
    assertThat(hocon.status()).isZero();
    assertThat(hocon.out()).contains("port=9090").contains("<redacted>");

    JsonNode json =
        new ObjectMapper()
            .readTree(run("print", "--dir", d, "--env", "production", "--json").out());
    assertThat(json.get("http").get("port").asInt()).isEqualTo(9090);
    assertThat(json.get("db").get("password").asText()).isEqualTo("<redacted>");

    CliRun origins = run("print", "--dir", d, "--env", "production", "--origins");
    assertThat(origins.out().split("\\R"))
        .contains(
            "http.port = 9090  # "
                + dir.resolve("environments/production.conf")
                + ":1 (environment)",
            "http.host = localhost  # " + dir.resolve("application.conf") + ":1 (base)",
            "api.token = <redacted>  # " + dir.resolve("secrets/api.token") + " (secrets)",
            "db.password = <redacted>  # "
                + dir.resolve("environments/production.conf")
                + ":2 (environment)");

    JsonNode leaves =
        new ObjectMapper().readTree(run("print", "--dir", d, "--origins", "--json").out());
    assertThat(leaves.findValuesAsText("path")).contains("http.port", "db.password");
    assertThat(leaves.get(0).fieldNames())
        .toIterable()
        .containsExactly("path", "value", "location", "layer", "secret");
  }

  @Test
  void printOfAnInvalidConfigurationShowsTheProblems() throws Exception {
    write("application.conf", "a = ${missing}\n");
    CliRun r = run("print", "--dir", d);
    assertThat(r.status()).isEqualTo(1);
    assertThat(r.out())
        .startsWith("INVALID development: 1 problem [QCFG-5201]\n  ")
        .contains("application.conf:1")
        .contains("[QCFG-1010]");
  }

  @Test
  void diffOfTwoEnvironments() {
    CliRun r = run("diff", "--dir", d, "--env", "development", "--to-env", "production");
    assertThat(r.status()).as("differences exit 1, as diff(1) does").isEqualTo(1);
    String prod = dir.resolve("environments/production.conf").toString();
    String[] lines = r.out().split("\\R");
    assertThat(lines[0]).matches("--- \\Q" + d + "\\E \\(development, checksum [0-9a-f]{12}\\)");
    assertThat(lines[1])
        .matches("\\+\\+\\+ \\Q" + d + "\\E \\(production, checksum [0-9a-f]{12}\\)");
    assertThat(lines)
        .endsWith(
            "~ db.password: <redacted> -> <redacted>  # " + prod + ":2 (environment)",
            "+ feature.fast = true  # " + prod + ":3 (environment)",
            "~ http.port: 8080 -> 9090  # " + prod + ":1 (environment)",
            "3 changes")
        .hasSize(6);
    // --env-b is the same option.
    assertThat(run("diff", "--dir", d, "--env", "development", "--env-b", "production").out())
        .isEqualTo(r.out());
  }

  @Test
  void diffOfTwoDirectories() throws Exception {
    Path other = root.resolve("other");
    Files.createDirectories(other);
    Files.writeString(
        other.resolve("application.conf"),
        "http { port = 8080, host = \"example.org\" }\ndb { url = \"jdbc:x\", password = \""
            + CANARY
            + "\" }\n");
    CliRun r = run("diff", "--from-dir", d, "--to-dir", other.toString(), "--env", "development");
    assertThat(r.status()).isEqualTo(1);
    assertThat(r.out())
        .contains(
            "~ http.host: localhost -> \"example.org\"  # "
                + other.resolve("application.conf")
                + ":1 (base)")
        .contains("- old.flag = true  # " + dir.resolve("application.conf") + ":3 (base)")
        .contains("- api.token = <redacted>")
        .doesNotContain("db.password")
        .endsWith("3 changes\n");
    CliRun same = run("diff", "--dir", d, "--to-dir", d);
    assertThat(same.out()).endsWith("no differences\n");
    assertThat(same.status()).as("no differences exit 0").isZero();
  }

  @Test
  void diffWithAnInvalidSideFails() throws Exception {
    write("environments/staging.conf", "x = [\n");
    CliRun r = run("diff", "--dir", d, "--to-env", "staging");
    assertThat(r.status()).isEqualTo(1);
    assertThat(r.out())
        .contains("INVALID staging (" + d + "): 1 problem [QCFG-5201]")
        .contains("environments/staging.conf:");
  }

  @Test
  void secretsNeverAppearInAnyOutput() throws Exception {
    StringBuilder everything = new StringBuilder();
    String[][] runs = {
      {"validate", "--dir", d},
      {"validate", "--dir", d, "--all-envs", "--json"},
      {"print", "--dir", d},
      {"print", "--dir", d, "--json"},
      {"print", "--dir", d, "--origins"},
      {"print", "--dir", d, "--origins", "--json"},
      {"print", "--dir", d, "--env", "production", "--origins"},
      {"diff", "--dir", d, "--to-env", "production"},
      {"diff", "--dir", d, "--to-env", "production", "--json"},
    };
    for (String[] args : runs) {
      CliRun r = run(args);
      assertThat(r.status()).as(String.join(" ", args))
          .isEqualTo(args[0].equals("diff") ? 1 : 0); // diff: 1 = differences
      everything.append(r.all());
    }
    assertThat(everything).contains("<redacted>").doesNotContain("canary");
  }

  @Test
  void helpDocumentsTheVerbsAndTheDiffSyntax() {
    CliRun help = run("--help");
    assertThat(help.status()).isZero();
    assertThat(help.out())
        .contains("validate", "print", "diff", "status", "attach", "--dir", "--env");
    CliRun diffHelp = run("help", "diff");
    assertThat(diffHelp.out())
        .contains("--to-env", "--from-dir", "--to-dir", "qcfg diff --pid PID FROM TO");
  }

  @Test
  void everyVerbHasHelp() {
    String[][] verbs = {
      {"validate"},
      {"print"},
      {"diff"},
      {"status"},
      {"reload"},
      {"rollback"},
      {"get"},
      {"history"},
      {"set"},
      {"unset"},
      {"switch-env"},
      {"attach"},
      {"render"},
      {"keygen"},
      {"encrypt"},
      {"decrypt"},
      {"migrate"},
      {"audit"},
      {"audit", "verify"},
      {"sign"},
      {"verify-signature"}
    };
    String root = run("--help").out();
    for (String[] verb : verbs) {
      assertThat(root).contains("\n  " + verb[0] + " ");
      String[] args = java.util.Arrays.copyOf(verb, verb.length + 1);
      args[verb.length] = "--help";
      CliRun help = run(args);
      assertThat(help.status()).as(String.join(" ", verb)).isZero();
      assertThat(help.out())
          .as(String.join(" ", verb))
          .startsWith("Usage: qcfg " + String.join(" ", verb) + " ")
          .doesNotContain("null");
    }
  }

  @Test
  void failuresOfANestedVerbNameTheWholeCommand() {
    assertThat(run("audit", "verify", "--state", root.resolve("none").toString()).err())
        .startsWith("qcfg audit verify: ");
  }

  @Test
  void aPidThatIsNoJvmFailsAtOnceInsteadOfWaitingForTheAttachTimeout() {
    String init1 = ProcessHandle.of(1).flatMap(p -> p.info().command()).orElse("");
    org.junit.jupiter.api.Assumptions.assumeFalse(
        init1.endsWith("java"), "pid 1 runs a JVM here: " + init1);
    org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
        java.time.Duration.ofSeconds(5),
        () -> {
          // pid 1: init, or a container's entry point; not a JVM.
          CliRun init = CliRun.withInput("", "status", "--pid", "1");
          assertThat(init.status()).isEqualTo(1);
          assertThat(init.err()).contains("pid 1");
          CliRun gone = CliRun.withInput("", "status", "--pid", Long.toString(Integer.MAX_VALUE));
          assertThat(gone.status()).isEqualTo(1);
          assertThat(gone.err()).contains("no such process").contains("[QCFG-5209]");
        });
  }

  @Test
  void unknownAgentOptionsSuggestTheNearestName() {
    CliRun typo = run("attach", "1", "--options", "stat=x");
    assertThat(typo.status()).isEqualTo(2);
    assertThat(typo.err()).contains("unknown option 'stat' (did you mean 'state'?)");
  }

  @Test
  void attachChecksItsOptionsBeforeTouchingTheTarget() {
    CliRun notPairs = run("attach", "1", "--options", "nonsense");
    assertThat(notPairs.status()).isEqualTo(2);
    assertThat(notPairs.err())
        .contains("agent option 'nonsense' is not key=value")
        .contains("[QCFG-0001]");
    CliRun unknown = run("attach", "1", "--options", "colour=red");
    assertThat(unknown.status()).isEqualTo(2);
    assertThat(unknown.err()).contains("unknown option 'colour'");
    // Tests run from target/classes, not from qcfg.jar: there is no agent jar to load.
    CliRun notAJar = run("attach", "1", "--options", "watch=false");
    assertThat(notAJar.status()).isEqualTo(1);
    assertThat(notAJar.err())
        .contains("qcfg attach must run from qcfg.jar")
        .contains("[QCFG-5207]");
  }
}
