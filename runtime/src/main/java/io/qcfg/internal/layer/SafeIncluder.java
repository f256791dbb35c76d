package io.qcfg.internal.layer;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigIncludeContext;
import com.typesafe.config.ConfigIncluder;
import com.typesafe.config.ConfigIncluderClasspath;
import com.typesafe.config.ConfigIncluderFile;
import com.typesafe.config.ConfigIncluderURL;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The includer for every layer file: {@code include "x"} and {@code include file("x")} resolve
 * relative to the including file and only inside the configuration directory (real paths, after
 * symlinks); {@code include url(...)} is always refused; {@code include classpath(...)} is refused
 * except for {@code reference.conf}, which is the defaults layer anyway.
 */
final class SafeIncluder implements ConfigIncluder, ConfigIncluderFile, ConfigIncluderURL,
    ConfigIncluderClasspath {

  /** An include we will not follow. Extends ConfigException so it travels through the parser. */
  static final class Refused extends ConfigException {
    private static final long serialVersionUID = 1L;

    Refused(ConfigOrigin origin, String message) {
      super(origin, message);
    }
  }

  private final Path root;
  private final Path baseDir;
  private final LayerFileReader reader;
  private final int depth;

  SafeIncluder(Path realRoot, Path baseDir, LayerFileReader reader, int depth) {
    this.root = realRoot;
    this.baseDir = baseDir;
    this.reader = reader;
    this.depth = depth;
  }

  @Override
  public ConfigIncluder withFallback(ConfigIncluder fallback) {
    return this; // never fall back to Typesafe's includer: it would fetch URLs
  }

  @Override
  public ConfigObject include(ConfigIncludeContext context, String what) {
    return includeFile(context, new File(what));
  }

  @Override
  public ConfigObject includeFile(ConfigIncludeContext context, File what) {
    ConfigOrigin origin = ConfigFactory.empty(includeDescription(what.getPath())).origin();
    if (depth > 16) {
      throw new Refused(origin, "includes nested more than 16 deep (an include cycle?)");
    }
    Path target = what.isAbsolute() ? what.toPath() : baseDir.resolve(what.toPath());
    Path candidate = target;
    if (!Files.exists(candidate) && !target.getFileName().toString().contains(".")) {
      candidate = target.resolveSibling(target.getFileName() + ".conf");
    }
    if (!Files.exists(candidate)) {
      // Typesafe's semantics: a plain include of a missing file is silently empty.
      return ConfigFactory.empty().root();
    }
    Path real;
    try {
      real = candidate.toRealPath();
    } catch (IOException e) {
      throw new Refused(origin, "cannot resolve include '" + what + "': " + e.getMessage());
    }
    if (!real.startsWith(root)) {
      throw new Refused(
          origin,
          "include '" + what + "' leaves the configuration directory " + root
              + " (refused: includes must stay inside it)");
    }
    return reader.parseIncluded(real, root, depth + 1).root();
  }

  @Override
  public ConfigObject includeURL(ConfigIncludeContext context, URL what) {
    throw new Refused(
        ConfigFactory.empty(includeDescription(String.valueOf(what))).origin(),
        "include url(" + what + ") refused: qcfg never fetches configuration from URLs");
  }

  @Override
  public ConfigObject includeResources(ConfigIncludeContext context, String what) {
    if (what.equals("reference.conf")) {
      return ConfigFactory.empty().root(); // the defaults layer already holds every reference.conf
    }
    throw new Refused(
        ConfigFactory.empty(includeDescription(what)).origin(),
        "include classpath(" + what + ") refused: only reference.conf may come from the class path");
  }

  private String includeDescription(String what) {
    return LayerFiles.display(baseDir) + " (include " + what + ")";
  }
}
