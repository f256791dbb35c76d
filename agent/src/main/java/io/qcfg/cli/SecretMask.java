package io.qcfg.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.qcfg.internal.crypto.SecretPaths;
import io.qcfg.internal.tree.Leaves;
import java.io.IOException;
import java.net.URL;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hides secret values in text made from the raw layer files: the diff {@code migrate} prints. The
 * runtime's diff hides a line only when its own key names a credential, so {@code db { url = x,
 * password = "..." }} on one line, or a path the schema marks {@code x-secret}, would show the
 * value; this mask is the second line of defence.
 *
 * <p>It reads every layer file a migration may rewrite ({@code application.conf}, {@code
 * environments/*.conf}, {@code local.conf}) and the secret layer without resolving or including
 * anything, so it works on a directory that does not validate (or has no key for its {@code
 * ENC[...]} values). A value is secret by the runtime's own rule ({@link SecretPaths}: a credential
 * name, the schema's {@code x-secret}/{@code writeOnly}, a path the secret layer sets); every
 * secret-layer value counts too, in case one was copied into another file. Each such value, and its
 * quoted HOCON spelling, is replaced by {@value #REDACTED} wherever it stands alone in a line.
 * Masking an equal non-secret value too is the safe error.
 */
final class SecretMask {
  static final String REDACTED = "<redacted>";

  private final List<Pattern> values;

  private SecretMask(List<Pattern> values) {
    this.values = values;
  }

  /** The secret values of {@code dir}'s layer files. Unreadable files are skipped. */
  static SecretMask of(Path dir, Config secretLayer) {
    Set<String> secretLayerPaths = new TreeSet<>();
    Set<String> found = new TreeSet<>();
    Leaves.collectLeaves(secretLayer.root(), "", (path, v) -> secretLayerPaths.add(path));
    SecretPaths rule = SecretPaths.of(secretLayerPaths, Set.of(), schemaPatterns(dir));
    collect(secretLayer.root(), List.of(), true, rule, found);
    for (Path file : layerFiles(dir)) {
      try {
        Config raw = ConfigFactory.parseFile(file.toFile(), RAW);
        collect(raw.root(), List.of(), false, rule, found);
      } catch (ConfigException e) {
        // A file that does not parse is not rewritten, so no diff shows it.
      }
    }
    List<Pattern> patterns = new ArrayList<>();
    found.stream()
        .sorted(Comparator.comparingInt(String::length).reversed())
        .forEach(
            v -> {
              patterns.add(alone(v));
              String quoted = ConfigUtil.quoteString(v);
              patterns.add(alone(quoted.substring(1, quoted.length() - 1)));
            });
    return new SecretMask(patterns);
  }

  /** {@code text} with every known secret value replaced. */
  String apply(String text) {
    String out = text;
    for (Pattern p : values) {
      out = p.matcher(out).replaceAll(Matcher.quoteReplacement(REDACTED));
    }
    return out;
  }

  /** Scalar values at secret paths (or all, below {@code secret}), each line of them. */
  private static void collect(
      ConfigValue value, List<String> at, boolean secret, SecretPaths rule, Set<String> found) {
    boolean here = secret || (!at.isEmpty() && rule.isSecret(ConfigUtil.joinPath(at)));
    if (value.valueType() == ConfigValueType.OBJECT) {
      ConfigObject object = (ConfigObject) value;
      for (String key : object.keySet()) {
        collect(object.get(key), append(at, key), secret, rule, found);
      }
      return;
    }
    if (value.valueType() == ConfigValueType.LIST) {
      ConfigList list = (ConfigList) value;
      for (int i = 0; i < list.size(); i++) {
        collect(list.get(i), append(at, Integer.toString(i)), here, rule, found);
      }
      return;
    }
    if (!here || value.valueType() == ConfigValueType.NULL) {
      return;
    }
    String text;
    try {
      text =
          value.valueType() == ConfigValueType.STRING
              ? (String) value.unwrapped()
              : value.render(ConfigRenderOptions.concise());
    } catch (ConfigException.NotResolved e) {
      return; // a substitution: its text is the reference, not a value
    }
    for (String line : text.split("\\R")) {
      if (!line.isBlank()) {
        found.add(line.strip());
      }
    }
  }

  private static List<String> append(List<String> at, String key) {
    List<String> longer = new ArrayList<>(at);
    longer.add(key);
    return longer;
  }

  /** The value where it is not part of a longer word or number. */
  private static Pattern alone(String v) {
    return Pattern.compile("(?<![\\p{L}\\p{N}_])" + Pattern.quote(v) + "(?![\\p{L}\\p{N}_])");
  }

  private static List<String> schemaPatterns(Path dir) {
    Path schema = dir.resolve("schema.json");
    try {
      return Files.exists(schema)
          ? SecretPaths.schemaPatterns(Files.readString(schema), schema.toString())
          : List.of();
    } catch (IOException | RuntimeException e) {
      return List.of(); // an unreadable schema marks nothing; the names still do
    }
  }

  private static List<Path> layerFiles(Path dir) {
    List<Path> files =
        new ArrayList<>(List.of(dir.resolve("application.conf"), dir.resolve("local.conf")));
    Path envs = dir.resolve("environments");
    if (Files.isDirectory(envs)) {
      try (DirectoryStream<Path> list = Files.newDirectoryStream(envs, "*.conf")) {
        list.forEach(files::add);
      } catch (IOException e) {
        // The rewrite cannot list them either, and reports it.
      }
    }
    files.removeIf(f -> !Files.isRegularFile(f));
    return files;
  }

  /** HOCON as written: no includes followed (no file or URL is read), nothing resolved. */
  private static final ConfigParseOptions RAW =
      ConfigParseOptions.defaults()
          .setSyntax(ConfigSyntax.CONF)
          .setAllowMissing(false)
          .setIncluder(io.qcfg.internal.layer.NoIncludes.INSTANCE);
}
