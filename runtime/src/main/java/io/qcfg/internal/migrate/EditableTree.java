package io.qcfg.internal.migrate;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.parser.ConfigDocument;
import com.typesafe.config.parser.ConfigDocumentFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A configuration tree that migration steps read and edit, so that each step is written once for
 * both uses: {@link InMemory} (a Typesafe {@code Config}, values moved as they are, origins kept)
 * and {@link Document} (one layer file's text, comments and untouched lines kept). Values are
 * immutable: every edit returns a new tree.
 *
 * <p>Lookups walk {@code ConfigObject}s by key instead of calling {@code Config.getValue}, which
 * refuses unresolved trees; only an unresolved merge of objects on the way throws {@code
 * ConfigException.NotResolved}, which steps report.
 */
sealed interface EditableTree permits EditableTree.InMemory, EditableTree.Document {

  /** The tree's root object. */
  ConfigObject root();

  /** Sets {@code path} to {@code value}, replacing what is there and creating parents. */
  EditableTree set(String path, ConfigValue value);

  /**
   * Removes {@code path} and then every parent object that this removal left empty, so that a moved
   * {@code db.url} leaves no {@code db {}} behind for a schema to trip on.
   */
  EditableTree remove(String path);

  /**
   * Whether {@code default} steps write into this tree. True in memory; for files only the base
   * layer takes defaults, because a default written into an environment file would override the
   * base layer's own value.
   */
  boolean takesDefaults();

  /**
   * The value at {@code path}, or empty. An explicit {@code null} counts as a value.
   *
   * @throws ConfigException.NotResolved when the path runs into a value known only after resolution
   *     ({@code a = ${b} { c = 1 }}): whether {@code a.c} exists is unknown
   */
  default Optional<ConfigValue> get(String path) {
    ConfigValue current = root();
    List<String> keys = ConfigUtil.splitPath(path);
    for (int i = 0; i < keys.size(); i++) {
      String key = keys.get(i);
      if (!(current instanceof ConfigObject object)) {
        try {
          current.valueType();
        } catch (ConfigException.NotResolved e) {
          throw new ConfigException.NotResolved(
              ConfigUtil.joinPath(keys.subList(0, i)) + " is known only after resolution");
        }
        return Optional.empty();
      }
      current = object.get(key);
      if (current == null) {
        return Optional.empty();
      }
    }
    return Optional.of(current);
  }

  /** The longest proper prefix of {@code path} that holds something other than an object. */
  default Optional<String> blockingParent(String path) {
    List<String> keys = ConfigUtil.splitPath(path);
    for (int i = keys.size() - 1; i >= 1; i--) {
      String prefix = ConfigUtil.joinPath(keys.subList(0, i));
      Optional<ConfigValue> v = get(prefix);
      if (v.isPresent()) {
        return v.get() instanceof ConfigObject ? Optional.empty() : Optional.of(prefix);
      }
    }
    return Optional.empty();
  }

  /**
   * The highest parent of {@code path} that holds an empty object and only empty objects down to
   * {@code path}: after removing {@code path}, that is what the removal left empty.
   */
  private static Optional<String> emptiedParent(EditableTree tree, String path) {
    List<String> keys = ConfigUtil.splitPath(path);
    String highest = null;
    for (int i = keys.size() - 1; i >= 1; i--) {
      String prefix = ConfigUtil.joinPath(keys.subList(0, i));
      Optional<ConfigValue> v = tree.get(prefix);
      if (v.isEmpty()
          || !(v.get() instanceof ConfigObject o)
          || o.size() > (highest == null ? 0 : 1)) {
        break;
      }
      highest = prefix;
    }
    return Optional.ofNullable(highest);
  }

  /**
   * A Typesafe {@code Config} edited with {@code withValue}/{@code withoutPath}.
   *
   * @param takesDefaults false only when this stands in for a non-base layer file
   */
  record InMemory(Config config, boolean takesDefaults) implements EditableTree {
    @Override
    public ConfigObject root() {
      return config.root();
    }

    @Override
    public InMemory set(String path, ConfigValue value) {
      return new InMemory(config.withValue(path, value), takesDefaults);
    }

    @Override
    public InMemory remove(String path) {
      InMemory tree = new InMemory(config.withoutPath(path), takesDefaults);
      return emptiedParent(tree, path)
          .map(parent -> new InMemory(tree.config.withoutPath(parent), takesDefaults))
          .orElse(tree);
    }
  }

  /**
   * One layer file as a Typesafe {@code ConfigDocument}, plus the same text parsed (includes not
   * followed) for lookups. Edits go through the document, so untouched lines stay as written.
   *
   * <p>Around {@code ConfigDocument}'s rough edges: a removed setting's comments (those Typesafe
   * attaches to it: the lines right above it and the rest of its line) go with it, and a moved one
   * carries them to its new place when it lands at the end of the file; a path whose parents do not
   * exist yet is appended as one {@code a.b.c = value} line instead of nested {@code a : { b :
   * ...}} blocks; an object value is replaced by removing and re-adding it, because ConfigDocument
   * keeps the missing {@code =} of {@code key { ... }} and would write {@code key [...]}.
   *
   * @param display the file name used in origins and problems
   */
  record Document(ConfigDocument document, Config parsed, String display, boolean takesDefaults)
      implements EditableTree {
    private static final java.util.regex.Pattern COLON_MEMBER =
        java.util.regex.Pattern.compile(
            "(\\s*)((?:[A-Za-z0-9_-]+|\"[^\"]*\")(?:\\.(?:[A-Za-z0-9_-]+|\"[^\"]*\"))*) : (.*)");

    /** Parses {@code text}; throws {@code ConfigException} on a syntax error. */
    static Document parse(String text, String display, boolean takesDefaults) {
      return new Document(
          ConfigDocumentFactory.parseString(text),
          HoconText.parse(text, display),
          display,
          takesDefaults);
    }

    /** The document's text. */
    String text() {
      return document.render();
    }

    @Override
    public ConfigObject root() {
      return parsed.root();
    }

    @Override
    public Document set(String path, ConfigValue value) {
      Optional<ConfigValue> existing = get(path);
      if (existing.isPresent() && !(existing.get() instanceof ConfigObject)) {
        return with(document.withValueText(path, HoconText.of(value)));
      }
      Document base = existing.isPresent() ? removeLines(path) : this;
      if (base.hasObjectParent(path) || !base.bracelessRoot()) {
        return base.with(base.document.withValueText(path, HoconText.of(value)));
      }
      String text = base.text();
      if (!text.isEmpty() && !text.endsWith("\n")) {
        text += "\n";
      }
      if (value instanceof ConfigObject && !text.isBlank() && !text.endsWith("\n\n")) {
        text += "\n"; // a block reads better set apart
      }
      text += HoconText.member(ConfigUtil.joinPath(ConfigUtil.splitPath(path)), value) + "\n";
      return Document.parse(text, display, takesDefaults);
    }

    @Override
    public Document remove(String path) {
      Optional<ConfigValue> existing = get(path);
      if (existing.isEmpty()) {
        return this;
      }
      Document tree = removeLines(path);
      return emptiedParent(tree, path).map(tree::removeLines).orElse(tree);
    }

    /**
     * Reparses an edited document. Lines the edit inserted get {@code key = value} and {@code key
     * {} instead of ConfigDocument's {@code key : value}, to match how people write HOCON.
     */
    private Document with(ConfigDocument edited) {
      List<LineDiff.Op> ops =
          LineDiff.diff(LineDiff.lines(text()), LineDiff.lines(edited.render()));
      StringBuilder text = new StringBuilder();
      for (LineDiff.Op op : ops) {
        if (op.kind() == LineDiff.Op.DELETE) {
          continue;
        }
        String line = op.line();
        java.util.regex.Matcher m = COLON_MEMBER.matcher(line);
        if (op.kind() == LineDiff.Op.INSERT && m.matches()) {
          line = m.group(1) + m.group(2) + (m.group(3).equals("{") ? " {" : " = " + m.group(3));
        }
        text.append(line).append('\n');
      }
      return Document.parse(text.toString(), display, takesDefaults);
    }

    private boolean hasObjectParent(String path) {
      List<String> keys = ConfigUtil.splitPath(path);
      for (int i = keys.size() - 1; i >= 1; i--) {
        if (get(ConfigUtil.joinPath(keys.subList(0, i))).orElse(null) instanceof ConfigObject) {
          return true;
        }
      }
      return false;
    }

    private boolean bracelessRoot() {
      for (String line : LineDiff.lines(text())) {
        String t = line.strip();
        if (!t.isEmpty() && !isComment(t)) {
          return !t.startsWith("{");
        }
      }
      return true;
    }

    /**
     * {@code withoutPath}, then tidy what ConfigDocument leaves: drop the comment lines right above
     * each removed line when Typesafe attached comments to the value, and drop lines the removal
     * split off (a trailing comment, an empty remainder).
     */
    private Document removeLines(String path) {
      List<String> before = LineDiff.lines(text());
      List<String> after = LineDiff.lines(document.withoutPath(path).render());
      List<LineDiff.Op> ops = LineDiff.diff(before, after);
      boolean[] drop = new boolean[ops.size()];
      for (int k = 0; k < ops.size(); k++) {
        LineDiff.Op op = ops.get(k);
        if (op.kind() == LineDiff.Op.DELETE) {
          drop[k] = true;
          // Typesafe attaches the comment lines right above a setting to it: they go too.
          for (int up = k - 1; up >= 0 && ops.get(up).kind() == LineDiff.Op.KEEP; up--) {
            if (!isComment(ops.get(up).line().strip())) {
              break;
            }
            drop[up] = true;
          }
        } else if (op.kind() == LineDiff.Op.INSERT) {
          // What the removal split off its line: a trailing comment, blanks.
          String t = op.line().strip();
          drop[k] = t.isEmpty() || isComment(t);
        }
      }
      List<String> out = new ArrayList<>();
      List<Integer> gaps = new ArrayList<>(); // positions in out where lines were removed
      for (int k = 0; k < ops.size(); k++) {
        if (!drop[k]) {
          out.add(ops.get(k).line());
        } else if (gaps.isEmpty() || gaps.get(gaps.size() - 1) != out.size()) {
          gaps.add(out.size());
        }
      }
      // A removed block between two blank lines would leave two in a row: keep one.
      for (int g = gaps.size() - 1; g >= 0; g--) {
        int at = gaps.get(g);
        boolean blankBefore = at == 0 || out.get(at - 1).isBlank();
        boolean blankAfter = at == out.size() || out.get(at).isBlank();
        if (blankBefore && blankAfter && at < out.size()) {
          out.remove(at);
        } else if (blankBefore && blankAfter && at > 0) {
          out.remove(at - 1);
        }
      }
      StringBuilder text = new StringBuilder();
      out.forEach(line -> text.append(line).append('\n'));
      return Document.parse(text.toString(), display, takesDefaults);
    }

    private static boolean isComment(String stripped) {
      return stripped.startsWith("#") || stripped.startsWith("//");
    }
  }
}
