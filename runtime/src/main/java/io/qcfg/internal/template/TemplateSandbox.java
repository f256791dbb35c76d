package io.qcfg.internal.template;

import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.error.AttributeNotFoundException;
import io.pebbletemplates.pebble.error.ClassAccessException;
import io.pebbletemplates.pebble.error.ParserException;
import io.pebbletemplates.pebble.error.PebbleException;
import io.pebbletemplates.pebble.error.RootAttributeNotFoundException;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import io.qcfg.Problem;
import io.qcfg.QcfgException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Renders Pebble templates from one root directory with everything dangerous taken away. Both kinds
 * of qcfg template (layer files {@code *.conf.peb} and user templates under {@code templates/}) go
 * through here.
 *
 * <p>What a template can do:
 *
 * <ul>
 *   <li>read the variables it is given, which are copied into plain maps, lists, strings, numbers
 *       and booleans (maps in key order, so loops are deterministic);
 *   <li>use Pebble's tags ({@code if}, {@code for}, {@code set}, {@code macro}, {@code import},
 *       {@code include}, {@code extends}/{@code block}, ...), filters and tests, plus {@code json}
 *       and {@code secret()} (see {@link SandboxExtension}).
 * </ul>
 *
 * <p>What it cannot do, each ending in {@link QcfgException.Invalid} with one {@link Problem}:
 *
 * <ul>
 *   <li>use an undefined name ({@value #ID_UNDEFINED}; strict variables);
 *   <li>read attributes of anything but maps and lists, or call any method ({@value
 *       #ID_FORBIDDEN}): {@code (1).TYPE}, {@code x.CLASS}, {@code x.getClass()} are refused before
 *       any reflection happens;
 *   <li>load a template outside the root: absolute names ({@value #ID_ABSOLUTE}), {@code ..}
 *       ({@value #ID_TRAVERSAL}), symbolic links that lead out ({@value #ID_OUTSIDE_ROOT}), or a
 *       refused directory such as {@code secrets/} ({@value #ID_REFUSED_DIR});
 *   <li>nest include/import/extends deeper than {@value #MAX_NESTING} ({@value #ID_TOO_DEEP}), or
 *       recurse until the stack runs out (a macro calling itself; also {@value #ID_TOO_DEEP});
 *   <li>write more than the output bound, by default {@value #DEFAULT_MAX_OUTPUT_CHARS} characters
 *       ({@value #ID_OUTPUT_TOO_LARGE}), or read more than {@value
 *       SandboxExtension#MAX_RANGE_STEPS} range elements ({@value #ID_TOO_MANY_STEPS}).
 * </ul>
 *
 * <p>Not bounded: memory held by values a template builds. A template that doubles a string
 * ({@code ~}) or a list ({@code merge}) inside a short loop can still exhaust the heap before it
 * writes anything; templates come from the configuration directory, whose writers are trusted that
 * far.
 *
 * <p>Autoescaping is off: the output is configuration text, not HTML. Use the {@code json} filter
 * to quote a value for HOCON or JSON.
 *
 * <p>Each render builds its own Pebble engine and template cache, so an edited template is always
 * read afresh, while a template included many times in one render is parsed once. A small render
 * costs about a millisecond, engine included.
 *
 * <p>Problem locations are {@code file:line} with the file shown relative to {@code displayBase}
 * when it lies below it (for example {@code config/templates/nginx.peb:12}), the path is {@code
 * ""}, and the reason never contains a variable's value.
 *
 * <p>Concurrency: immutable; renders may run on many threads at once.
 */
public final class TemplateSandbox {
  /** Default output bound: 4 MiB of characters. */
  public static final int DEFAULT_MAX_OUTPUT_CHARS = 4 * 1024 * 1024;

  /** Deepest nesting of include/embed/import/extends. */
  public static final int MAX_NESTING = 32;

  static final String ID_UNDEFINED = "QCFG-4401";
  static final String ID_SYNTAX = "QCFG-4402";
  static final String ID_NOT_FOUND = "QCFG-4403";
  static final String ID_ABSOLUTE = "QCFG-4404";
  static final String ID_TRAVERSAL = "QCFG-4405";
  static final String ID_OUTSIDE_ROOT = "QCFG-4406";
  static final String ID_FORBIDDEN = "QCFG-4407";
  static final String ID_TOO_DEEP = "QCFG-4408";
  static final String ID_OUTPUT_TOO_LARGE = "QCFG-4409";
  static final String ID_TOO_MANY_STEPS = "QCFG-4410";
  static final String ID_SECRET_REFUSED = "QCFG-4411";
  static final String ID_SECRET_MISSING = "QCFG-4412";
  static final String ID_EVALUATION = "QCFG-4413";
  static final String ID_IO = "QCFG-4414";
  static final String ID_NO_ROOT = "QCFG-4415";
  static final String ID_REFUSED_DIR = "QCFG-4416";

  private final Path root;
  private final Path displayBase;
  private final int maxOutputChars;
  private final boolean newLineTrimming;
  private final Set<String> refusedDirs;

  /**
   * A sandbox over {@code root} with the default output bound, keeping every line break (Pebble's
   * newline trimming would drop the one after each tag, {@code {{ value }}} included).
   *
   * @param root the only directory templates are loaded from
   * @param displayBase locations in problems are shown relative to this directory
   */
  public TemplateSandbox(Path root, Path displayBase) {
    this(root, displayBase, DEFAULT_MAX_OUTPUT_CHARS, false, Set.of());
  }

  /**
   * @param maxOutputChars the output bound in characters, at least 1
   * @param newLineTrimming whether the line break right after any tag, print tags included, is
   *     dropped (Pebble's default); false keeps every line break, so tag-only lines render as empty
   *     lines and line numbers stay aligned
   * @param refusedDirs top-level directories of the root that templates may not read ({@value
   *     #ID_REFUSED_DIR}), e.g. {@code secrets} for layer templates
   */
  public TemplateSandbox(
      Path root,
      Path displayBase,
      int maxOutputChars,
      boolean newLineTrimming,
      Set<String> refusedDirs) {
    if (maxOutputChars < 1) {
      throw new IllegalArgumentException("maxOutputChars must be at least 1");
    }
    this.root = root.toAbsolutePath().normalize();
    this.displayBase = displayBase.toAbsolutePath().normalize();
    this.maxOutputChars = maxOutputChars;
    this.newLineTrimming = newLineTrimming;
    this.refusedDirs = Set.copyOf(refusedDirs);
  }

  /** The directory templates are loaded from (absolute). */
  public Path root() {
    return root;
  }

  /**
   * Renders {@code templateName} (relative to the root, {@code /}-separated) once.
   *
   * @param variables the names the template sees; values are copied (maps, lists, strings, numbers,
   *     booleans, null; anything else is an {@link IllegalArgumentException})
   * @param secretLookup plaintext of a secret by configuration path for {@code secret('path')}, or
   *     null to refuse {@code secret()} with {@value #ID_SECRET_REFUSED}
   * @return the rendered text
   * @throws QcfgException.Invalid for every template problem, with one {@link Problem}
   */
  public String render(
      String templateName, Map<String, ?> variables, Function<String, String> secretLookup) {
    Map<String, Object> context = copyMap(variables);
    if (!Files.isDirectory(root)) {
      throw invalid(ID_NO_ROOT, display(null, null), "template directory does not exist");
    }
    SandboxLoader loader;
    try {
      loader = new SandboxLoader(root, MAX_NESTING, refusedDirs);
    } catch (IOException e) {
      throw invalid(ID_IO, display(null, null), "cannot open template directory: " + io.qcfg.internal.crypto.ForeignText.describe(e));
    }
    PebbleEngine engine =
        new PebbleEngine.Builder()
            .loader(loader)
            .strictVariables(true)
            .autoEscaping(false)
            .newLineTrimming(newLineTrimming)
            .defaultLocale(Locale.ROOT)
            // Deny every reflective method call; the resolver refuses earlier anyway.
            .methodAccessValidator((object, method) -> false)
            .registerExtensionCustomizer(SandboxExtension.Restrictions::new)
            .extension(new SandboxExtension(secretLookup))
            // Pebble's own bound also covers its internal buffers (macros, set blocks), where
            // output is counted once per buffer: leave room for that.
            .maxRenderedSize((int) Math.min(Integer.MAX_VALUE, 4L * maxOutputChars))
            .build();
    BoundedWriter out = new BoundedWriter(maxOutputChars);
    try {
      PebbleTemplate template = engine.getTemplate(templateName);
      template.evaluate(out, context, Locale.ROOT);
    } catch (StackOverflowError e) {
      throw invalid(
          ID_TOO_DEEP,
          display(templateName, null),
          "template recursion too deep: does a macro call itself without end?");
    } catch (IOException | RuntimeException e) {
      throw translate(e, templateName, out);
    }
    return out.toString();
  }

  private QcfgException.Invalid translate(Exception e, String templateName, BoundedWriter out) {
    if (out.exceeded()) {
      return invalid(
          ID_OUTPUT_TOO_LARGE,
          display(templateName, null),
          "output is larger than " + maxOutputChars + " characters; a loop that never ends?");
    }
    List<Throwable> chain = new ArrayList<>();
    for (Throwable t = e; t != null && !chain.contains(t); t = t.getCause()) {
      chain.add(t);
    }
    String location = innermostLocation(chain, templateName);
    for (Throwable t : chain) {
      if (t instanceof TemplateFault fault) {
        String where =
            fault.getFileName() != null
                ? display(fault.getFileName(), fault.getLineNumber())
                : location;
        return invalid(fault.id(), where, fault.reason());
      }
    }
    for (Throwable t : chain) {
      if (t instanceof RootAttributeNotFoundException missing) {
        return invalid(
            ID_UNDEFINED,
            location,
            "undefined name '"
                + missing.getAttributeName()
                + "'; the names defined here are "
                + "listed in the qcfg README (Templates)");
      }
      if (t instanceof AttributeNotFoundException missing) {
        return invalid(
            ID_UNDEFINED,
            location,
            "undefined attribute '"
                + missing.getAttributeName()
                + "': no such key or index; use '| default(...)' or 'is defined' for optional"
                + " values");
      }
      if (t instanceof ParserException syntax) {
        return invalid(ID_SYNTAX, location, "syntax error: " + syntax.getPebbleMessage());
      }
      if (t instanceof ClassAccessException) {
        return invalid(ID_FORBIDDEN, location, "templates may not call methods");
      }
      if (t instanceof PebbleException pebble) {
        String message = pebble.getPebbleMessage();
        if (message != null && message.startsWith("Tried to write more than")) {
          return invalid(
              ID_OUTPUT_TOO_LARGE,
              location,
              "output is larger than " + maxOutputChars + " characters; a loop that never ends?");
        }
        return invalid(ID_EVALUATION, location, message == null ? "template error" : message);
      }
    }
    // Not a Pebble error: a filter or operator failing on a value (e.g. a number format).
    return invalid(
        ID_EVALUATION,
        location,
        "template error: "
            + io.qcfg.internal.crypto.ForeignText.describe(e));
  }

  /** The most precise location Pebble recorded: the innermost exception with a line wins. */
  private String innermostLocation(List<Throwable> chain, String templateName) {
    String file = null;
    Integer line = null;
    for (Throwable t : chain) {
      if (t instanceof PebbleException p && p.getFileName() != null) {
        if (p.getLineNumber() != null && p.getLineNumber() > 0) {
          file = p.getFileName();
          line = p.getLineNumber();
        } else if (line == null) {
          file = p.getFileName();
        }
      }
    }
    if (file == null) {
      // A refused top-level name must not be shown as if it were a file: show the root.
      boolean plain = loaderAccepts(templateName);
      return display(plain ? templateName : null, null);
    }
    return display(file, line);
  }

  private boolean loaderAccepts(String templateName) {
    try {
      new SandboxLoader(root, MAX_NESTING, refusedDirs).resolve(templateName);
      return true;
    } catch (IOException | TemplateFault e) {
      return false;
    }
  }

  /** {@code file:line}, the file relative to the display base when below it. */
  String display(String templateName, Integer line) {
    Path file = templateName == null ? root : root.resolve(templateName).normalize();
    String shown =
        file.startsWith(displayBase) && !file.equals(displayBase)
            ? displayBase.relativize(file).toString()
            : file.toString();
    shown = shown.replace('\\', '/');
    return line != null && line > 0 ? shown + ":" + line : shown;
  }

  private static QcfgException.Invalid invalid(String id, String location, String reason) {
    return new QcfgException.Invalid(new Problem(id, location, "", reason));
  }

  private static Map<String, Object> copyMap(Map<?, ?> map) {
    Map<String, Object> sorted = new TreeMap<>();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      if (!(e.getKey() instanceof String key)) {
        throw new IllegalArgumentException("template data: map keys must be strings");
      }
      sorted.put(key, copy(e.getValue()));
    }
    return Collections.unmodifiableMap(new LinkedHashMap<>(sorted));
  }

  /** A deep, read-only copy holding only types the attribute resolver knows. */
  private static Object copy(Object value) {
    if (value == null
        || value instanceof String
        || value instanceof Boolean
        || value instanceof Integer
        || value instanceof Long
        || value instanceof Double
        || value instanceof java.math.BigDecimal
        || value instanceof java.math.BigInteger) {
      return value;
    }
    if (value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof Number n) {
      return n.doubleValue();
    }
    if (value instanceof Character c) {
      return c.toString();
    }
    if (value instanceof Map<?, ?> m) {
      return copyMap(m);
    }
    if (value instanceof List<?> l) {
      List<Object> copied = new ArrayList<>(l.size());
      for (Object o : l) {
        copied.add(copy(o));
      }
      return Collections.unmodifiableList(copied);
    }
    throw new IllegalArgumentException(
        "template data may hold maps, lists, strings, numbers and booleans only, found a "
            + value.getClass().getName());
  }
}
