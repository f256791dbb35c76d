package io.qcfg.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;

/**
 * The README's commands, read from the real README.md and run verbatim (issue 17 item 6), so
 * that they cannot rot: every fenced block of the first screen and of the Samples section is
 * preceded by {@code <!-- readme-test: run -->} (each line is run with bash from the repository
 * root; a trailing {@code # exit N} comment gives the expected status, else 0) or by {@code <!--
 * readme-test: excluded: REASON -->}. The first screen's block is excluded (a build plus a
 * service that runs until stopped, and the whole suite, which would run this test again); this
 * test checks that it holds exactly those two commands, so nothing new hides there.
 */
@Timeout(600)
class ReadmeCommandsIT {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  static final Pattern BLOCK =
      Pattern.compile("(<!-- readme-test: ([a-z]+)(?::([^>]*))? -->\\n)?```bash\\n(.*?)```",
          Pattern.DOTALL);
  static final Pattern EXIT = Pattern.compile("#\\s*exit (\\d+)\\b");

  record Block(String section, String mark, String reason, List<String> commands) {}

  /** The fenced bash blocks of the first screen (before the first "## ") and of "## Samples". */
  static List<Block> blocks() throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"));
    int firstSection = readme.indexOf("\n## ");
    int samples = readme.indexOf("\n## Samples\n");
    int afterSamples = readme.indexOf("\n## ", samples + 1);
    assertThat(samples).as("README has a Samples section").isPositive();
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
          .isIn("run", "excluded");
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
  }

  @TestFactory
  Stream<DynamicTest> theSamplesCommandsRunVerbatim() throws IOException {
    return blocks().stream()
        .filter(b -> "run".equals(b.mark()))
        .flatMap(b -> b.commands().stream())
        .map(cmd -> DynamicTest.dynamicTest(cmd, () -> run(cmd)));
  }

  static void run(String command) throws Exception {
    Matcher exit = EXIT.matcher(command);
    int expected = exit.find() ? Integer.parseInt(exit.group(1)) : 0;
    // The JDK under test as `java`; no option of the test environment leaks in.
    ProcessBuilder pb = new ProcessBuilder("bash", "-c", "set -o pipefail\n" + command);
    pb.directory(ROOT.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("QCFG_") || k.startsWith("CONFIG_FORCE_"));
    String javaBin = Path.of(AppJvm.java()).getParent().toString();
    pb.environment().put("PATH", javaBin + java.io.File.pathSeparator + System.getenv("PATH"));
    pb.redirectErrorStream(true);
    Path log = Files.createTempFile("readme-command", ".log");
    try {
      pb.redirectOutput(log.toFile());
      Process p = pb.start();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("still running after 120 s: " + command);
      }
      String output = Files.readString(log, StandardCharsets.UTF_8);
      assertThat(p.exitValue()).as(command + "\n" + output).isEqualTo(expected);
      assertThat(output).as("a README command prints a stack trace").doesNotContain("\tat ");
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
