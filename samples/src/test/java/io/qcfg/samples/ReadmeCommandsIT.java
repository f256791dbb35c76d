package io.qcfg.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's commands, read from the real README.md and run verbatim (issue 17 item 6), so that
 * they cannot rot. Every fenced bash block of the first screen and of the Samples section is
 * preceded by a mark:
 *
 * <ul>
 *   <li>{@code <!-- readme-test: run -->}: each line is run with bash; a trailing {@code # exit N}
 *       comment gives the expected status, else 0;
 *   <li>{@code <!-- readme-test: service -->}: the first line is a service that runs until
 *       stopped; it is started, and once it prints a line with "listening" the other lines are run
 *       as above while it runs; then it is stopped;
 *   <li>{@code <!-- readme-test: excluded: REASON -->}: not run, for the reason given.
 * </ul>
 *
 * <p>Commands run in a scratch directory that links {@code agent/} and {@code samples/} of the
 * repository, so what they write ({@code state=target/qcfg-state}) stays out of the working copy.
 * The first screen's block is excluded (a build plus a service, and the whole suite, which would
 * run this test again); this test checks that it holds exactly those two commands.
 */
@Timeout(600)
class ReadmeCommandsIT {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  static final Pattern BLOCK =
      Pattern.compile("(<!-- readme-test: ([a-z]+)(?::([^>]*))? -->\\n)?```bash\\n(.*?)```",
          Pattern.DOTALL);
  static final Pattern EXIT = Pattern.compile("#\\s*exit (\\d+)\\b");
  static final Pattern LOCAL_PORT = Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)");
  static final Duration DEADLINE = Duration.ofSeconds(120);

  @TempDir Path scratch;

  record Block(String section, String mark, String reason, List<String> commands) {}

  /** The fenced bash blocks of the first screen (before the first "## ") and of "## Samples". */
  static List<Block> blocks() throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"));
    int firstSection = readme.indexOf("\n## ");
    int samples = readme.indexOf("\n## Samples\n");
    assertThat(samples).as("README has a Samples section").isPositive();
    int afterSamples = readme.indexOf("\n## ", samples + 1);
    List<Block> out = new ArrayList<>();
    collect("first screen", readme.substring(0, firstSection), out);
    collect("Samples", readme.substring(samples, afterSamples), out);
    return out;
  }

  private static void collect(String section, String text, List<Block> out) {
    Matcher m = BLOCK.matcher(text);
    while (m.find()) {
      out.add(new Block(section, m.group(2), m.group(3), commands(m.group(4))));
    }
  }

  /** Non-comment lines, with {@code \} continuations joined. */
  static List<String> commands(String block) {
    List<String> out = new ArrayList<>();
    StringBuilder pending = new StringBuilder();
    for (String line : block.split("\n")) {
      if (pending.isEmpty() && (line.isBlank() || line.stripLeading().startsWith("#"))) {
        continue;
      }
      if (line.endsWith("\\")) {
        pending.append(line, 0, line.length() - 1);
        continue;
      }
      out.add(pending.append(line).toString().strip());
      pending.setLength(0);
    }
    return out;
  }

  @Test
  void everyBlockIsMarkedAndTheFirstScreensExclusionIsExactlyTheBuildAndTheSuite()
      throws IOException {
    List<Block> blocks = blocks();
    assertThat(blocks).allSatisfy(b -> {
      assertThat(b.mark()).as("mark before a block of " + b.section() + ": " + b.commands())
          .isIn("run", "service", "excluded");
      if (b.mark().equals("excluded")) {
        assertThat(b.reason()).as("reason of an exclusion").isNotBlank();
      }
    });
    Block first = blocks.get(0);
    assertThat(first.section()).isEqualTo("first screen");
    assertThat(first.mark()).isEqualTo("excluded");
    assertThat(first.commands()).hasSize(2);
    assertThat(first.commands().get(0))
        .startsWith("mvn -q -DskipTests package && java -javaagent:agent/target/qcfg.jar=");
    assertThat(first.commands().get(1)).isEqualTo("mvn -B verify");
    assertThat(blocks).filteredOn(b -> b.mark().equals("run")).isNotEmpty();
    assertThat(blocks).filteredOn(b -> b.mark().equals("service")).isNotEmpty();
  }

  @TestFactory
  Stream<DynamicTest> theSamplesCommandsRunVerbatim() throws IOException {
    return blocks().stream()
        .filter(b -> "run".equals(b.mark()))
        .flatMap(b -> b.commands().stream())
        .map(cmd -> DynamicTest.dynamicTest(cmd, () -> run(cmd)));
  }

  @TestFactory
  Stream<DynamicTest> theSamplesServicesAnswerTheirCommands() throws IOException {
    return blocks().stream()
        .filter(b -> "service".equals(b.mark()))
        .map(b -> DynamicTest.dynamicTest(b.commands().get(0), () -> runService(b.commands())));
  }

  void runService(List<String> commands) throws Exception {
    Set<Integer> ports = new LinkedHashSet<>();
    commands.forEach(c -> LOCAL_PORT.matcher(c).results()
        .forEach(m -> ports.add(Integer.parseInt(m.group(1)))));
    for (int port : ports) {
      Assumptions.assumeTrue(free(port),
          "port " + port + " is in use on this machine (another service); the README's service"
              + " needs it");
    }
    Path log = scratch.resolve("service.log");
    Process service = start(commands.get(0), log);
    try {
      await().atMost(DEADLINE).pollInterval(Duration.ofMillis(100)).until(() -> {
        assertThat(service.isAlive()).as("the service ended:\n" + read(log)).isTrue();
        return read(log).contains("listening");
      });
      for (String command : commands.subList(1, commands.size())) {
        String output = run(command);
        if (command.contains(" status")) {
          assertThat(output).as("status lists the service").contains(Long.toString(service.pid()));
        }
      }
    } finally {
      service.descendants().forEach(ProcessHandle::destroy);
      service.destroy();
      if (!service.waitFor(30, TimeUnit.SECONDS)) {
        service.destroyForcibly();
      }
    }
  }

  /** Runs one command to its end; asserts its exit status; returns what it printed. */
  String run(String command) throws Exception {
    Matcher exit = EXIT.matcher(command);
    int expected = exit.find() ? Integer.parseInt(exit.group(1)) : 0;
    Path log = Files.createTempFile(scratch, "command", ".log");
    Process p = start(command, log);
    if (!p.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("still running after " + DEADLINE.toSeconds() + " s: " + command);
    }
    String output = read(log);
    assertThat(p.exitValue()).as(command + "\n" + output).isEqualTo(expected);
    assertThat(output).as("a README command prints a stack trace").doesNotContain("\tat ");
    return output;
  }

  /**
   * Starts {@code command} with bash ({@code exec}, so the process is the command's own) in the
   * scratch copy, with the JDK under test as {@code java} and no qcfg option of the test's
   * environment.
   */
  Process start(String command, Path log) throws IOException {
    Path cwd = scratch.resolve("repo");
    if (!Files.exists(cwd)) {
      Files.createDirectories(cwd);
      for (String linked : List.of("agent", "samples")) {
        Files.createSymbolicLink(cwd.resolve(linked), ROOT.resolve(linked));
      }
    }
    Path jar = ROOT.resolve("agent/target/qcfg.jar");
    assertThat(jar).as("qcfg.jar: build the agent module first (the reactor does)").isRegularFile();
    String script = command.contains("|") || command.contains("&&")
        ? "set -o pipefail\n" + command : "exec " + command;
    ProcessBuilder pb = new ProcessBuilder("bash", "-c", script);
    pb.directory(cwd.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("QCFG_") || k.startsWith("CONFIG_FORCE_"));
    String javaBin = Path.of(System.getProperty("java.home"), "bin").toString();
    pb.environment().put("PATH", javaBin + java.io.File.pathSeparator + System.getenv("PATH"));
    pb.redirectErrorStream(true);
    pb.redirectOutput(log.toFile());
    return pb.start();
  }

  static String read(Path log) throws IOException {
    return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
  }

  static boolean free(int port) {
    try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
