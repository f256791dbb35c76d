package io.qcfg.internal.migrate;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigSyntax;
import io.qcfg.internal.layer.NoIncludes;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/** HOCON in and out for migrations: parsing one file's own text, rendering a value as text. */
final class HoconText {
  private static final ConfigRenderOptions CONCISE = ConfigRenderOptions.concise().setJson(false);
  private static final ConfigRenderOptions FORMATTED =
      ConfigRenderOptions.defaults().setOriginComments(false).setJson(false);

  private HoconText() {}

  /**
   * Parses {@code text} as HOCON, naming it {@code display} in origins. Includes are not followed:
   * a migration edits the text of one file, and values that an include would bring belong to
   * another file.
   *
   * @throws ConfigException on a syntax error
   */
  static Config parse(String text, String display) {
    return ConfigFactory.parseString(
        text,
        ConfigParseOptions.defaults()
            .setSyntax(ConfigSyntax.CONF)
            .setOriginDescription(display)
            .setIncluder(NoIncludes.INSTANCE));
  }

  /**
   * The value as HOCON text that {@code ConfigDocument.withValueText} accepts: one line for scalars
   * and lists of scalars; for objects, braces and one member a line in the order written (by origin
   * line; Typesafe keeps no order), each member after its comments.
   */
  static String of(ConfigValue value) {
    try {
      if (value instanceof ConfigObject object) {
        StringBuilder sb = new StringBuilder("{\n");
        for (String key : writtenOrder(object)) {
          sb.append(indent(member(ConfigUtil.joinPath(List.of(key)), object.get(key)) + "\n"));
        }
        return sb.append('}').toString();
      }
      if (value instanceof ConfigList list
          && list.stream().anyMatch(v -> v instanceof ConfigObject)) {
        return "[\n"
            + indent(list.stream().map(HoconText::of).collect(Collectors.joining("\n")) + "\n")
            + "]";
      }
    } catch (ConfigException.NotResolved e) {
      // An unresolved merge of objects has no keys yet; Typesafe renders it as written.
      return "{\n" + indent(value.render(FORMATTED)) + "}";
    }
    return value.render(CONCISE);
  }

  /** The keys in the order they were written: by origin line, then by name. */
  private static List<String> writtenOrder(ConfigObject object) {
    return object.keySet().stream()
        .sorted(
            Comparator.comparingInt((String k) -> line(object.get(k)))
                .thenComparing(Comparator.naturalOrder()))
        .toList();
  }

  private static int line(ConfigValue value) {
    int line = value.origin().lineNumber();
    return line > 0 ? line : Integer.MAX_VALUE;
  }

  /**
   * {@code path = value} (or {@code path { ... }} for an object), after the value's comments.
   *
   * @param path a path expression, quoted where needed
   */
  static String member(String path, ConfigValue value) {
    return commentLines(value) + path + (value instanceof ConfigObject ? " " : " = ") + of(value);
  }

  /** {@code # comment} lines for the comments Typesafe attached to this value's origin. */
  static String commentLines(ConfigValue value) {
    List<String> comments = value.origin().comments();
    return comments.stream().map(c -> "#" + c + "\n").collect(Collectors.joining());
  }

  private static String indent(String text) {
    return text.lines()
        .map(l -> l.isEmpty() ? "\n" : "  " + l + "\n")
        .collect(Collectors.joining());
  }

  /**
   * {@code file:line} for an origin, or its description when it has no file. Typesafe's
   * descriptions read {@code name: 12}; we print {@code name:12} like every qcfg location.
   */
  static String location(ConfigOrigin origin) {
    int line = origin.lineNumber();
    String where = origin.filename() != null ? origin.filename() : origin.resource();
    if (where == null) {
      where = origin.description();
      String suffix = ": " + line;
      if (line > 0 && where.endsWith(suffix)) {
        where = where.substring(0, where.length() - suffix.length());
      }
    }
    return line > 0 && !where.endsWith(":" + line) ? where + ":" + line : where;
  }

  /** A Typesafe exception's message without its leading origin, which we print ourselves. */
  static String reason(ConfigException e) {
    String message = e.getMessage();
    if (e.origin() != null) {
      String prefix = e.origin().description() + ": ";
      if (message.startsWith(prefix)) {
        return message.substring(prefix.length());
      }
    }
    return message;
  }

  /**
   * Parses a file as HOCON, origins carrying its file name; includes are not followed.
   *
   * @throws ConfigException on a syntax error or an unreadable file
   */
  static Config parseFile(Path file) {
    return ConfigFactory.parseFile(
        file.toFile(),
        ConfigParseOptions.defaults()
            .setSyntax(ConfigSyntax.CONF)
            .setAllowMissing(false)
            .setIncluder(NoIncludes.INSTANCE));
  }
}
