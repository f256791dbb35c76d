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
import com.typesafe.config.ConfigSyntax;
import io.qcfg.internal.text.Sha256;
import io.qcfg.internal.tree.Origins;
import java.io.File;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The includer of every layer file and every {@code reference.conf}: Typesafe Config's include
 * semantics inside qcfg's walls.
 *
 * <p>Like Typesafe: {@code include "x"} is relative to the including file (for a class-path
 * resource, to its package: a sibling resource of the same class loader); without an extension it
 * merges {@code x.conf}, {@code x.json} and {@code x.properties}, in that order of precedence; a
 * missing include is empty unless {@code required(...)}; {@code file("x")} is relative to the
 * working directory; {@code classpath("x")} names a resource from the root of the class path.
 *
 * <p>The walls: {@code url(...)} (and a heuristic include that is a URL) is always refused, so a
 * configuration never fetches anything; a file of the configuration directory includes only files
 * inside it (real paths, after symlinks), never a class-path resource except {@code
 * reference.conf} (already the defaults layer), and never falls back to the class path when a
 * relative file is missing; a class-path resource includes only class-path resources. Includes
 * nest at most 16 deep (Typesafe has no limit; a cycle would overflow the stack).
 */
final class SafeIncluder implements ConfigIncluder, ConfigIncluderFile, ConfigIncluderURL,
    ConfigIncluderClasspath {
  static final int MAX_DEPTH = 16;

  /** An include we will not follow. Extends ConfigException so it travels through the parser. */
  static final class Refused extends ConfigException {
    private static final long serialVersionUID = 1L;

    Refused(ConfigOrigin origin, String message) {
      super(origin, message);
    }
  }

  /** Where the including text lives: a directory of files, or a class-path package. */
  sealed interface Base permits Directory, ClassPath, Nowhere {}

  /** Text with no place to include from (an etcd key): every include is refused for {@code why}. */
  record Nowhere(String why) implements Base {}

  /**
   * A file of the configuration directory.
   *
   * @param root the real configuration directory
   * @param dir the including file's directory
   */
  record Directory(Path root, Path dir) implements Base {}

  /**
   * A class-path resource.
   *
   * @param loader the class loader the resource came from
   * @param packagePath its package as a resource prefix, {@code ""} or {@code "a/b/"}
   */
  record ClassPath(ClassLoader loader, String packagePath) implements Base {}

  private final Base base;
  private final LayerFileReader reader;
  private final int depth;
  private final List<Included> seen;

  /** One file or resource read by an include, for the parse cache key and the watcher. */
  record Included(Path file, URL resource, String sha256) {}

  SafeIncluder(Base base, LayerFileReader reader, int depth, List<Included> seen) {
    this.base = base;
    this.reader = reader;
    this.depth = depth;
    this.seen = seen;
  }

  /** A directory-bound includer that records nothing (templates, tests). */
  SafeIncluder(Path realRoot, Path baseDir, LayerFileReader reader, int depth) {
    this(new Directory(realRoot, baseDir), reader, depth, new ArrayList<>());
  }

  @Override
  public ConfigIncluder withFallback(ConfigIncluder fallback) {
    return this; // never fall back to Typesafe's includer: it would fetch URLs
  }

  @Override
  public ConfigObject include(ConfigIncludeContext context, String what) {
    nowhere(what);
    if (looksLikeUrl(what)) {
      throw refused(what, "include \"" + what + "\" is a URL; refused: qcfg never fetches"
          + " configuration from URLs");
    }
    boolean required = !context.parseOptions().getAllowMissing();
    if (base instanceof ClassPath r) {
      String name = what.startsWith("/") ? what.substring(1) : r.packagePath() + what;
      return fromBasename(name, required, this::resource, what);
    }
    Directory f = (Directory) base;
    File file = new File(what);
    Path start = file.isAbsolute() ? file.toPath() : f.dir().resolve(what);
    return fromBasename(start.toString(), required, this::file, what);
  }

  @Override
  public ConfigObject includeFile(ConfigIncludeContext context, File what) {
    nowhere(what.getPath());
    if (base instanceof ClassPath) {
      throw refused(what.getPath(), "include file(" + what + ") in a class-path resource refused:"
          + " defaults from a jar may include only resources of the class path");
    }
    boolean required = !context.parseOptions().getAllowMissing();
    // Typesafe: a relative file(...) is relative to the working directory, not to the includer.
    Path p = what.isAbsolute() ? what.toPath() : Path.of("").toAbsolutePath().resolve(what.toPath());
    return fromBasename(p.toString(), required, this::file, what.getPath());
  }

  @Override
  public ConfigObject includeURL(ConfigIncludeContext context, URL what) {
    throw refused(String.valueOf(what),
        "include url(" + what + ") refused: qcfg never fetches configuration from URLs");
  }

  @Override
  public ConfigObject includeResources(ConfigIncludeContext context, String what) {
    nowhere(what);
    String name = what.startsWith("/") ? what.substring(1) : what;
    if (base instanceof ClassPath) {
      return fromBasename(name, !context.parseOptions().getAllowMissing(), this::resource, what);
    }
    if (name.equals("reference.conf")) {
      return ConfigFactory.empty().root(); // the defaults layer already holds every reference.conf
    }
    throw refused(what, "include classpath(" + what + ") refused: a file of the configuration"
        + " directory may include only files inside that directory");
  }

  // ---------------------------------------------------------------------------------------------

  /** Reads one candidate name: null when it does not exist. */
  private interface Source {
    ConfigObject read(String name, ConfigSyntax syntax, String what);
  }

  /** Typesafe's {@code SimpleIncluder.fromBasename}: one name, or .conf then .json then .properties. */
  private ConfigObject fromBasename(String name, boolean required, Source source, String what) {
    if (depth >= MAX_DEPTH) {
      throw refused(what, "includes nested more than " + MAX_DEPTH + " deep (an include cycle?)");
    }
    ConfigObject obj = null;
    if (name.endsWith(".conf") || name.endsWith(".json") || name.endsWith(".properties")) {
      obj = source.read(name, syntaxOf(name), what);
    } else {
      for (String ext : new String[] {".conf", ".json", ".properties"}) {
        ConfigObject one = source.read(name + ext, syntaxOf(ext), what);
        if (one != null) {
          obj = obj == null ? one : obj.withFallback(one);
        }
      }
    }
    if (obj == null) {
      if (required) {
        throw refused(what, "include required(\"" + what + "\"): not found (looked for " + name
            + (name.contains(".") ? "" : " with .conf, .json and .properties") + ")");
      }
      return ConfigFactory.empty().root(); // Typesafe: a plain include of a missing file is empty
    }
    return obj;
  }

  private static ConfigSyntax syntaxOf(String name) {
    if (name.endsWith(".json")) {
      return ConfigSyntax.JSON;
    }
    return name.endsWith(".properties") ? ConfigSyntax.PROPERTIES : ConfigSyntax.CONF;
  }

  private ConfigObject file(String name, ConfigSyntax syntax, String what) {
    Directory f = (Directory) base;
    Path candidate = Path.of(name).normalize();
    if (!Files.exists(candidate)) {
      if (!existingAncestorInside(candidate, f.root())) {
        throw refused(what, "include '" + what + "' leaves the configuration directory "
            + f.root() + " (refused: includes must stay inside it)");
      }
      seen.add(new Included(candidate, null, "")); // absent: its appearing changes the parse
      return null;
    }
    Path real;
    try {
      real = candidate.toRealPath();
    } catch (IOException e) {
      throw refused(what, "cannot resolve include '" + what + "': " + e.getClass().getSimpleName());
    }
    if (!real.startsWith(f.root())) {
      throw refused(what, "include '" + what + "' leaves the configuration directory " + f.root()
          + " (refused: includes must stay inside it)");
    }
    SafeIncluder next = new SafeIncluder(new Directory(f.root(), real.getParent()), reader, depth + 1,
        seen);
    LayerFileReader.Text text = reader.readIncluded(real);
    seen.add(new Included(real, null, text.sha256()));
    return reader.parseText(real, text.display(), text.text(), syntax, next).root();
  }

  private ConfigObject resource(String name, ConfigSyntax syntax, String what) {
    ClassPath r = (ClassPath) base;
    List<URL> urls = new ArrayList<>();
    try {
      r.loader().getResources(name).asIterator().forEachRemaining(urls::add);
    } catch (IOException e) {
      throw refused(what, "cannot list class-path resources named " + name);
    }
    if (urls.isEmpty()) {
      return null;
    }
    int slash = name.lastIndexOf('/');
    SafeIncluder next = new SafeIncluder(
        new ClassPath(r.loader(), slash < 0 ? "" : name.substring(0, slash + 1)), reader,
        depth + 1, seen);
    ConfigObject merged = null;
    for (URL url : urls) { // Typesafe: every resource of that name, the first one wins
      String text = reader.readResource(url, name);
      seen.add(new Included(null, url, Sha256.hex(text)));
      ConfigObject one = reader.parseText(null, name + " @ " + url, text, syntax, next).root();
      merged = merged == null ? one : merged.withFallback(one);
    }
    return merged;
  }

  private void nowhere(String what) {
    if (base instanceof Nowhere n) {
      throw refused(what, "include " + what + " refused: " + n.why());
    }
  }

  /** Whether the nearest existing ancestor of a missing file is inside {@code root}. */
  private static boolean existingAncestorInside(Path candidate, Path root) {
    for (Path p = candidate.getParent(); p != null; p = p.getParent()) {
      if (Files.exists(p)) {
        try {
          return p.toRealPath().startsWith(root);
        } catch (IOException e) {
          return false;
        }
      }
    }
    return false;
  }

  private static boolean looksLikeUrl(String what) {
    if (!what.matches("^[A-Za-z][A-Za-z0-9+.-]*:.*") || what.matches("^[A-Za-z]:[\\\\/].*")) {
      return false; // no scheme, or a Windows drive letter
    }
    try {
      new URL(what);
      return true;
    } catch (MalformedURLException e) {
      return true; // an unknown scheme is still not a file name we follow
    }
  }

  private Refused refused(String what, String message) {
    String where = base instanceof Directory f ? Origins.display(f.dir())
        : base instanceof ClassPath c ? "class path " + c.packagePath() : "(no directory)";
    return new Refused(
        ConfigFactory.empty(where + " (include " + what + ")").origin(), message);
  }
}
