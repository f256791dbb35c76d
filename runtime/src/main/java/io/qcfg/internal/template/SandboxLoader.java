package io.qcfg.internal.template;

import io.pebbletemplates.pebble.loader.Loader;
import io.pebbletemplates.pebble.template.PebbleTemplateImpl;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Set;

/**
 * Loads templates from one root directory and nowhere else. A name is a relative path with {@code
 * /} separators; absolute names, {@code ..} segments, backslashes, and names whose real path (after
 * symlinks) leaves the root are refused with a {@link TemplateFault}. Names starting with {@code
 * ./} or {@code ../} in an include are taken relative to the including template, and the result
 * must still stay inside the root.
 *
 * <p>Pebble calls {@link #createCacheKey} on every template lookup, including each nested {@code
 * include}, {@code embed}, {@code import} and {@code extends}; that is where nesting depth is
 * checked, so that {@code a} including {@code b} including {@code a} ends in a clear error long
 * before the stack runs out.
 *
 * <p>Concurrency: immutable; one instance serves one render.
 */
final class SandboxLoader implements Loader<String> {
  /**
   * Pebble methods that appear on the stack once per nested template: {@code evaluate} for the top
   * template, each include/embed and each parent of {@code extends}; the import methods for
   * imports, which do not evaluate.
   */
  private static final Set<String> NESTING_METHODS =
      Set.of("evaluate", "importTemplate", "importNamedTemplate", "importNamedMacrosFromTemplate");

  private static final String PEBBLE_TEMPLATE = PebbleTemplateImpl.class.getName();

  private final Path root;
  private final Path realRoot;
  private final int maxDepth;
  private final Set<String> refusedDirs;

  /**
   * @param root the directory templates come from; must exist
   * @param maxDepth the deepest allowed nesting of include/embed/import/extends
   * @param refusedDirs top-level directories under the root that may not be read (layer templates
   *     may not pull {@code secrets/} into a layer that is not secret)
   */
  SandboxLoader(Path root, int maxDepth, Set<String> refusedDirs) throws IOException {
    this.root = root.toAbsolutePath().normalize();
    this.realRoot = this.root.toRealPath();
    this.maxDepth = maxDepth;
    this.refusedDirs = Set.copyOf(refusedDirs);
  }

  /** Checks {@code name} and returns it normalized; this is the name Pebble caches under. */
  @Override
  public String createCacheKey(String templateName) {
    checkNesting(templateName);
    resolve(templateName);
    return root.relativize(root.resolve(templateName).normalize()).toString();
  }

  @Override
  public Reader getReader(String cacheKey) {
    Path file = resolve(cacheKey);
    try {
      // Read whole: templates are small, and a closed file handle never leaks into Pebble.
      return new StringReader(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new TemplateFault(
          TemplateSandbox.ID_IO, "cannot read template '" + cacheKey + "': " + io.qcfg.internal.crypto.ForeignText.describe(e));
    }
  }

  @Override
  public boolean resourceExists(String templateName) {
    try {
      resolve(templateName);
      return true;
    } catch (TemplateFault e) {
      return false;
    }
  }

  @Override
  public String resolveRelativePath(String relativePath, String anchorPath) {
    if (relativePath == null || anchorPath == null) {
      return null;
    }
    if (!relativePath.startsWith("./") && !relativePath.startsWith("../")) {
      return null; // root-relative: Pebble uses the name as written
    }
    Path parent = Path.of(anchorPath).getParent();
    String joined = parent == null ? relativePath : parent + "/" + relativePath;
    // Normalized lexically; a result that still starts with ".." is refused by resolve().
    return Path.of(joined).normalize().toString();
  }

  @Override
  public void setCharset(String charset) {
    // Always UTF-8: a template cannot choose how its own bytes are read.
  }

  @Override
  public void setPrefix(String prefix) {
    // The root is fixed at construction.
  }

  @Override
  public void setSuffix(String suffix) {
    // Names are exact file names.
  }

  /** The real path of an allowed template file, or a {@link TemplateFault} saying why not. */
  Path resolve(String name) {
    if (name == null || name.isBlank()) {
      throw new TemplateFault(TemplateSandbox.ID_NOT_FOUND, "empty template name");
    }
    String shown = "'" + name + "'";
    if (name.indexOf('\0') >= 0 || name.indexOf('\\') >= 0) {
      throw new TemplateFault(
          TemplateSandbox.ID_TRAVERSAL,
          "template name " + shown + " is refused: backslashes and NUL are not allowed");
    }
    if (name.startsWith("/") || name.matches("^[A-Za-z]:.*")) {
      throw new TemplateFault(
          TemplateSandbox.ID_ABSOLUTE,
          "template name "
              + shown
              + " is refused: absolute paths are not allowed, names are"
              + " relative to "
              + root.getFileName()
              + "/");
    }
    for (String segment : name.split("/", -1)) {
      if (segment.equals("..")) {
        throw new TemplateFault(
            TemplateSandbox.ID_TRAVERSAL,
            "template name "
                + shown
                + " is refused: '..' may not leave "
                + root.getFileName()
                + "/");
      }
    }
    Path candidate;
    try {
      candidate = root.resolve(name).normalize();
    } catch (InvalidPathException e) {
      throw new TemplateFault(
          TemplateSandbox.ID_TRAVERSAL, "template name " + shown + " is not a valid path");
    }
    if (!candidate.startsWith(root)) {
      throw new TemplateFault(
          TemplateSandbox.ID_TRAVERSAL,
          "template name " + shown + " is refused: it leaves " + root.getFileName() + "/");
    }
    if (!Files.exists(candidate)) {
      throw new TemplateFault(
          TemplateSandbox.ID_NOT_FOUND,
          "template " + shown + " not found in " + root.getFileName() + "/");
    }
    Path real;
    try {
      real = candidate.toRealPath();
    } catch (IOException e) {
      throw new TemplateFault(
          TemplateSandbox.ID_IO, "cannot resolve template " + shown + ": " + io.qcfg.internal.crypto.ForeignText.describe(e));
    }
    if (!real.startsWith(realRoot)) {
      throw new TemplateFault(
          TemplateSandbox.ID_OUTSIDE_ROOT,
          "template "
              + shown
              + " is refused: through a symbolic link it leads outside "
              + root.getFileName()
              + "/");
    }
    Path inside = realRoot.relativize(real);
    if (inside.getNameCount() > 1 && refusedDirs.contains(inside.getName(0).toString())) {
      throw new TemplateFault(
          TemplateSandbox.ID_REFUSED_DIR,
          "template "
              + shown
              + " is refused: templates here may not read "
              + inside.getName(0)
              + "/");
    }
    if (!Files.isRegularFile(real)) {
      throw new TemplateFault(
          TemplateSandbox.ID_NOT_FOUND, "template " + shown + " is not a regular file");
    }
    return real;
  }

  private void checkNesting(String name) {
    long depth =
        StackWalker.getInstance()
            .walk(
                frames ->
                    frames
                        .filter(f -> f.getClassName().equals(PEBBLE_TEMPLATE))
                        .filter(f -> NESTING_METHODS.contains(f.getMethodName()))
                        .count());
    if (depth > maxDepth) {
      throw new TemplateFault(
          TemplateSandbox.ID_TOO_DEEP,
          "templates nest more than "
              + maxDepth
              + " levels deep at '"
              + name
              + "': does a template include, import or extend itself?");
    }
  }
}
