package io.qcfg.internal.layer;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigOrigin;
import io.qcfg.Problem;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** How files and Typesafe origins are shown to users. */
public final class LayerFiles {
  private static final Pattern LINE_SUFFIX = Pattern.compile("^(.*?): (\\d+)$");
  private static final Path CWD = Path.of("").toAbsolutePath();

  private LayerFiles() {}

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
    if (origin.filename() != null) {
      return display(Path.of(origin.filename()));
    }
    String d = origin.description();
    Matcher m = LINE_SUFFIX.matcher(d);
    return m.matches() ? m.group(1) : d;
  }

  /** {@code file:line} for an origin, or its description. */
  public static String location(ConfigOrigin origin) {
    if (origin == null) {
      return "(unknown origin)";
    }
    String file = fileOf(origin);
    return origin.lineNumber() > 0 ? file + ":" + origin.lineNumber() : file;
  }

  /** A problem from a Typesafe exception, with its origin prefix moved into the location. */
  public static Problem problem(String id, ConfigException e, String fallbackLocation) {
    ConfigOrigin o = e.origin();
    String location = o == null ? fallbackLocation : location(o);
    // qcfg's wording: no origin prefix, no tree dump, no quoted token, no known secret
    return new Problem(id, location, "", io.qcfg.internal.crypto.ForeignText.describe(e));
  }
}
