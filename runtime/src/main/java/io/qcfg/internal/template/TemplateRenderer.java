package io.qcfg.internal.template;

import io.qcfg.Problem;
import io.qcfg.QcfgException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The two uses of templates in qcfg, both through a {@link TemplateSandbox}.
 *
 * <p><b>Layer templates.</b> Any layer file may be a template named {@code *.conf.peb} (for example
 * {@code environments/production.conf.peb} or {@code application.conf.peb}). {@link #renderLayer}
 * renders it once for the active environment; the caller then parses the result as HOCON. The
 * template sees {@code env} (the environment name) and {@code vars} (environment variables already
 * filtered by the substitution allow list). Includes resolve inside the configuration directory
 * only, and never into {@code secrets/}: a secret copied into another layer would lose its secret
 * provenance and be shown unredacted.
 *
 * <p>Line breaks: both kinds are rendered without Pebble's newline trimming, which would also eat
 * the line break after every {@code {{ value }}} and so join lines of config text. Every line break
 * in a template is kept; to drop the one before a tag, write {@code {%- tag %}} (Pebble's
 * whitespace control), as the examples in the test resources do.
 *
 * <p>Line numbers: since nothing is trimmed, a line that holds only a tag ({@code {% set %}},
 * {@code {% if %}}, ...) renders as an empty line. Rendered line N therefore is template line N as
 * long as no tag adds or removes lines (a loop, a false {@code if} block, a multi-line include or
 * macro, whitespace control {@code {{- -}}}). The caller reports HOCON origins as the template file
 * with the rendered line; there is no finer line map.
 *
 * <p>Values are data: the template file is rendered exactly once, and a value that itself holds
 * {@code {{ ... }}} (in {@code vars}, in {@code config}, in the resulting HOCON) is never rendered
 * again. Autoescaping is off; use {@code {{ vars.X | json }}} to insert a value as a quoted HOCON
 * string.
 *
 * <p><b>User templates.</b> {@link #renderUserTemplate} renders a file under {@code templates/} for
 * {@code render}: the template also sees {@code config}, the merged configuration with secrets
 * already redacted, and may call {@code secret('db.password')} only when the user passed {@code
 * --allow-secrets}.
 *
 * <p>Concurrency: immutable.
 */
public final class TemplateRenderer {
  /** File name suffix of a layer template. */
  public static final String LAYER_SUFFIX = ".conf.peb";

  /** Directory of user templates inside the configuration directory. */
  public static final String TEMPLATES_DIR = "templates";

  /** The secret layer's directory, which layer templates may not read. */
  static final String SECRETS_DIR = "secrets";

  private final Path displayBase;
  private final int maxOutputChars;

  /**
   * @param displayBase problem locations are shown relative to this directory, normally the parent
   *     of the configuration directory (so they read {@code config/templates/x.peb:3})
   */
  public TemplateRenderer(Path displayBase) {
    this(displayBase, TemplateSandbox.DEFAULT_MAX_OUTPUT_CHARS);
  }

  /**
   * @param maxOutputChars the output bound per render, in characters
   */
  public TemplateRenderer(Path displayBase, int maxOutputChars) {
    this.displayBase = displayBase;
    this.maxOutputChars = maxOutputChars;
  }

  /** Whether {@code file} is a layer template ({@value #LAYER_SUFFIX}). */
  public static boolean isLayerTemplate(Path file) {
    Path name = file.getFileName();
    return name != null && name.toString().endsWith(LAYER_SUFFIX);
  }

  /**
   * Renders a layer template, once, to HOCON text.
   *
   * @param configDir the configuration directory; the template and its includes must be inside
   * @param templateFile the template, either below {@code configDir} (absolute or as a path
   *     starting with {@code configDir}) or relative to {@code configDir}
   * @param env the active environment name, seen as {@code env}
   * @param vars allowed environment variables, seen as {@code vars}
   * @return the rendered text, to be parsed as HOCON by the caller
   * @throws QcfgException.Invalid with one problem located at the template file and line
   */
  public String renderLayer(
      Path configDir, Path templateFile, String env, Map<String, String> vars) {
    TemplateSandbox sandbox =
        new TemplateSandbox(configDir, displayBase, maxOutputChars, false, Set.of(SECRETS_DIR));
    String name = nameInside(sandbox, configDir, templateFile);
    Map<String, Object> context = new HashMap<>();
    context.put("env", env);
    context.put("vars", vars);
    return sandbox.render(name, context, null);
  }

  /**
   * Renders a user template from {@code configDir/templates/}.
   *
   * @param templateName the template's name relative to {@code templates/}, e.g. {@code
   *     nginx.conf.peb}
   * @param env the active environment name, seen as {@code env}
   * @param config the merged configuration as nested maps and lists with secrets already redacted,
   *     seen as {@code config}
   * @param vars allowed environment variables, seen as {@code vars}
   * @param allowSecrets whether {@code secret('path')} may return plaintext ({@code render
   *     --allow-secrets}); without it every call is an error naming the template and line
   * @param secretLookup plaintext of a secret by configuration path (null result: no such secret);
   *     not called unless {@code allowSecrets}
   * @throws QcfgException.Invalid with one problem located at the template file and line
   */
  public String renderUserTemplate(
      Path configDir,
      String templateName,
      String env,
      Map<String, Object> config,
      Map<String, String> vars,
      boolean allowSecrets,
      Function<String, String> secretLookup) {
    TemplateSandbox sandbox =
        new TemplateSandbox(
            configDir.resolve(TEMPLATES_DIR), displayBase, maxOutputChars, false, Set.of());
    Map<String, Object> context = new HashMap<>();
    context.put("env", env);
    context.put("vars", vars);
    context.put("config", config);
    return sandbox.render(templateName, context, allowSecrets ? secretLookup : null);
  }

  private static String nameInside(TemplateSandbox sandbox, Path configDir, Path templateFile) {
    Path dir = configDir.toAbsolutePath().normalize();
    Path file = templateFile.toAbsolutePath().normalize();
    if (file.startsWith(dir) && !file.equals(dir)) {
      return dir.relativize(file).toString().replace('\\', '/');
    }
    if (!templateFile.isAbsolute()) {
      return templateFile.toString().replace('\\', '/');
    }
    throw new QcfgException.Invalid(
        new Problem(
            TemplateSandbox.ID_OUTSIDE_ROOT,
            sandbox.display(null, null),
            "",
            "layer template " + templateFile + " is not inside the configuration directory"));
  }
}
