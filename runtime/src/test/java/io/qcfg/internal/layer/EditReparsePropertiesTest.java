package io.qcfg.internal.layer;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Tag;
import net.jqwik.api.statistics.Statistics;

/**
 * Differential (issue 19 item 3): {@link EditReparse}, which parses again only the blocks an edit
 * touched, against Typesafe parsing the whole edited text. Random files of nested blocks, dotted
 * and plain statements, lists, strings holding braces, comments ({@code #} and {@code //}) above
 * blocks and values, blank lines, and keys repeated among siblings (which Typesafe merges); then a
 * chain of edits of one to three lines each (values, keys, comments, blank lines, and now and then
 * something the shortcut must refuse: a substitution, {@code +=}, an include, an inline object, a
 * syntax error, a stray brace). After each edit, the shortcut from the last result either
 * declines, or gives what the whole parse gives: the same rendering with comments and origins,
 * the same origin (description, lines, comments) for every value, the same tree, the same result
 * over a further fallback; and never a tree for a text the whole parse refuses.
 */
class EditReparsePropertiesTest {
  private static final ConfigRenderOptions WITH_ORIGINS =
      ConfigRenderOptions.defaults().setComments(true).setOriginComments(true).setJson(false);
  private static final ConfigParseOptions OPTIONS =
      ConfigParseOptions.defaults().setOriginDescription("config/application.conf")
          .setAllowMissing(false);
  private static final Config FURTHER = ConfigFactory.parseString(
      "a { a = 7, z = 1 }\nb = [9]\nc { b { c = 8 } }\nz = 1");
  private static final String[] KEYS = {"a", "b", "c", "d", "port", "x-1"};

  @Property(tries = 400)
  void sameAsTheWholeParse(@ForAll Random random) {
    check(random, 6);
  }

  @Property(tries = 10_000)
  @Tag("nightly")
  void sameAsTheWholeParseNightly(@ForAll Random random) {
    check(random, 12);
  }

  /** The benchmark's edit: the revision in the first comment line and one value deep inside. */
  @Example
  void aCommentAboveTheFirstBlockAndAValueInsideIt() {
    String before = "# revision 1\nm {\n  s0 {\n    port = 1\n    n = 2\n  }\n  s1 {\n"
        + "    port = 3\n  }\n}\nt {\n  u = 1\n}\n";
    String after = before.replace("revision 1", "revision 2").replace("port = 1", "port = 9");
    Config last = parse(before);
    Config edited = EditReparse.reparse(before, last, after, EditReparsePropertiesTest::parse);
    assertThat(edited).isNotNull();
    assertSame(edited, parse(after));
    ConfigObject m = (ConfigObject) edited.root().get("m");
    ConfigObject lastM = (ConfigObject) last.root().get("m");
    assertThat(m.get("s1")).isSameAs(lastM.get("s1")); // untouched blocks keep their identity
    assertThat(edited.root().get("t")).isSameAs(last.root().get("t"));
  }

  @Example
  void aRepeatedKeyIsParsedWhole() {
    String before = "a {\n  x = 1\n}\na.y = 2\n";
    String after = before.replace("x = 1", "x = 3");
    assertThat(EditReparse.reparse(before, parse(before), after, EditReparsePropertiesTest::parse))
        .isNull();
  }

  /**
   * A second statement on a line names the block's key: the whole parse merges it into the block,
   * so the block is not parsed alone (the line layout refuses a comma outside a list).
   */
  @Example
  void aKeyAfterACommaIsSeen() {
    String before = "a {\n  x = 1\n}\ny = 1, a.z = 2\n";
    String after = before.replace("x = 1", "x = 3");
    Config edited = EditReparse.reparse(before, parse(before), after,
        EditReparsePropertiesTest::parse);
    if (edited != null) {
      assertSame(edited, parse(after));
    }
    assertThat(parse(after).getInt("a.z")).isEqualTo(2);
  }

  /** Through the file reader, as a pipeline reads the file: a changed file, then a broken one. */
  @Example
  void theReaderGivesTheWholeParseAndReportsErrorsWithTheFilesLines() throws Exception {
    Path dir = Files.createTempDirectory("qcfg-reparse-");
    try {
      Path file = dir.resolve("application.conf");
      LayerFileReader reader = new LayerFileReader(Limits.DEFAULT);
      String text = "# r1\nm {\n  s {\n    p = 1\n  }\n  t {\n    q = [1, 2]\n  }\n}\n";
      Files.writeString(file, text);
      Config first = reader.read(file, dir.toRealPath()).config();
      Files.writeString(file, text.replace("p = 1", "p = 2").replace("r1", "r2"));
      Config second = reader.read(file, dir.toRealPath()).config();
      Config whole = new LayerFileReader(Limits.DEFAULT).read(file, dir.toRealPath()).config();
      assertSame(second, whole);
      assertThat(((ConfigObject) second.root().get("m")).get("t"))
          .isSameAs(((ConfigObject) first.root().get("m")).get("t"));
      Files.writeString(file, text.replace("p = 1", "p = [1,"));
      String wholeError = org.assertj.core.api.Assertions.catchThrowable(() ->
          new LayerFileReader(Limits.DEFAULT).read(file, dir.toRealPath())).getMessage();
      assertThat(wholeError).contains("application.conf:5: List should have had new element");
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> reader.read(file, dir.toRealPath()))
          .hasMessage(wholeError);
    } finally {
      try (var all = Files.walk(dir)) {
        for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  private static void check(Random random, int edits) {
    List<String> lines = new ArrayList<>();
    if (random.nextBoolean()) {
      lines.add("# generated " + random.nextInt(100));
    }
    block(random, lines, 0, "");
    String before = String.join("\n", lines) + "\n";
    Config last = parse(before);
    for (int e = 0; e < edits; e++) {
      int changes = 1 + random.nextInt(3);
      for (int c = 0; c < changes; c++) {
        int i = random.nextInt(lines.size());
        lines.set(i, edited(random, lines.get(i)));
      }
      String after = String.join("\n", lines) + "\n";
      Config expected = DifferentialParse.wholeOrNull(after, OPTIONS);
      Config actual;
      try {
        actual = EditReparse.reparse(before, last, after, EditReparsePropertiesTest::parse);
      } catch (RuntimeException ex) {
        throw new AssertionError("reparse threw for\n" + before + "---\n" + after, ex);
      }
      Statistics.collect(actual != null ? "blocks parsed again" : "whole parse");
      if (actual != null) {
        assertThat(expected).as("a tree for a text the parser refuses:\n%s", after).isNotNull();
        assertSame(actual, expected);
      }
      if (expected == null) {
        return; // the reader keeps the last good parse; nothing more to chain on
      }
      before = after;
      last = actual != null ? actual : expected;
    }
  }

  private static void assertSame(Config actual, Config expected) {
    assertThat(actual.root().render(WITH_ORIGINS)).isEqualTo(expected.root().render(WITH_ORIGINS));
    assertThat(actual.root()).isEqualTo(expected.root());
    sameOrigins(actual.root(), expected.root(), "");
    assertThat(actual.withFallback(FURTHER).root().render(WITH_ORIGINS))
        .isEqualTo(expected.withFallback(FURTHER).root().render(WITH_ORIGINS));
  }

  /** Every value's origin (description, line, comments) equal, objects and lists included. */
  static void sameOrigins(ConfigValue a, ConfigValue b, String path) {
    DifferentialParse.assertSameOrigins(a, b, path, false);
  }

  private static Config parse(String text) {
    return ConfigFactory.parseString(text, OPTIONS);
  }

  private static void block(Random r, List<String> out, int depth, String indent) {
    int n = 1 + r.nextInt(depth == 0 ? 4 : 5);
    for (int i = 0; i < n; i++) {
      if (r.nextInt(4) == 0) {
        out.add(indent + comment(r));
      }
      if (r.nextInt(8) == 0) {
        out.add(r.nextBoolean() ? "" : indent);
      }
      String key = KEYS[r.nextInt(KEYS.length)];
      if (depth < 3 && r.nextInt(3) > 0) {
        out.add(indent + key + (r.nextBoolean() ? " {" : "{"));
        block(r, out, depth + 1, indent + "  ");
        out.add(indent + "}");
      } else {
        out.add(indent + flat(r, key));
      }
    }
  }

  private static String comment(Random r) {
    return switch (r.nextInt(4)) {
      case 0 -> "# note " + r.nextInt(10);
      case 1 -> "// note " + r.nextInt(10);
      case 2 -> "#";
      default -> "# { not a brace " + r.nextInt(10);
    };
  }

  private static String flat(Random r, String key) {
    String k = r.nextInt(4) == 0 ? key + "." + KEYS[r.nextInt(KEYS.length)] : key;
    String sep = switch (r.nextInt(3)) {
      case 0 -> " = ";
      case 1 -> ": ";
      default -> "=";
    };
    String v = DifferentialParse.plainValue(r);
    return k + sep + v + (r.nextInt(6) == 0 ? " # trailing" : "");
  }

  /** Another line in place of {@code line}: mostly a plain edit, now and then a refused one. */
  private static String edited(Random r, String line) {
    String indent = line.substring(0, line.length() - line.stripLeading().length());
    String t = line.strip();
    int odd = r.nextInt(20);
    if (odd == 0) {
      return indent + switch (r.nextInt(7)) {
        case 0 -> "y = ${?a}";
        case 1 -> "y += 1";
        case 2 -> "include \"other.conf\"";
        case 3 -> "y = { z = 1 }";
        case 4 -> "y = [1,";
        case 5 -> "}";
        default -> "y { ";
      };
    }
    if (t.startsWith("#") || t.startsWith("//") || (t.isEmpty() && r.nextBoolean())) {
      return r.nextInt(5) == 0 ? "" : indent + comment(r);
    }
    if (t.endsWith("{") || t.equals("}") || t.isEmpty()) {
      return r.nextInt(4) == 0 ? indent + comment(r) : line;
    }
    return indent + flat(r, KEYS[r.nextInt(KEYS.length)]);
  }
}
