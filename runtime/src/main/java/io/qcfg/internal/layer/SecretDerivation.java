package io.qcfg.internal.layer;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import io.qcfg.internal.tree.Leaves;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Finds the values made from a secret by substitution (issue 13 item 6): a copy ({@code b =
 * ${db.password}}), a concatenation ({@code url = "pg://app:"${db.password}"@db"}) or a copied
 * object that holds one. Each secret source (a leaf path the caller calls secret, and every
 * allowed environment variable whose name names a credential) is replaced by a unique marker in
 * the merged tree before its one resolve, the tree is resolved again, and every resolved leaf
 * that contains a marker is derived from a secret.
 *
 * <p>Cost: one more resolve, only when the tree has substitutions at all. A source that sits below
 * an unresolved object (a secret inside {@code x = ${other}}) or in a list cannot be replaced;
 * its own source path is then normally a source too. If the marked tree cannot be resolved (a
 * marker where a number was concatenated into an object), every leaf whose text contains the text
 * of a secret of four characters or more is called derived instead.
 */
public final class SecretDerivation {
  private static final String MARK = "\u0001qcfg-secret-";

  private SecretDerivation() {}

  /**
   * The leaf paths of {@code loaded} derived from a secret, not counting the sources themselves.
   *
   * @param isSource whether a leaf path of the resolved tree is secret by its own right
   * @param secretVariable whether an environment variable's name names a credential
   */
  public static Set<String> derived(
      LoadedConfig loaded, Predicate<String> isSource, Predicate<String> secretVariable) {
    Set<String> out = new TreeSet<>();
    Config unresolved = loaded.unresolved();
    if (unresolved == null) {
      return out;
    }
    Map<String, String> sources = new HashMap<>(); // marker -> source path, for the fallback
    Config marked = unresolved;
    int[] n = {0};
    Set<String> leaves = new TreeSet<>();
    Leaves.collectLeaves(loaded.config().root(), "", (path, v) -> leaves.add(path));
    Set<List<String>> named = new java.util.HashSet<>();
    for (String r : loaded.references()) {
      try {
        named.add(ConfigUtil.splitPath(r));
      } catch (ConfigException e) {
        // not a path: names nothing
      }
    }
    for (String path : leaves) {
      // Only a source that a substitution names, itself or an object above it, can be copied.
      if (!isSource.test(path) || !namedBy(named, path)) {
        continue;
      }
      String marker = MARK + (n[0]++) + "\u0001";
      if (replaceable(marked, path)) {
        marked = marked.withValue(path, ConfigValueFactory.fromAnyRef(marker));
      }
      sources.put(marker, path);
    }
    Map<String, String> varMarkers = new HashMap<>();
    for (String name : loaded.variables().keySet()) {
      if (secretVariable.test(name) && loaded.references().contains(name)) {
        varMarkers.put(name, MARK + "env-" + (n[0]++) + "\u0001");
      }
    }
    if (sources.isEmpty() && varMarkers.isEmpty()) {
      return out;
    }
    Config resolved;
    try {
      resolved = marked.resolve(Resolution.options(loaded.variables(), varMarkers::get));
    } catch (ConfigException | StackOverflowError e) {
      return byText(loaded, sources, varMarkers.keySet(), isSource);
    }
    Leaves.collectLeaves(resolved.root(), "", (path, v) -> {
      if (!isSource.test(path) && containsMarker(v)) {
        out.add(path);
      }
    });
    return out;
  }

  private static boolean namedBy(Set<List<String>> named, String path) {
    List<String> segments;
    try {
      segments = ConfigUtil.splitPath(path);
    } catch (ConfigException e) {
      return true; // cannot tell: mark it
    }
    for (int i = 1; i <= segments.size(); i++) {
      if (named.contains(segments.subList(0, i))) {
        return true;
      }
    }
    return false;
  }

  /** Whether every step from the root to {@code path} is an object Typesafe can walk unresolved. */
  private static boolean replaceable(Config tree, String path) {
    List<String> segments;
    try {
      segments = ConfigUtil.splitPath(path);
    } catch (ConfigException e) {
      return false;
    }
    ConfigValue node = tree.root();
    for (String seg : segments) {
      try {
        if (!(node instanceof ConfigObject obj) || node.valueType() != ConfigValueType.OBJECT) {
          return false;
        }
        node = obj.get(seg);
      } catch (ConfigException e) {
        return false; // an unresolved merge of objects: its keys are not known yet
      }
      if (node == null) {
        return false;
      }
    }
    return true;
  }

  private static boolean containsMarker(ConfigValue v) {
    if (v instanceof ConfigList list) {
      for (ConfigValue item : list) {
        if (containsMarker(item)) {
          return true;
        }
      }
      return false;
    }
    if (v instanceof ConfigObject obj) {
      for (ConfigValue item : obj.values()) {
        if (containsMarker(item)) {
          return true;
        }
      }
      return false;
    }
    Object raw = v.unwrapped();
    return raw instanceof String s && s.contains(MARK);
  }

  /** The fallback: leaves whose text contains a secret's text (four characters or more). */
  private static Set<String> byText(LoadedConfig loaded, Map<String, String> sources,
      Set<String> secretVariables, Predicate<String> isSource) {
    Set<String> secrets = new TreeSet<>();
    for (String path : sources.values()) {
      try {
        Object raw = loaded.config().getValue(path).unwrapped();
        if (raw != null && String.valueOf(raw).length() >= 4) {
          secrets.add(String.valueOf(raw));
        }
      } catch (ConfigException e) {
        // a path inside a list: not addressable, nothing to compare
      }
    }
    for (String name : secretVariables) {
      String value = loaded.variables().get(name);
      if (value != null && value.length() >= 4) {
        secrets.add(value);
      }
    }
    Set<String> out = new TreeSet<>();
    Leaves.collectLeaves(loaded.config().root(), "", (path, v) -> {
      Object raw = v.unwrapped();
      if (isSource.test(path) || raw == null) {
        return;
      }
      String text = String.valueOf(raw);
      for (String s : secrets) {
        if (text.contains(s)) {
          out.add(path);
          return;
        }
      }
    });
    return out;
  }
}
