package io.qcfg.internal.template;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import io.qcfg.Problem;
import io.qcfg.QcfgException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Deterministic exports of an effective configuration for {@code qcfg render}: the same
 * configuration always gives the same bytes (keys sorted at every level, list elements in order, no
 * timestamps, no origin comments).
 *
 * <p><b>Secrets.</b> A leaf is secret when {@code isSecret} says so for its own path or for any
 * enclosing object or list path (so {@code passwords = [a, b]} is secret as a whole, and {@code
 * servers.0.password} by its own name). {@link #hocon}, {@link #json} and {@link #properties} show
 * secret leaves as {@value #REDACTED}; {@link #dotenv} leaves them out unless asked; {@link
 * #k8sConfigMap} holds non-secret leaves only and {@link #k8sSecret} secret leaves only, read in
 * plaintext through a lookup (the configuration given here may hold redacted or encrypted values).
 *
 * <p><b>Paths.</b> Flat formats name a leaf by its Typesafe path ({@link ConfigUtil#joinPath},
 * which quotes keys holding dots or other special characters); a list element's index is a path
 * segment: {@code servers.0.host}. Typesafe Config reads such numeric keys back as a list. {@code
 * null} leaves, empty objects and empty lists have no flat line.
 *
 * <p>Concurrency: immutable; all work happens in the constructor and the format methods.
 */
public final class ConfigExporter {
  /** What a secret value is replaced with. */
  public static final String REDACTED = "<redacted>";

  /** The prefix Typesafe Config's environment overrides use. */
  public static final String DOTENV_PREFIX = "CONFIG_FORCE_";

  static final String ID_DOTENV_VALUE = "QCFG-4450";
  static final String ID_DOTENV_NAME = "QCFG-4451";
  static final String ID_K8S_KEY = "QCFG-4452";
  static final String ID_NO_PLAINTEXT = "QCFG-4453";
  static final String ID_UNRESOLVED = "QCFG-4454";

  private static final Pattern K8S_KEY = Pattern.compile("[-._a-zA-Z0-9]+");
  private static final Pattern K8S_NAME =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern K8S_NAMESPACE = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern ENV_SEGMENT = Pattern.compile("[A-Za-z0-9]+([-_][A-Za-z0-9]+)*");

  /** A leaf of the tree in export order. */
  private record Leaf(String path, List<String> segments, ConfigValue value, boolean secret) {}

  private final Predicate<String> isSecret;
  private final ConfigObject redactedRoot;
  private final List<Leaf> leaves = new ArrayList<>();

  /**
   * @param config the effective configuration; substitutions must resolve
   * @param isSecret whether a path (a leaf, an object or a list) is secret
   * @throws QcfgException.Invalid when the configuration has unresolved substitutions
   */
  public ConfigExporter(Config config, Predicate<String> isSecret) {
    this.isSecret = isSecret;
    Config resolved;
    try {
      resolved = config.resolve();
    } catch (ConfigException e) {
      String where = e.origin() == null ? "(effective configuration)" : e.origin().description();
      throw new QcfgException.Invalid(
          new Problem(ID_UNRESOLVED, where, "", "cannot export: " + io.qcfg.internal.crypto.ForeignText.describe(e)));
    }
    this.redactedRoot = (ConfigObject) walk(resolved.root(), new ArrayList<>(), false);
  }

  /** HOCON, keys sorted, no comments, secrets as {@value #REDACTED}. */
  public String hocon() {
    return redactedRoot.render(renderOptions().setJson(false));
  }

  /** JSON, keys sorted, secrets as {@value #REDACTED}. */
  public String json() {
    return redactedRoot.render(renderOptions().setJson(true));
  }

  /**
   * {@code java.util.Properties} text, one {@code path=value} line per leaf, escaped as {@code
   * Properties.store} escapes (with non-ASCII as {@code \\uXXXX}, so the text is also valid
   * ISO-8859-1), without the date comment that {@code store} writes. Lists are indexed: {@code
   * hosts.0=a}, {@code hosts.1=b}. Secrets as {@value #REDACTED}.
   */
  public String properties() {
    StringBuilder out = new StringBuilder();
    for (Leaf leaf : leaves) {
      out.append(escapeProperty(leaf.path(), true))
          .append('=')
          .append(escapeProperty(leaf.secret() ? REDACTED : text(leaf.value()), false))
          .append('\n');
    }
    return out.toString();
  }

  /**
   * An env file for {@code docker run --env-file}: one {@code NAME=value} line per leaf, no quotes
   * (Docker takes values literally). Names use Typesafe Config's override convention, so that under
   * qcfg the variables really override: {@value #DOTENV_PREFIX} then the path with {@code .}→{@code
   * _}, {@code -}→{@code __}, {@code _}→{@code ___}; {@code db.pool-size} becomes {@code
   * CONFIG_FORCE_db_pool__size}. See {@link #dotenvName}.
   *
   * @param includeSecrets whether secret leaves are written (in plaintext); false leaves them out
   *     entirely
   * @param plaintextLookup plaintext by path for secret leaves; used only with {@code
   *     includeSecrets}
   * @throws QcfgException.Invalid listing every leaf whose name cannot be mangled reversibly
   *     ({@value #ID_DOTENV_NAME}), whose value holds a line break or NUL ({@value
   *     #ID_DOTENV_VALUE}), or whose plaintext is missing ({@value #ID_NO_PLAINTEXT})
   */
  public String dotenv(boolean includeSecrets, Function<String, String> plaintextLookup) {
    StringBuilder out = new StringBuilder();
    List<Problem> problems = new ArrayList<>();
    for (Leaf leaf : leaves) {
      if (leaf.secret() && !includeSecrets) {
        continue;
      }
      String name = dotenvNameOrNull(leaf.segments());
      if (name == null) {
        problems.add(
            problem(
                ID_DOTENV_NAME,
                "dotenv",
                leaf.path(),
                "cannot be written as an environment variable: each key must be letters and"
                    + " digits joined by single '-' or '_'"));
        continue;
      }
      String value =
          leaf.secret() ? plaintext(leaf, plaintextLookup, "dotenv", problems) : text(leaf.value());
      if (value == null) {
        continue;
      }
      if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0 || value.indexOf('\0') >= 0) {
        problems.add(
            problem(
                ID_DOTENV_VALUE,
                "dotenv",
                leaf.path(),
                "the value holds a line break or NUL, which an env file cannot carry"));
        continue;
      }
      out.append(name).append('=').append(value).append('\n');
    }
    throwIfAny(problems);
    return out.toString();
  }

  /**
   * A Kubernetes ConfigMap manifest (YAML) holding every non-secret leaf, keyed by its path.
   *
   * @param name the ConfigMap's name (a DNS subdomain)
   * @param namespace its namespace (a DNS label), or null for none
   * @throws QcfgException.BadOption for an invalid name or namespace
   * @throws QcfgException.Invalid listing every path that is not a valid ConfigMap key
   */
  public String k8sConfigMap(String name, String namespace) {
    StringBuilder out = manifestHeader("ConfigMap", name, namespace);
    List<Problem> problems = new ArrayList<>();
    StringBuilder data = new StringBuilder();
    for (Leaf leaf : leaves) {
      if (!leaf.secret() && validKey(leaf, "k8s-configmap", problems)) {
        data.append("  ").append(yamlQuote(leaf.path())).append(": ");
        data.append(yamlQuote(text(leaf.value()))).append('\n');
      }
    }
    throwIfAny(problems);
    return appendData(out, data).toString();
  }

  /**
   * A Kubernetes Secret manifest (YAML, {@code type: Opaque}) holding only the secret leaves, each
   * {@code data} value the base64 of the UTF-8 plaintext.
   *
   * @param plaintextLookup plaintext by path; null means the secret cannot be read
   * @throws QcfgException.BadOption for an invalid name or namespace
   * @throws QcfgException.Invalid listing every invalid key and every missing plaintext
   */
  public String k8sSecret(String name, String namespace, Function<String, String> plaintextLookup) {
    StringBuilder out = manifestHeader("Secret", name, namespace);
    out.append("type: \"Opaque\"\n");
    List<Problem> problems = new ArrayList<>();
    StringBuilder data = new StringBuilder();
    for (Leaf leaf : leaves) {
      if (!leaf.secret() || !validKey(leaf, "k8s-secret", problems)) {
        continue;
      }
      String value = plaintext(leaf, plaintextLookup, "k8s-secret", problems);
      if (value != null) {
        String encoded = Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
        data.append("  ").append(yamlQuote(leaf.path())).append(": ");
        data.append(yamlQuote(encoded)).append('\n');
      }
    }
    throwIfAny(problems);
    return appendData(out, data).toString();
  }

  /**
   * The environment variable that overrides {@code path} under Typesafe Config's convention, e.g.
   * {@code CONFIG_FORCE_db_pool__size} for {@code db.pool-size}.
   *
   * @param path a Typesafe path
   * @throws IllegalArgumentException when a key cannot be mangled reversibly: keys must be letters
   *     and digits joined by single {@code -} or {@code _} (a leading, trailing or doubled {@code
   *     -}/{@code _} would merge into a run of underscores Typesafe reads differently or refuses)
   */
  public static String dotenvName(String path) {
    String name = dotenvNameOrNull(ConfigUtil.splitPath(path));
    if (name == null) {
      throw new IllegalArgumentException(
          path + ": cannot be written as an environment variable name");
    }
    return name;
  }

  private static String dotenvNameOrNull(List<String> segments) {
    StringBuilder name = new StringBuilder(DOTENV_PREFIX);
    for (int i = 0; i < segments.size(); i++) {
      String segment = segments.get(i);
      if (!ENV_SEGMENT.matcher(segment).matches()) {
        return null;
      }
      if (i > 0) {
        name.append('_');
      }
      for (char c : segment.toCharArray()) {
        name.append(c == '_' ? "___" : c == '-' ? "__" : String.valueOf(c));
      }
    }
    return name.toString();
  }

  // ---- tree walk --------------------------------------------------------------------------

  /** Collects leaves in export order and returns {@code value} with secrets redacted. */
  private ConfigValue walk(ConfigValue value, List<String> segments, boolean secretAbove) {
    String path = segments.isEmpty() ? "" : ConfigUtil.joinPath(segments);
    boolean secret = secretAbove || (!segments.isEmpty() && isSecret.test(path));
    switch (value.valueType()) {
      case OBJECT:
        {
          ConfigObject object = (ConfigObject) value;
          Map<String, ConfigValue> copy = new LinkedHashMap<>();
          for (String key : new TreeSet<>(object.keySet())) {
            copy.put(key, walk(object.get(key), append(segments, key), secret));
          }
          return ConfigValueFactory.fromMap(copy);
        }
      case LIST:
        {
          ConfigList list = (ConfigList) value;
          List<ConfigValue> copy = new ArrayList<>(list.size());
          for (int i = 0; i < list.size(); i++) {
            copy.add(walk(list.get(i), append(segments, Integer.toString(i)), secret));
          }
          return ConfigValueFactory.fromIterable(copy);
        }
      case NULL:
        return value;
      default:
        leaves.add(new Leaf(path, List.copyOf(segments), value, secret));
        return secret ? ConfigValueFactory.fromAnyRef(REDACTED) : value;
    }
  }

  private static List<String> append(List<String> segments, String key) {
    List<String> longer = new ArrayList<>(segments.size() + 1);
    longer.addAll(segments);
    longer.add(key);
    return longer;
  }

  /** A scalar as text: strings as they are, numbers as written, booleans as true/false. */
  private static String text(ConfigValue value) {
    if (value.valueType() == ConfigValueType.STRING) {
      return (String) value.unwrapped();
    }
    return value.render(ConfigRenderOptions.concise());
  }

  private static ConfigRenderOptions renderOptions() {
    return ConfigRenderOptions.defaults()
        .setOriginComments(false)
        .setComments(false)
        .setFormatted(true);
  }

  private static String plaintext(
      Leaf leaf, Function<String, String> lookup, String format, List<Problem> problems) {
    String value = lookup == null ? null : lookup.apply(leaf.path());
    if (value == null) {
      problems.add(
          problem(ID_NO_PLAINTEXT, format, leaf.path(), "the secret's plaintext is not available"));
    }
    return value;
  }

  private static boolean validKey(Leaf leaf, String format, List<Problem> problems) {
    if (K8S_KEY.matcher(leaf.path()).matches() && leaf.path().length() <= 253) {
      return true;
    }
    problems.add(
        problem(
            ID_K8S_KEY,
            format,
            leaf.path(),
            "is not a valid Kubernetes data key: letters, digits, '-', '_' and '.' only"));
    return false;
  }

  private static Problem problem(String id, String format, String path, String reason) {
    return new Problem(id, "export " + format, path, reason);
  }

  private static void throwIfAny(List<Problem> problems) {
    if (!problems.isEmpty()) {
      throw new QcfgException.Invalid(problems);
    }
  }

  // ---- text escaping ----------------------------------------------------------------------

  private static StringBuilder manifestHeader(String kind, String name, String namespace) {
    if (name == null || name.length() > 253 || !K8S_NAME.matcher(name).matches()) {
      throw new QcfgException.BadOption(
          "Kubernetes name '"
              + name
              + "' is invalid: lowercase letters, digits, '-' and '.', at most 253 characters");
    }
    if (namespace != null
        && (namespace.length() > 63 || !K8S_NAMESPACE.matcher(namespace).matches())) {
      throw new QcfgException.BadOption(
          "Kubernetes namespace '"
              + namespace
              + "' is invalid: lowercase letters, digits and '-', at most 63 characters");
    }
    StringBuilder out = new StringBuilder();
    out.append("apiVersion: \"v1\"\n");
    out.append("kind: ").append(yamlQuote(kind)).append('\n');
    out.append("metadata:\n");
    out.append("  name: ").append(yamlQuote(name)).append('\n');
    if (namespace != null) {
      out.append("  namespace: ").append(yamlQuote(namespace)).append('\n');
    }
    return out;
  }

  private static StringBuilder appendData(StringBuilder out, StringBuilder data) {
    return data.length() == 0 ? out.append("data: {}\n") : out.append("data:\n").append(data);
  }

  /**
   * A YAML double-quoted scalar: {@code "} and {@code \} escaped, and every character YAML could
   * read as a line break or that is not printable written as an escape.
   */
  static String yamlQuote(String s) {
    StringBuilder out = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20
              || (c >= 0x7f && c <= 0x9f)
              || c == '\u2028'
              || c == '\u2029'
              || c == '\ufeff') {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  static String escapeProperty(String s, boolean isKey) {
    return io.qcfg.internal.text.PropertiesText.escape(s, isKey);
  }
}
