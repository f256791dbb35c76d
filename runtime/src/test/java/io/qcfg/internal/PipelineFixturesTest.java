package io.qcfg.internal;

import io.qcfg.internal.layer.LayerStack;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qcfg.ConfigRule;
import io.qcfg.Problem;
import io.qcfg.QcfgException;
import io.qcfg.Snapshot;
import io.qcfg.internal.layer.Environment;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden fixtures: each folder of {@code src/test/resources/pipeline/} holds a {@code config/}
 * tree that must be rejected and an {@code expected.txt} whose every line must appear in the
 * error (ids, file:line, path, reason). A first line {@code ENV=name} picks the environment.
 */
class PipelineFixturesTest {
  @TempDir Path tmp;

  static Stream<Path> fixtures() throws IOException, URISyntaxException {
    Path root = Path.of(PipelineFixturesTest.class.getResource("/pipeline").toURI());
    return Files.list(root).filter(Files::isDirectory).sorted();
  }

  static Snapshot build(Path dir, String env, Map<String, String> options, ClassLoader rules) {
    QcfgOptions opts = QcfgOptions.resolve(options, new Properties(), Map.of());
    return new Pipeline(opts, rules, null)
        .build(new LayerStack.Request(dir, new Environment(env, "option"), Map.of(), new Properties(),
            Map.of(), null, null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void rejectedWithEveryExpectedDetail(Path fixture) throws IOException {
    List<String> expected = Files.readAllLines(fixture.resolve("expected.txt"));
    String env = "development";
    if (!expected.isEmpty() && expected.get(0).startsWith("ENV=")) {
      env = expected.get(0).substring(4);
      expected = expected.subList(1, expected.size());
    }
    String finalEnv = env;
    List<String> lines = expected;
    assertThatThrownBy(() -> build(fixture.resolve("config"), finalEnv, Map.of(), null))
        .isInstanceOfSatisfying(
            QcfgException.Invalid.class,
            e -> {
              for (String line : lines) {
                assertThat(e.getMessage()).contains(line);
              }
              for (Problem p : e.problems()) {
                assertThat(p.id()).matches("QCFG-\\d{4}");
                assertThat(p.location()).isNotBlank();
              }
            });
  }

  @Test
  void fileOverTheSizeLimitIsRefused() throws IOException {
    Files.writeString(tmp.resolve("application.conf"), "a = \"" + "x".repeat(2000) + "\"\n");
    assertThatThrownBy(() -> build(tmp, "development", Map.of("max-file-size", "1024"), null))
        .hasMessageContaining("QCFG-1003")
        .hasMessageContaining("application.conf")
        .hasMessageContaining("over the limit of 1024 bytes");
  }

  @Test
  void unreadableFileIsNamed() throws IOException {
    Path conf = tmp.resolve("application.conf");
    boolean root = "root".equals(System.getProperty("user.name"));
    if (root) {
      // root reads mode-000 files; /proc/self/mem refuses a plain read with an I/O error.
      Files.createSymbolicLink(conf, Path.of("/proc/self/mem"));
    } else {
      Files.writeString(conf, "a = 1\n");
      conf.toFile().setReadable(false, false);
    }
    assertThatThrownBy(() -> build(tmp, "development", Map.of(), null))
        .hasMessageContaining("application.conf")
        // as root the file is a link to /proc/self/mem: refused as a link out of the directory
        .hasMessageMatching("(?s).*(QCFG-1001|QCFG-1005|QCFG-1024).*");
  }

  @Test
  void aFifoIsRefusedInsteadOfBlockingTheReader() throws Exception {
    Path conf = tmp.resolve("application.conf");
    Process mkfifo = new ProcessBuilder("mkfifo", conf.toString()).start();
    org.junit.jupiter.api.Assumptions.assumeTrue(mkfifo.waitFor() == 0, "mkfifo not available");
    assertThatThrownBy(() -> build(tmp, "development", Map.of(), null))
        .hasMessageContaining("QCFG-1002")
        .hasMessageContaining("application.conf")
        .hasMessageContaining("FIFO");
  }

  /** A user rule that always throws. */
  public static final class ThrowingRule implements ConfigRule {
    @Override
    public List<Problem> check(Snapshot candidate) {
      throw new IllegalStateException("boom with secret hunter2");
    }
  }

  /** A user rule that reports a problem located at the user's file. */
  public static final class PortRule implements ConfigRule {
    @Override
    public List<Problem> check(Snapshot candidate) {
      return candidate.getInt("a") > 0
          ? List.of(Problem.of("APP-0001", candidate, "a", "must be negative"))
          : List.of();
    }
  }

  @Test
  void ruleClassesFromServiceLoaderRunAndAThrowingRuleRejects() throws IOException {
    Files.writeString(tmp.resolve("application.conf"), "a = 1\n");
    Path services = tmp.resolve("cp/META-INF/services");
    Files.createDirectories(services);
    Files.writeString(
        services.resolve(ConfigRule.class.getName()),
        ThrowingRule.class.getName() + "\n" + PortRule.class.getName() + "\n");
    try (URLClassLoader loader =
        new URLClassLoader(new URL[] {tmp.resolve("cp").toUri().toURL()}, getClass().getClassLoader())) {
      assertThatThrownBy(() -> build(tmp, "development", Map.of(), loader))
          .isInstanceOfSatisfying(QcfgException.Invalid.class, e -> {
            assertThat(e.problems()).hasSize(2);
            assertThat(e.getMessage())
                .contains("rule " + ThrowingRule.class.getName())
                .contains("IllegalStateException")
                .doesNotContain("hunter2")
                .contains("application.conf:1: a: must be negative [APP-0001]");
          });
    }
  }
}
