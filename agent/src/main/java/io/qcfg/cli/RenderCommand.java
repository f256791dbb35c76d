package io.qcfg.cli;

import io.qcfg.QcfgException;
import io.qcfg.internal.layer.Environment;
import io.qcfg.internal.snapshot.Canonical;
import io.qcfg.internal.snapshot.ConfigSnapshot;
import io.qcfg.internal.template.ConfigExporter;
import io.qcfg.internal.template.TemplateRenderer;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code qcfg render}: a user template of {@code templates/}, or the effective configuration in an
 * export format, for {@code --dir} in {@code --env}. The same inputs always give the same bytes.
 */
@Command(
    name = "render",
    mixinStandardHelpOptions = true,
    description = {
      "Render a template of templates/, or export the effective configuration (hocon, json,"
          + " properties, dotenv, k8s-configmap, k8s-secret).",
      "",
      "Uses the configuration of --dir in --env, as a JVM would build it. Output goes to stdout,"
          + " or to --out.",
      "",
      "A template:",
      "  qcfg render --dir config --env production nginx.conf",
      "  sees env (the environment), vars (environment variables on the --substitute allow list)"
          + " and config (the configuration, secrets shown as <redacted>); secret('db.password')"
          + " gives a plaintext secret only with --allow-secrets.",
      "An export:",
      "  qcfg render --env production --format json",
      "  hocon, json, properties: every setting, secrets as <redacted>;",
      "  dotenv: CONFIG_FORCE_* lines for docker --env-file, secrets left out unless"
          + " --include-secrets;",
      "  k8s-configmap: a ConfigMap of the settings that are not secret;",
      "  k8s-secret: a Secret of the secrets only, base64 of the plaintext.",
      "",
      "Output that holds plaintext secrets (k8s-secret, dotenv --include-secrets, a template with"
          + " --allow-secrets) is written to --out readable by its owner only."
    })
final class RenderCommand extends Verb {
  static final List<String> FORMATS =
      List.of("hocon", "json", "properties", "dotenv", "k8s-configmap", "k8s-secret");

  @Parameters(
      arity = "0..1",
      paramLabel = "TEMPLATE",
      description = "A template in templates/, named with or without its .peb suffix.")
  String template;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      description = "Export instead: hocon, json, properties, dotenv, k8s-configmap, k8s-secret.")
  String format;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description = "Write to FILE (parent directories are created) instead of stdout.")
  Path outFile;

  @Option(
      names = "--allow-secrets",
      description = "Templates only: let secret('path') return the plaintext.")
  boolean allowSecrets;

  @Option(
      names = "--include-secrets",
      description = "dotenv only: write secrets too, in plaintext.")
  boolean includeSecrets;

  @Option(
      names = "--name",
      paramLabel = "NAME",
      description = "k8s-configmap and k8s-secret: metadata.name (default: qcfg).")
  String name;

  @Option(
      names = "--namespace",
      paramLabel = "NS",
      description = "k8s-configmap and k8s-secret: metadata.namespace (default: none).")
  String namespace;

  @picocli.CommandLine.Mixin DecryptionOption decryption = new DecryptionOption();

  @Override
  public Integer call() {
    checkOptions();
    // Output that holds plaintext secrets needs them decrypted: ciphertext there would be wrong.
    boolean plaintext = allowSecrets || includeSecrets || "k8s-secret".equals(format);
    OfflineConfig config = OfflineConfig.of(cli(), err(), decryption.mode(plaintext));
    Environment env = config.environment();
    ConfigSnapshot snapshot;
    try {
      snapshot = config.build(config.dir(), env);
    } catch (QcfgException.Invalid e) {
      // stderr: stdout may be a file the user is generating.
      ValidateCommand.printProblems(err(), env.name(), e.problems());
      return QcfgCli.FAILED;
    }
    DecryptionOption.tell(err(), DecryptionOption.undecrypted(config, snapshot)); // not stdout
    String text;
    try {
      text = template != null ? renderTemplate(config, env, snapshot) : export(snapshot);
    } catch (QcfgException.Invalid e) {
      int n = e.problems().size();
      err()
          .println(
              "qcfg render: cannot render "
                  + (template != null ? "template " + template : format)
                  + " for "
                  + env.name()
                  + ": "
                  + n
                  + (n == 1 ? " problem" : " problems")
                  + " [QCFG-5223]");
      e.problems().forEach(p -> err().println("  " + p));
      return QcfgCli.FAILED;
    }
    if (outFile == null) {
      out().print(text.endsWith("\n") || text.isEmpty() ? text : text + "\n");
      out().flush();
    } else {
      OutputFile.replace(outFile, text, plaintext);
      out()
          .println(
              "wrote "
                  + outFile
                  + " ("
                  + (template != null ? "template " + template : format)
                  + ", "
                  + env.name()
                  + (plaintext ? ", owner-only: holds secrets" : "")
                  + ")");
    }
    return QcfgCli.OK;
  }

  private void checkOptions() {
    if ((template == null) == (format == null)) {
      throw CliFailure.usage(
          "QCFG-5220",
          "give either a TEMPLATE of templates/ or --format FORMAT (one of "
              + String.join(", ", FORMATS)
              + ")");
    }
    if (format != null && !FORMATS.contains(format)) {
      throw CliFailure.usage(
          "QCFG-5222",
          "--format: expected one of " + String.join(", ", FORMATS) + ", found '" + format + "'");
    }
    if (allowSecrets && template == null) {
      throw CliFailure.usage("QCFG-5221", "--allow-secrets applies to templates only");
    }
    if (includeSecrets && !"dotenv".equals(format)) {
      throw CliFailure.usage(
          "QCFG-5221",
          "--include-secrets applies to --format dotenv only (k8s-secret always holds the"
              + " secrets, the other formats never)");
    }
    boolean k8s = format != null && format.startsWith("k8s-");
    if ((name != null || namespace != null) && !k8s) {
      throw CliFailure.usage(
          "QCFG-5221",
          "--name and --namespace apply to --format k8s-configmap and k8s-secret only");
    }
  }

  private String renderTemplate(OfflineConfig config, Environment env, ConfigSnapshot s) {
    @SuppressWarnings("unchecked")
    Map<String, Object> redacted =
        (Map<String, Object>) Canonical.redacted(s.config().root(), "", s.secretRule()).unwrapped();
    // Problems name the template relative to the working directory, as layer problems do.
    TemplateRenderer renderer = new TemplateRenderer(Path.of("").toAbsolutePath());
    return renderer.renderUserTemplate(
        config.dir(),
        templateName(config.dir()),
        env.name(),
        redacted,
        config.allowedVariables(config.dir(), env),
        allowSecrets,
        new SecretValues(s));
  }

  /**
   * {@code TEMPLATE} as given when it names a file of {@code templates/}, else {@code TEMPLATE.peb}
   * when that does. Names that try to leave {@code templates/} go to the sandbox unchanged, which
   * refuses them with its own message.
   */
  private String templateName(Path dir) {
    if (template.endsWith(".peb") || template.contains("..")) {
      return template;
    }
    try {
      Path templates = dir.resolve(TemplateRenderer.TEMPLATES_DIR);
      if (!Path.of(template).isAbsolute()
          && !Files.isRegularFile(templates.resolve(template))
          && Files.isRegularFile(templates.resolve(template + ".peb"))) {
        return template + ".peb";
      }
    } catch (InvalidPathException e) {
      // Not a file name at all: the sandbox says so.
    }
    return template;
  }

  private String export(ConfigSnapshot s) {
    SecretValues secrets = new SecretValues(s);
    ConfigExporter exporter = new ConfigExporter(s.config(), secrets::isSecretForExport);
    String k8sName = name == null ? "qcfg" : name;
    return switch (format) {
      case "hocon" -> exporter.hocon();
      case "json" -> exporter.json();
      case "properties" -> exporter.properties();
      case "dotenv" -> exporter.dotenv(includeSecrets, secrets);
      case "k8s-configmap" -> exporter.k8sConfigMap(k8sName, namespace);
      case "k8s-secret" -> exporter.k8sSecret(k8sName, namespace, secrets);
      default -> throw new IllegalStateException("format checked above: " + format);
    };
  }
}
