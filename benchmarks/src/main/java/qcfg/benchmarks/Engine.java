package qcfg.benchmarks;

import io.qcfg.internal.layer.LayerStack;
import io.qcfg.internal.Pipeline;
import io.qcfg.internal.QcfgOptions;
import io.qcfg.internal.layer.Environment;
import io.qcfg.internal.text.Sha256;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * The engine as the benchmarks drive it: the same {@link Pipeline} the agent and the CLI use,
 * without the applier thread, history or field binding, and with empty system properties and
 * environment so that the host JVM's settings cannot change the tree being measured.
 */
final class Engine {
  private Engine() {}

  /** A pipeline with empty caches (parsed files, schema). */
  static Pipeline freshPipeline() {
    return new Pipeline(QcfgOptions.defaults(), null, null);
  }

  /**
   * After a pipeline's first build: {@code "jdk"} moves {@link Sha256} to the JDK's digest, as the
   * agent's {@code DigestWarmUp} does after its first snapshot (for the rest of the fork: JMH
   * forks per benchmark and parameters, so a cold-build fork never sees it); {@code "pure"} keeps
   * qcfg's own.
   */
  static void digestAfterFirstBuild(String digest) {
    switch (digest) {
      case "jdk" -> Sha256.preferJdk();
      case "pure" -> {}
      default -> throw new IllegalArgumentException("digest: jdk or pure, not " + digest);
    }
  }

  /** Inputs that build a generated tree for {@link ConfigGenerator#ENVIRONMENT}. */
  static LayerStack.Request inputs(Path dir) {
    return new LayerStack.Request(
        dir,
        new Environment(ConfigGenerator.ENVIRONMENT, "option"),
        Map.of(),
        new Properties(),
        Map.of(),
        null,
        null);
  }
}
