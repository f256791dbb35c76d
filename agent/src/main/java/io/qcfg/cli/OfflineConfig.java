package io.qcfg.cli;

import io.qcfg.Problem;
import io.qcfg.QcfgException;
import io.qcfg.internal.Pipeline;
import io.qcfg.internal.QcfgOptions;
import io.qcfg.internal.layer.Environment;
import io.qcfg.internal.layer.LayerStack;
import io.qcfg.internal.snapshot.ConfigSnapshot;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * Builds a validated candidate from a configuration directory with the agent's own {@link
 * Pipeline}, so that {@code qcfg validate} says what a running JVM would say.
 *
 * <p>What differs from a JVM: the CLI sees the application's class path only when given ({@code
 * --classpath}: then every {@code reference.conf} on it is the defaults layer, as in the JVM; rule
 * classes and bound fields are still not checked) and ignores its own {@code -D} flags, which are
 * not the application's. Environment variables take part ({@code CONFIG_FORCE_*},
 * substitutions) as they would for a JVM started from the same shell.
 */
final class OfflineConfig {
  private final QcfgOptions options;
  private final Pipeline pipeline;
  private final ClassLoader defaults;
  private final java.io.PrintWriter noDefaultsNote; // null: nothing to say
  private final Pipeline.Decryption decryption;
  private boolean told;

  OfflineConfig(QcfgOptions options) {
    this(options, null, null, Pipeline.Decryption.STRICT);
  }

  /**
   * With the application's {@code reference.conf} defaults from {@code defaults}; when it is null
   * and {@code note} is not, the first build says on {@code note} that there were none.
   */
  OfflineConfig(QcfgOptions options, ClassLoader defaults, java.io.PrintWriter note,
      Pipeline.Decryption decryption) {
    this.options = options;
    this.decryption = decryption;
    this.pipeline = new Pipeline(options, null, null, decryption);
    this.defaults = defaults;
    this.noDefaultsNote = defaults == null ? note : null;
  }

  /** For diff: the flags of {@code cli}, its {@code --classpath}; ENC values need the key. */
  static OfflineConfig of(QcfgCli cli, java.io.PrintWriter err) {
    return of(cli, err, Pipeline.Decryption.STRICT);
  }

  /** For validate, print and render: also how ENC values are handled without a key. */
  static OfflineConfig of(QcfgCli cli, java.io.PrintWriter err, Pipeline.Decryption decryption) {
    return new OfflineConfig(
        cli.options(), ClassPathDefaults.loader(cli.classpath), err, decryption);
  }

  /** Whether builds keep ENC values opaque: no key is configured and the mode allows it. */
  boolean keepsEncryptedOpaque() {
    return options.key() == null && decryption == Pipeline.Decryption.OPAQUE_WITHOUT_KEY;
  }

  /** The {@code --dir} directory (or its default). */
  Path dir() {
    return options.dir();
  }

  /**
   * The environment a JVM with these options would run in: {@code --env}, else {@code QCFG_ENV},
   * {@code CI}, {@code development}.
   */
  Environment environment() {
    return Environment.detect(options.env(), options.envSource(), System.getenv());
  }

  /**
   * Builds and validates the configuration of {@code dir} for {@code env}.
   *
   * @throws QcfgException.Invalid with every problem found
   * @throws CliFailure (usage) when {@code dir} is not a directory
   */
  ConfigSnapshot build(Path dir, Environment env) {
    requireDirectory(dir);
    if (noDefaultsNote != null && !told) {
      told = true;
      ClassPathDefaults.tellNotIncluded(noDefaultsNote);
    }
    return pipeline.build(
        new LayerStack.Request(
            dir, env, Map.of(), new Properties(), System.getenv(), options.substitute(), defaults));
  }

  /** The secret layer of {@code dir} alone, unvalidated; problems are ignored. */
  com.typesafe.config.Config secretLayer(Path dir) {
    return pipeline.secretLayer(dir);
  }

  /**
   * The environment variables templates see as {@code vars} and {@code ${NAME}} may name, as a JVM
   * with these options would allow them: all in development and testing, none in staging and
   * production unless {@code --substitute} lists them.
   */
  Map<String, String> allowedVariables(Path dir, Environment env) {
    return LayerStack.allowedVariables(
        new LayerStack.Request(
            dir, env, Map.of(), new Properties(), System.getenv(), options.substitute(), null));
  }

  /**
   * Every environment a directory can be validated for: the four known ones plus the name of every
   * {@code environments/*.conf} and {@code *.conf.peb}, sorted.
   */
  static List<String> allEnvironments(Path dir) {
    Set<String> names = new TreeSet<>(Environment.KNOWN);
    Path envs = dir.resolve("environments");
    if (Files.isDirectory(envs)) {
      try (DirectoryStream<Path> files = Files.newDirectoryStream(envs)) {
        for (Path f : files) {
          String n = f.getFileName().toString();
          if (n.endsWith(".conf") && n.length() > 5) {
            names.add(n.substring(0, n.length() - ".conf".length()));
          } else if (n.endsWith(".conf.peb") && n.length() > 9) {
            names.add(n.substring(0, n.length() - ".conf.peb".length()));
          }
        }
      } catch (IOException e) {
        throw CliFailure.failed(
            "QCFG-5210", envs + ": cannot list the directory: " + io.qcfg.internal.crypto.ForeignText.describe(e));
      }
    }
    return List.copyOf(names);
  }

  static void requireDirectory(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw CliFailure.usage(
          "QCFG-5209",
          dir
              + ": "
              + (Files.exists(dir) ? "not a directory" : "no such directory")
              + "; point --dir at the configuration directory (default: ./config)");
    }
  }

  /** {@code OK env: N settings, checksum 1a2b3c4d5e6f}. */
  static String okLine(ConfigSnapshot s) {
    int n = s.paths().size();
    return "OK "
        + s.environment()
        + ": "
        + n
        + (n == 1 ? " setting" : " settings")
        + ", checksum "
        + shortSum(s);
  }

  /** The header above the problems of an invalid environment. */
  static String invalidLine(String env, List<Problem> problems) {
    return "INVALID "
        + env
        + ": "
        + problems.size()
        + (problems.size() == 1 ? " problem" : " problems")
        + " [QCFG-5201]";
  }

  static String shortSum(ConfigSnapshot s) {
    return s.checksum().substring(0, 12);
  }
}
