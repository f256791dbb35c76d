package io.qcfg.internal.snapshot;

import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import io.qcfg.internal.crypto.ChecksumKey;
import io.qcfg.internal.text.Sha256;
import io.qcfg.internal.tree.ConfigPaths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The canonical rendering of a tree: concise JSON with keys sorted (Typesafe's renderer sorts
 * object keys), which the checksum is taken over. Equal trees give equal checksums whatever file,
 * order or comments they came from; secret values enter only through a keyed hash.
 */
public final class Canonical {
  private Canonical() {}

  public static String render(ConfigObject root) {
    return root.render(ConfigRenderOptions.concise());
  }

  public static String checksum(ConfigObject root) {
    return Sha256.hex(render(root));
  }

  /**
   * The checksum of a tree with secrets: SHA-256 hex of the canonical rendering in which every
   * secret leaf is replaced by its keyed hash ({@link ChecksumKey#seal}), so that the checksum
   * cannot confirm a guessed secret. A tree without secrets gets {@link #checksum(ConfigObject)}.
   */
  public static String checksum(ConfigObject root, Predicate<String> secret, ChecksumKey key) {
    return checksum((ConfigObject) keyed(root, "", secret, key));
  }

  private static ConfigValue keyed(
      ConfigValue value, String path, Predicate<String> secret, ChecksumKey key) {
    if (!path.isEmpty() && value.valueType() != ConfigValueType.OBJECT && secret.test(path)) {
      String rendered = value.render(ConfigRenderOptions.concise());
      return ConfigValueFactory.fromAnyRef(key.seal(path, rendered), value.origin().description());
    }
    if (value.valueType() == ConfigValueType.OBJECT) {
      ConfigObject obj = (ConfigObject) value;
      Map<String, Object> out = new LinkedHashMap<>();
      boolean changed = false;
      for (String k : obj.keySet()) {
        String child = path.isEmpty() ? ConfigPaths.quote(k) : path + "." + ConfigPaths.quote(k);
        ConfigValue v = obj.get(k);
        ConfigValue kv = keyed(v, child, secret, key);
        changed |= kv != v;
        out.put(k, kv);
      }
      return changed ? ConfigValueFactory.fromMap(out, obj.origin().description()) : value;
    }
    if (value.valueType() == ConfigValueType.LIST) {
      ConfigList list = (ConfigList) value;
      List<Object> out = new ArrayList<>();
      boolean changed = false;
      for (int i = 0; i < list.size(); i++) {
        ConfigValue kv = keyed(list.get(i), path + "." + i, secret, key);
        changed |= kv != list.get(i);
        out.add(kv);
      }
      return changed ? ConfigValueFactory.fromIterable(out, list.origin().description()) : value;
    }
    return value;
  }

  /** A copy of {@code value} (found at {@code path}) with every secret leaf replaced. */
  public static ConfigValue redacted(ConfigValue value, String path, Predicate<String> secret) {
    if (value.valueType() == ConfigValueType.OBJECT) {
      ConfigObject obj = (ConfigObject) value;
      Map<String, Object> out = new LinkedHashMap<>();
      for (String key : obj.keySet()) {
        String quoted = ConfigPaths.quote(key);
        String child = path.isEmpty() ? quoted : path + "." + quoted;
        out.put(key, redacted(obj.get(key), child, secret));
      }
      return ConfigValueFactory.fromMap(out, value.origin().description());
    }
    if (secret.test(path)) {
      return ConfigValueFactory.fromAnyRef(ConfigSnapshot.REDACTED, value.origin().description());
    }
    if (value.valueType() == ConfigValueType.LIST) {
      ConfigList list = (ConfigList) value;
      List<Object> out = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        out.add(redacted(list.get(i), path + "." + i, secret));
      }
      return ConfigValueFactory.fromIterable(out, value.origin().description());
    }
    return value;
  }

  /**
   * A copy with every plaintext secret replaced by {@link ConfigSnapshot#SEALED}: a secret leaf
   * whole (a list too), and inside lists the secret elements and the secret leaves of their
   * objects ({@code servers.0.password}), which {@link #redacted} hides too and the checksum
   * keys. Encrypted values stay (their ciphertext is no secret).
   */
  public static ConfigObject sealed(
      ConfigObject obj, String path, Predicate<String> secret, java.util.Set<String> encrypted) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (String key : obj.keySet()) {
      String quoted = ConfigPaths.quote(key);
      String child = path.isEmpty() ? quoted : path + "." + quoted;
      out.put(key, sealedValue(obj.get(key), child, secret, encrypted));
    }
    return ConfigValueFactory.fromMap(out, obj.origin().description());
  }

  private static ConfigValue sealedValue(
      ConfigValue v, String path, Predicate<String> secret, java.util.Set<String> encrypted) {
    if (v.valueType() == ConfigValueType.OBJECT) {
      return sealed((ConfigObject) v, path, secret, encrypted);
    }
    if (secret.test(path)) {
      return encrypted.contains(path) ? v
          : ConfigValueFactory.fromAnyRef(ConfigSnapshot.SEALED, v.origin().description());
    }
    if (v.valueType() == ConfigValueType.LIST) {
      ConfigList list = (ConfigList) v;
      List<Object> out = new ArrayList<>(list.size());
      boolean changed = false;
      for (int i = 0; i < list.size(); i++) {
        ConfigValue item = list.get(i);
        ConfigValue sealed = sealedValue(item, path + "." + i, secret, encrypted);
        changed |= sealed != item;
        out.add(sealed);
      }
      return changed ? ConfigValueFactory.fromIterable(out, list.origin().description()) : v;
    }
    return v;
  }

  /**
   * Whether {@link #sealed} would change something inside {@code list} (at {@code path}, itself
   * no secret): a value that must not be kept as it is, although its leaf is no secret.
   */
  public static boolean holdsSecret(ConfigList list, String path, Predicate<String> secret) {
    for (int i = 0; i < list.size(); i++) {
      if (holdsSecret(list.get(i), path + "." + i, secret)) {
        return true;
      }
    }
    return false;
  }

  private static boolean holdsSecret(ConfigValue v, String path, Predicate<String> secret) {
    if (v.valueType() == ConfigValueType.OBJECT) {
      ConfigObject obj = (ConfigObject) v;
      for (String key : obj.keySet()) {
        if (holdsSecret(obj.get(key), path + "." + ConfigPaths.quote(key), secret)) {
          return true;
        }
      }
      return false;
    }
    if (secret.test(path)) {
      return true;
    }
    return v.valueType() == ConfigValueType.LIST && holdsSecret((ConfigList) v, path, secret);
  }
}
