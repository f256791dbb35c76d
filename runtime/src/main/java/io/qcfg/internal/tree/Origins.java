package io.qcfg.internal.tree;

import com.typesafe.config.ConfigOrigin;
import io.qcfg.Origin;
import java.nio.file.Path;
import java.util.Map;

/** How files and Typesafe origins are shown to users, and which layer a value came from. */
public final class Origins {
  private static final Path CWD = Path.of("").toAbsolutePath();
  private static final java.util.concurrent.ConcurrentHashMap<String, String> DISPLAYED =
      new java.util.concurrent.ConcurrentHashMap<>();

  private Origins() {}

  /** {@code config/application.conf} when under the working directory, else the absolute path. */
  public static String display(Path file) {
    Path abs = file.toAbsolutePath().normalize();
    if (abs.startsWith(CWD)) {
      String rel = CWD.relativize(abs).toString();
      return rel.isEmpty() ? "." : rel;
    }
    return abs.toString();
  }

  /** The description we gave a parse ({@code config/a.conf}), without Typesafe's line suffix. */
  public static String fileOf(ConfigOrigin origin) {
    if (origin == null) {
      return null;
    }
    String name = origin.filename();
    if (name != null) {
      // Memoised: a walk over thousands of leaves meets the same few files (Path arithmetic per
      // leaf was ~5% of a cold build's samples, in the secret-layer scan).
      String shown = DISPLAYED.get(name);
      if (shown == null) {
        shown = display(Path.of(name));
        if (DISPLAYED.size() > 4096) {
          DISPLAYED.clear(); // bounded: names come from configuration directories
        }
        DISPLAYED.put(name, shown);
      }
      return shown;
    }
    int line = origin.lineNumber();
    if (line >= 0 && origin.withLineNumber(line) == origin) {
      // One line, not a range: the description is "<base>: <line>", whose base is the answer;
      // the origin without a line describes itself by it, with no text built (the start tree's
      // writer asks this of every value, on a short-lived JVM's exit path; issue 16).
      return origin.withLineNumber(-1).description();
    }
    return withoutLineSuffix(origin.description());
  }

  /**
   * {@code d} without a trailing {@code ": 12"}: what {@code ^(.*?): (\d+)$} captures, without a
   * matcher per call (a scan of every secret leaf asks this; {@code OriginsTest} compares).
   */
  static String withoutLineSuffix(String d) {
    int colon = d.lastIndexOf(": ");
    if (colon < 0 || colon + 2 == d.length()) {
      return d;
    }
    for (int i = colon + 2; i < d.length(); i++) {
      char c = d.charAt(i);
      if (c < '0' || c > '9') {
        return d;
      }
    }
    return d.substring(0, colon);
  }

  /** {@code file:line} for an origin, or its description. */
  public static String location(ConfigOrigin origin) {
    if (origin == null) {
      return "(unknown origin)";
    }
    String file = fileOf(origin);
    return origin.lineNumber() > 0 ? file + ":" + origin.lineNumber() : file;
  }

  /** Which layer and file:line a value came from. */
  public static Origin originOf(ConfigOrigin o, Map<String, LayerKind> layerOf) {
    if (o == null) {
      return new Origin("unknown", null, -1);
    }
    String file = fileOf(o);
    LayerKind k = layerOf.get(file);
    if (k != null) {
      return new Origin(k.label(), file, o.lineNumber());
    }
    String d = o.description();
    if (d.startsWith("system property")) {
      return new Origin(LayerKind.SYSTEM_PROPERTIES.label(), null, -1);
    }
    if (d.startsWith("env var")) {
      return new Origin(LayerKind.ENVIRONMENT_VARIABLES.label(), null, -1);
    }
    if (d.startsWith("runtime override")) {
      return new Origin(LayerKind.OVERRIDE.label(), null, -1);
    }
    if (d.startsWith("reference.conf") || (file != null && file.contains(" @ "))) {
      return new Origin(LayerKind.DEFAULTS.label(), file, o.lineNumber());
    }
    return new Origin("unknown", file, o.lineNumber());
  }
}
