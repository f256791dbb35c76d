package io.qcfg.cli;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.qcfg.internal.snapshot.ConfigSnapshot;
import java.util.List;
import java.util.function.Function;

/**
 * The plaintext of a snapshot's secrets, by path, for the only outputs that carry it: {@code render
 * --format k8s-secret}, {@code render --format dotenv --include-secrets} and {@code secret('p')} in
 * a template rendered with {@code --allow-secrets}.
 *
 * <p>Paths are Typesafe paths as {@link ConfigUtil#joinPath} writes them, list elements by index
 * ({@code servers.0.password}), as the exporter names leaves. Only a scalar that is secret by its
 * own path or an enclosing list is returned; anything else (no such path, not a secret, an object)
 * gives null, which the exporter and the template sandbox report without the value.
 */
final class SecretValues implements Function<String, String> {
  private final ConfigSnapshot snapshot;

  SecretValues(ConfigSnapshot snapshot) {
    this.snapshot = snapshot;
  }

  @Override
  public String apply(String path) {
    List<String> segments = segments(path);
    if (segments == null) {
      return null;
    }
    ConfigValue value = snapshot.config().root();
    boolean secret = false;
    for (int i = 0; i < segments.size(); i++) {
      value = child(value, segments.get(i));
      if (value == null) {
        return null;
      }
      secret = secret || secretAsAWhole(ConfigUtil.joinPath(segments.subList(0, i + 1)), value);
    }
    if (!secret) {
      return null;
    }
    return switch (value.valueType()) {
      case STRING -> (String) value.unwrapped();
      case NUMBER, BOOLEAN -> value.render(ConfigRenderOptions.concise());
      default -> null;
    };
  }

  /**
   * The secret rule for {@link io.qcfg.internal.template.ConfigExporter}, which treats everything
   * below a secret path as secret: a list or scalar is secret when the snapshot says so, an object
   * never as a whole. The snapshot's rule also holds for the parents of secret leaves ({@code db}
   * for {@code db.password}), which would hide {@code db.url} too; {@code print} redacts the same
   * way, leaf by leaf.
   */
  boolean isSecretForExport(String path) {
    List<String> segments = segments(path);
    if (segments == null) {
      return snapshot.isSecret(path);
    }
    ConfigValue value = snapshot.config().root();
    for (String segment : segments) {
      value = child(value, segment);
      if (value == null) {
        return snapshot.isSecret(path);
      }
    }
    return secretAsAWhole(path, value);
  }

  private boolean secretAsAWhole(String path, ConfigValue value) {
    return value.valueType() != ConfigValueType.OBJECT && snapshot.isSecret(path);
  }

  private static List<String> segments(String path) {
    try {
      return ConfigUtil.splitPath(path);
    } catch (ConfigException e) {
      return null;
    }
  }

  private static ConfigValue child(ConfigValue parent, String key) {
    if (parent.valueType() == ConfigValueType.OBJECT) {
      return ((ConfigObject) parent).get(key);
    }
    if (parent.valueType() == ConfigValueType.LIST && key.matches("\\d{1,9}")) {
      ConfigList list = (ConfigList) parent;
      int i = Integer.parseInt(key);
      return i < list.size() ? list.get(i) : null;
    }
    return null;
  }
}
