package io.qcfg.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI against a forked JVM through the real attach API and the real {@code qcfg.jar}. Skipped
 * until {@code target/qcfg.jar} exists with its agent class (run after {@code package}, in {@code
 * verify}).
 */
class CliAttachIT {
  static final Path JAR = Path.of("target/qcfg.jar").toAbsolutePath();
  static final String JAVA = ProcessHandle.current().info().command().orElse("java");

  @TempDir Path dir;
  @TempDir Path state;
  final List<Process> forked = new ArrayList<>();

  /**
   * The forked application: waits until its stdin closes (when the test JVM ends at the latest).
   */
  public static final class App {
    public static void main(String[] args) throws IOException {
      System.out.println("ready");
      System.out.flush();
      while (System.in.read() >= 0) {
        // keep running
      }
    }
  }

  @BeforeAll
  static void needsTheAgentJar() throws IOException {
    assumeTrue(Files.isRegularFile(JAR), JAR + " is not built");
    try (JarFile jar = new JarFile(JAR.toFile())) {
      String premain = jar.getManifest().getMainAttributes().getValue("Premain-Class");
      assumeTrue(premain != null, JAR + " has no Premain-Class");
      assumeTrue(
          jar.getEntry(premain.replace('.', '/') + ".class") != null,
          JAR + " lacks its agent class " + premain);
    }
    assumeTrue(AttachApi.available(), "the attach API is missing (not a JDK)");
  }

  @BeforeEach
  void config() throws IOException {
    Files.writeString(
        dir.resolve("application.conf"),
        "http { port = 8080 }\ndb { password = \"canary-XYZ\" }\n");
  }

  @AfterEach
  void stopForked() throws InterruptedException {
    for (Process p : forked) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }

  Process fork(String... jvmArgs) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(JAVA));
    cmd.addAll(List.of(jvmArgs));
    cmd.addAll(
        List.of(
            "-cp",
            Path.of("target/test-classes").toAbsolutePath().toString(),
            App.class.getName()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    forked.add(p);
    return p;
  }

  /** Runs {@code java -jar qcfg.jar ARGS}; returns exit status and output. */
  static CliRun jar(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(JAVA, "-jar", JAR.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new CliRun(p.exitValue(), out, err, "");
  }

  @Test
  void statusGetSetAndReloadReachAJvmStartedWithTheAgent() throws Exception {
    Process app = fork("-javaagent:" + JAR + "=dir=" + dir + ",state=" + state + ",watch=false");
    String pid = Long.toString(app.pid());
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> CliRun.of("status", "--pid", pid).status() == 0);

    JsonNode listed = new ObjectMapper().readTree(CliRun.of("status", "--json").out());
    assertThat(listed.findValues("pid")).extracting(JsonNode::asText).contains(pid);

    CliRun get = CliRun.of("get", "--pid", pid, "http.port");
    assertThat(get.out())
        .startsWith("http.port = 8080  # ")
        .endsWith("application.conf:1 (base)\n");
    assertThat(CliRun.of("get", "--pid", pid, "db.password").out()).contains("<redacted>");

    CliRun set = jar("set", "--pid", pid, "http.port", "9090");
    assertThat(set.status()).as(set.err()).isZero();
    assertThat(set.out()).startsWith("override http.port: applied version 2");
    assertThat(jar("get", "--pid", pid, "http.port").out())
        .startsWith("http.port = 9090  # override");

    Files.writeString(dir.resolve("application.conf"), "http { port = \n");
    CliRun reload = jar("reload", "--pid", pid);
    assertThat(reload.status()).isEqualTo(1);
    assertThat(reload.err()).contains("QCFG-5120").contains("application.conf:");
    assertThat(CliRun.of("status", "--pid", pid).out()).contains("version:              2");
  }

  @Test
  void attachLoadsQcfgIntoAJvmThatRunsWithoutIt() throws Exception {
    Process app = fork();
    String pid = Long.toString(app.pid());
    await().atMost(Duration.ofSeconds(30)).until(() -> AttachApi.listPids().contains(app.pid()));
    assertThat(CliRun.of("status", "--pid", pid).err()).contains("[QCFG-5205]");

    CliRun attach =
        jar(
            "attach",
            pid,
            "--dir",
            dir.toString(),
            "--state",
            state.toString(),
            "--options",
            "watch=false");
    assertThat(attach.status()).as(attach.err()).isZero();
    assertThat(attach.out())
        .startsWith("qcfg loaded into pid " + pid + " with watch=false,dir=" + dir);
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> CliRun.of("status", "--pid", pid).status() == 0);
    assertThat(CliRun.of("get", "--pid", pid, "http.port").out()).startsWith("http.port = 8080");
  }
}
