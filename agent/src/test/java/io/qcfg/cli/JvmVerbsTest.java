package io.qcfg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qcfg.Qcfg;
import io.qcfg.internal.engine.Engine;
import io.qcfg.internal.jmx.ConfigEndpoint;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The verbs that talk to a running JVM, against this JVM's own MBean: the attach step is replaced
 * by a direct connection to the platform MBean server (a JVM may not attach to itself). The real
 * attach path is covered by {@code CliAttachIT}.
 */
class JvmVerbsTest {
  static final long SELF = ProcessHandle.current().pid();
  static final long GONE = Long.MAX_VALUE;

  /** This JVM is reachable; any other pid cannot be attached to. */
  static final Jvms IN_PROCESS =
      new Jvms() {
        @Override
        public JvmConnection open(long pid) {
          if (pid != SELF) {
            throw CliFailure.failed("QCFG-5204", "pid " + pid + ": cannot attach: test");
          }
          return new JvmConnection(pid, ManagementFactory.getPlatformMBeanServer(), () -> {});
        }

        @Override
        public List<Long> list() {
          return List.of(GONE, SELF);
        }

        @Override
        public boolean marked(long pid) {
          open(pid).close();
          return System.getProperty(ConfigEndpoint.MARKER_PROPERTY) != null;
        }
      };

  @TempDir Path dir;
  @TempDir Path state;
  String pid = Long.toString(SELF);

  @BeforeEach
  void start() throws Exception {
    Files.writeString(
        dir.resolve("application.conf"),
        "http { port = 8080 }\ndb { url = \"jdbc:x\", password = \"canary-XYZ\" }\n");
    // start() returns with the MBean registered (issue 14 defect 3): nothing to wait for.
    Qcfg.start(Map.of("dir", dir.toString(), "state", state.toString(), "watch", "false"));
    assertThat(ManagementFactory.getPlatformMBeanServer()
        .isRegistered(ConfigEndpoint.objectName())).isTrue();
  }

  @AfterEach
  void stop() {
    ConfigEndpoint.unregister();
    Qcfg.stop();
  }

  static CliRun run(String... args) {
    return CliRun.of(IN_PROCESS, args);
  }

  @Test
  void statusListsTheJvmsThatRunQcfgAndSkipsTheRest() throws Exception {
    CliRun table = run("status");
    assertThat(table.status()).isZero();
    String sum = Qcfg.current().checksum().substring(0, 12);
    assertThat(table.out().split("\\R"))
        .containsExactly(
            "PID       VERSION  ENVIRONMENT  CHECKSUM     HEALTH",
            String.format("%-8s %8s  %-12s %-12s %s", SELF, 1, "development", sum, "ok"));

    JsonNode json = new ObjectMapper().readTree(run("status", "--json").out());
    assertThat(json).hasSize(1);
    assertThat(json.get(0).get("pid").asLong()).isEqualTo(SELF);
    assertThat(json.get(0).get("checksum").asText()).isEqualTo(Qcfg.current().checksum());

    CliRun one = run("status", "--pid", pid);
    assertThat(one.status()).as("a healthy JVM: exit 0").isZero();
    assertThat(one.out())
        .contains("health:               ok")
        .contains("version:              1")
        .contains("lastReloadSuccessful: true");
  }

  @Test
  void statusWithoutAnyQcfgJvmSaysSo() {
    ConfigEndpoint.unregister();
    CliRun r = run("status");
    assertThat(r.status()).isZero();
    assertThat(r.out()).startsWith("no running JVM with qcfg found");
    assertThat(run("status", "--json").out().trim()).isEqualTo("[ ]");
  }

  @Test
  void getShowsValueAndOriginWithSecretsRedacted() throws Exception {
    CliRun port = run("get", "--pid", pid, "http.port");
    assertThat(port.status()).isZero();
    assertThat(port.out())
        .isEqualTo("http.port = 8080  # " + dir.resolve("application.conf") + ":1 (base)\n");
    CliRun db = run("get", "--pid", pid, "db");
    assertThat(db.out()).contains("<redacted>").doesNotContain("canary");
    JsonNode json =
        new ObjectMapper().readTree(run("get", "--pid", pid, "db.password", "--json").out());
    assertThat(json.get("value").asText()).isEqualTo("<redacted>");
    assertThat(json.get("secret").asBoolean()).isTrue();

    CliRun missing = run("get", "--pid", pid, "http.nope");
    assertThat(missing.status()).isEqualTo(1);
    assertThat(missing.err())
        .isEqualTo("qcfg get: QCFG-5113: version 1: http.nope: no value at this path\n");
  }

  @Test
  void setAndUnsetChangeTheRunningConfiguration() throws Exception {
    CliRun set = run("set", "--pid", pid, "http.port", "9090");
    assertThat(set.status()).isZero();
    assertThat(set.out()).startsWith("override http.port: applied version 2, checksum ");
    assertThat(Qcfg.current().getInt("http.port")).isEqualTo(9090);
    assertThat(Qcfg.current().cause()).isEqualTo("override http.port by jmx:local");

    JsonNode unset =
        new ObjectMapper().readTree(run("unset", "--pid", pid, "http.port", "--json").out());
    assertThat(unset.get("version").asLong()).isEqualTo(3);
    assertThat(unset.get("result").asText())
        .startsWith("clear override http.port: applied version 3");
    assertThat(Qcfg.current().getInt("http.port")).isEqualTo(8080);

    CliRun secret = run("set", "--pid", pid, "db.password", "\"canary-NEW\"");
    assertThat(secret.status()).isZero();
    assertThat(secret.all()).doesNotContain("canary");
  }

  @Test
  void reloadReportsARejectedCandidateAndKeepsTheVersion() throws Exception {
    assertThat(run("reload", "--pid", pid).out()).startsWith("reload: unchanged at version 1");
    Files.writeString(dir.resolve("application.conf"), "http { port = 8080\n");
    CliRun r = run("reload", "--pid", pid);
    assertThat(r.status()).isEqualTo(1);
    assertThat(r.err())
        .startsWith("qcfg reload: QCFG-5120: reload rejected, keeping version 1: ")
        .contains(dir.resolve("application.conf") + ":1").contains("never closed");
    CliRun status = run("status", "--pid", pid);
    assertThat(status.status()).as("status --pid is a health check: exit 1 after a rejection")
        .isEqualTo(1);
    assertThat(status.out())
        .contains("health:               rejected")
        .contains("lastReloadSuccessful: false")
        .contains("rejectedCount:        1");
    assertThat(run("status").out()).contains("rejected");
    // Fixed: healthy again.
    Files.writeString(dir.resolve("application.conf"), "http { port = 8081 }\n");
    assertThat(run("reload", "--pid", pid).status()).isZero();
    assertThat(run("status", "--pid", pid).status()).isZero();
  }

  @Test
  void switchEnvAndDiff() {
    CliRun r = run("switch-env", "--pid", pid, "production");
    assertThat(r.status()).isZero();
    assertThat(r.out())
        .startsWith("switch to production: applied version 2")
        .endsWith("environment production\n");
    CliRun diff = run("diff", "--pid", pid, "2", "2");
    assertThat(diff.out())
        .isEqualTo(
            "--- version 2 (pid " + pid + ")\n+++ version 2 (pid " + pid + ")\nno differences\n");
  }

  @Test
  void historyDiffAndRollbackOfTheRunningJvm() {
    assertThat(run("set", "--pid", pid, "http.port", "9090").status()).isZero();
    CliRun history = run("history", "--pid", pid);
    assertThat(history.status()).isZero();
    String[] lines = history.out().split("\\R");
    assertThat(lines).hasSize(2);
    assertThat(lines[0]).matches(" +1  \\S+  development +[0-9a-f]{12}  - +\\S.*");
    assertThat(lines[1])
        .matches(" +2  \\S+  development +[0-9a-f]{12}  - +override http.port by jmx:local");
    assertThat(run("diff", "--pid", pid, "1", "2").out()).contains("~ http.port: 8080 -> 9090");
    CliRun rollback = run("rollback", "--pid", pid, "1");
    assertThat(rollback.status()).isZero();
    assertThat(Qcfg.current().version()).isEqualTo(3);
    assertThat(Qcfg.current().getInt("http.port")).isEqualTo(8080);
  }

  @Test
  void aRollbackToAnotherEnvironmentNeedsTheFlag() {
    Engine.require().switchEnvironment("staging", "test");
    assertThat(Qcfg.current().version()).isEqualTo(2);
    CliRun refused = run("rollback", "--pid", pid, "1");
    assertThat(refused.status()).isEqualTo(1);
    assertThat(refused.err()).contains("QCFG-1608").contains("--allow-environment-change");
    assertThat(Qcfg.current().version()).isEqualTo(2);
    CliRun allowed = run("rollback", "--pid", pid, "--allow-environment-change", "1");
    assertThat(allowed.status()).as(allowed.err()).isZero();
    assertThat(Qcfg.current().version()).isEqualTo(3);
    assertThat(Qcfg.current().environment()).isEqualTo("development");
  }

  @Test
  void aJvmWithoutQcfgOrOutOfReachIsNamed() {
    CliRun gone = run("reload", "--pid", Long.toString(GONE));
    assertThat(gone.status()).isEqualTo(1);
    assertThat(gone.err())
        .isEqualTo("qcfg reload: pid " + GONE + ": cannot attach: test [QCFG-5204]\n");

    ConfigEndpoint.unregister();
    CliRun none = run("get", "--pid", pid, "http.port");
    assertThat(none.status()).isEqualTo(1);
    assertThat(none.err())
        .isEqualTo(
            "qcfg get: pid "
                + pid
                + ": no qcfg here (no MBean io.qcfg:type=Config): start it with"
                + " -javaagent:qcfg.jar or run 'qcfg attach "
                + pid
                + "' [QCFG-5205]\n");
  }

  @Test
  void pidVerbsNeedAPid() {
    CliRun r = run("reload");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("Missing required option: '--pid=PID'");
  }
}
