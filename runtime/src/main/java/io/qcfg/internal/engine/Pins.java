package io.qcfg.internal.engine;

import io.qcfg.internal.tree.ConfigPaths;
import java.util.Properties;

/** Which layer above runtime overrides pins a path, so that an override of it would be hidden. */
final class Pins {
  private static final String FORCE = "CONFIG_FORCE_";

  private Pins() {}

  /** The layer above overrides that sets {@code path} or a path under it, or null. */
  static String pinningLayer(String path) {
    Properties props = System.getProperties();
    for (String name : props.stringPropertyNames()) {
      if (name.equals(path) || name.startsWith(path + ".")) {
        return "system-properties (-D" + name + ")";
      }
    }
    for (String name : System.getenv().keySet()) {
      if (name.startsWith(FORCE)) {
        String p = ConfigPaths.unmangle(name.substring(FORCE.length()));
        if (p.equals(path) || p.startsWith(path + ".") || path.startsWith(p + ".")) {
          return "environment-variables (" + name + ")";
        }
      }
    }
    return null;
  }
}
