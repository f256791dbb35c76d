package io.qcfg.internal.layer;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigValue;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Tag;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * Differential (issue 19): {@link SplitParse}, which parses a large file in parts on the parser
 * threads and merges them, against Typesafe parsing the whole text. Random files of nested blocks
 * (repeated among siblings, so objects split over several blocks), dotted keys, {@code +=},
 * {@code ${?X}}, self references ({@code a = ${a} [1]}, {@code ${?a.b}}), plain substitutions,
 * lists, strings holding braces, comments ({@code #}, {@code //}, above blocks and values,
 * trailing), blank and whitespace-only lines, tabs, CRLF line ends, and now and then what must not
 * be cut (an include, a triple-quoted string, an inline object, a list over lines, two statements
 * on a line, a quoted key, a braced root, a syntax error). Cut into 2 to 4 parts, the split parse
 * either declines (null), or gives what the whole parse gives: the same rendering with comments and
 * origins, the same origin (description, lines, comments) for every value, objects and lists
 * included, the same tree; resolved alone and over a lower layer, the same {@code
 * render(concise())} and the same origin of every leaf, or the same failure; and never a tree for
 * a text the whole parse refuses.
 */
class SplitParsePropertiesTest {
  private static final ConfigRenderOptions WITH_ORIGINS =
      ConfigRenderOptions.defaults().setComments(true).setOriginComments(true).setJson(false);
  private static final ConfigParseOptions OPTIONS =
      ConfigParseOptions.defaults().setOriginDescription("config/application.conf")
          .setAllowMissing(false);
  private static final ConfigResolveOptions RESOLVE =
      ConfigResolveOptions.defaults().setUseSystemEnvironment(false);
  private static final Config LOWER = ConfigFactory.parseString(
      "X = 5\na { a = 7, z = [0] }\nb = [9]\nc { b { c = 8 } }\nport = 1\nx-1 { d = lower }",
      ConfigParseOptions.defaults().setOriginDescription("config/lower.conf"));
  private static final String[] KEYS = {"a", "b", "c", "d", "port", "x-1"};

  private static final AtomicInteger SPLIT = new AtomicInteger();
  private static final AtomicInteger TRIED = new AtomicInteger();

  @Property(tries = 1500)
  void sameAsTheWholeParse(@ForAll Random random, @ForAll @IntRange(min = 2, max = 4) int parts) {
    check(random, parts);
  }

  @Property(tries = 20_000)
  @Tag("nightly")
  void sameAsTheWholeParseNightly(
      @ForAll Random random, @ForAll @IntRange(min = 2, max = 4) int parts) {
    check(random, parts);
  }

  /** The property is empty if the generated files are rarely cut: most must be. */
  @AfterContainer
  static void mostFilesWereCut() {
    if (TRIED.get() >= 500) {
      assertThat(SPLIT.get()).as("files cut of %s", TRIED.get()).isGreaterThan(TRIED.get() / 3);
    }
  }

  /** Lightbend's own test files: each, in 2 and 3 parts, is declined or parsed as whole. */
  @Example
  void lightbendTestFiles() throws Exception {
    int cut = 0;
    List<Path> files = LightbendConfFiles.all();
    for (Path file : files) {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      for (int parts = 2; parts <= 3; parts++) {
        if (compare(text, parts)) {
          cut++;
        }
      }
    }
    assertThat(files.size()).isGreaterThan(40);
    assertThat(cut).as("lightbend files cut").isGreaterThan(0);
  }

  /** A file of the benchmark's shape, larger than a part: cut, and cut where it was asked. */
  @Example
  void aLargeNestedFileIsCutNearItsMiddle() {
    String text = nested(2_000);
    BlockLayout layout = BlockLayout.of(text, true);
    int[] cuts = SplitParse.cuts(layout, 2);
    assertThat(cuts).hasSize(1);
    assertThat(layout.starts[cuts[0]]).isBetween(text.length() * 4 / 10, text.length() * 6 / 10);
    assertThat(compare(text, 2)).isTrue();
    assertThat(compare(text, 4)).isTrue();
  }

  private static void check(Random random, int parts) {
    List<String> lines = new ArrayList<>();
    if (random.nextInt(3) == 0) {
      lines.add("# generated " + random.nextInt(100));
    }
    block(random, lines, 0, "", "");
    if (random.nextInt(5) == 0) {
      lines.add(random.nextInt(lines.size() + 1), refused(random));
    }
    String newline = random.nextInt(8) == 0 ? "\r\n" : "\n";
    String text = String.join(newline, lines) + (random.nextInt(6) == 0 ? "" : newline);
    TRIED.incrementAndGet();
    boolean cut = compare(text, parts);
    if (cut) {
      SPLIT.incrementAndGet();
    }
    Statistics.collect(cut ? "cut"
        : text.contains("include") || text.contains("\"\"\"") ? "include or triple quotes"
        : BlockLayout.of(text, true) == null ? "not plain"
        : SplitParse.cuts(BlockLayout.of(text, true), parts).length == 0 ? "no cut"
        : "a part failed");
  }

  /** Whether the text was cut; asserts that a cut parse equals the whole parse. */
  private static boolean compare(String text, int parts) {
    Config expected = DifferentialParse.wholeOrNull(text, OPTIONS);
    Config actual;
    try {
      actual = SplitParse.parse(text, parts, SplitParsePropertiesTest::parse);
    } catch (RuntimeException ex) {
      throw new AssertionError("the split parse threw for\n" + text, ex);
    }
    if (actual == null) {
      return false;
    }
    assertThat(expected).as("a tree for a text the parser refuses:\n%s", text).isNotNull();
    try {
      assertSame(actual, expected);
      assertSameResolved(actual, expected);
      assertSameResolved(actual.withFallback(LOWER), expected.withFallback(LOWER));
    } catch (AssertionError e) {
      throw new AssertionError("in " + parts + " parts (cuts before lines "
          + java.util.Arrays.toString(SplitParse.cuts(BlockLayout.of(text, true), parts))
          + ", from 0):\n" + text, e);
    }
    return true;
  }

  static void assertSame(Config actual, Config expected) {
    assertThat(actual.root().render(WITH_ORIGINS)).isEqualTo(expected.root().render(WITH_ORIGINS));
    assertThat(actual.isResolved()).isEqualTo(expected.isResolved());
    if (expected.isResolved()) {
      assertThat(actual.root()).isEqualTo(expected.root());
    }
    DifferentialParse.assertSameOrigins(actual.root(), expected.root(), "", true);
  }

  private static void assertSameResolved(Config actual, Config expected) {
    String failure = null;
    Config want = null;
    try {
      want = expected.resolve(RESOLVE);
    } catch (ConfigException e) {
      failure = e.getClass().getName() + ": " + e.getMessage();
    }
    Config got;
    try {
      got = actual.resolve(RESOLVE);
    } catch (ConfigException e) {
      assertThat(e.getClass().getName() + ": " + e.getMessage()).isEqualTo(failure);
      return;
    }
    assertThat(failure).as("resolving the whole parse failed, the split one did not").isNull();
    assertThat(got.root().render(ConfigRenderOptions.concise()))
        .isEqualTo(want.root().render(ConfigRenderOptions.concise()));
    assertThat(leafOrigins(got)).isEqualTo(leafOrigins(want));
  }

  private static Map<String, String> leafOrigins(Config c) {
    Map<String, String> out = new TreeMap<>();
    for (Map.Entry<String, ConfigValue> e : c.entrySet()) {
      out.put(e.getKey(), e.getValue().origin().description() + " @" + e.getValue().origin()
          .lineNumber() + " " + e.getValue().origin().comments());
    }
    return out;
  }

  static Config parse(String text) {
    return ConfigFactory.parseString(text, OPTIONS);
  }

  /** The benchmark's shape: modules of sections of leaves, a comment at the top. */
  static String nested(int sections) {
    StringBuilder out = new StringBuilder("# generated, " + sections + " sections\n");
    for (int s = 0; s < sections; s++) {
      if (s % 100 == 0) {
        out.append(s > 0 ? "}\n" : "").append("module-").append(s / 100).append(" {\n");
      }
      out.append("  section-").append(s % 100).append(" {\n")
          .append("    port = ").append(1024 + s).append('\n')
          .append("    name = \"service-").append(s).append("\"\n")
          .append("    timeout = 30s\n")
          .append("    tags = [\"tier-").append(s % 3).append("\", \"x\"]\n")
          .append("  }\n");
    }
    return out.append("}\n").toString();
  }

  private static void block(Random r, List<String> out, int depth, String indent, String path) {
    int n = 1 + r.nextInt(depth == 0 ? 10 : 6);
    for (int i = 0; i < n; i++) {
      if (r.nextInt(4) == 0) {
        out.add(indent + comment(r));
      }
      if (r.nextInt(6) == 0) {
        out.add(switch (r.nextInt(3)) {
          case 0 -> "";
          case 1 -> indent;
          default -> " \t ";
        });
      }
      // Repeated among siblings often, at the root less often (a repeated root key spans much).
      String key = depth == 0 && r.nextBoolean() ? "m" + r.nextInt(20)
          : KEYS[r.nextInt(KEYS.length)];
      String full = path.isEmpty() ? key : path + "." + key;
      if (depth < 3 && r.nextInt(5) < 2) {
        out.add(indent + key + switch (r.nextInt(4)) {
          case 0 -> "{";
          case 1 -> "\t{";
          case 2 -> " {  ";
          default -> " {";
        });
        block(r, out, depth + 1, indent + (r.nextInt(5) == 0 ? "\t" : "  "), full);
        out.add(indent + "}" + (r.nextInt(8) == 0 ? "  " : ""));
      } else {
        out.add(indent + flat(r, key, full));
      }
    }
  }

  private static String comment(Random r) {
    return switch (r.nextInt(5)) {
      case 0 -> "# note " + r.nextInt(10);
      case 1 -> "// note " + r.nextInt(10);
      case 2 -> "#";
      case 3 -> "\t# indented { " + r.nextInt(10);
      default -> "# { not a brace " + r.nextInt(10);
    };
  }

  /** A statement about {@code key} (full path {@code full}), of any plain kind. */
  private static String flat(Random r, String key, String full) {
    String k = r.nextInt(4) == 0 ? key + "." + KEYS[r.nextInt(KEYS.length)] : key;
    String sep = switch (r.nextInt(4)) {
      case 0 -> " = ";
      case 1 -> ": ";
      case 2 -> "=";
      default -> " : ";
    };
    String statement = switch (r.nextInt(16)) {
      case 0 -> key + " += " + r.nextInt(10);
      case 1 -> key + " += [" + r.nextInt(10) + "]";
      case 2 -> key + sep + "${?" + full + "} [" + r.nextInt(10) + "]";
      case 3 -> key + sep + "${" + full + "}";
      case 4 -> k + sep + "${?X}";
      case 5 -> k + sep + "\"s-\"${?X}";
      case 6 -> k + sep + "${?" + KEYS[r.nextInt(KEYS.length)] + "." + KEYS[r.nextInt(KEYS.length)]
          + "}";
      case 7 -> k + sep + "${" + KEYS[r.nextInt(KEYS.length)] + "}";
      default -> k + sep + DifferentialParse.plainValue(r);
    };
    return statement + (r.nextInt(6) == 0 ? " # trailing" : "");
  }

  /** A line that must not be cut around (or that makes the file one the parser refuses). */
  private static String refused(Random r) {
    return switch (r.nextInt(10)) {
      case 0 -> "include \"other.conf\"";
      case 1 -> "y = \"\"\"three\nlines\"\"\"";
      case 2 -> "y = { z = 1 }";
      case 3 -> "y = [1,\n2]";
      case 4 -> "y = 1, z = 2";
      case 5 -> "\"q.k\" = 1";
      case 6 -> "y = [1,";
      case 7 -> "}";
      case 8 -> "y { ";
      default -> "a.b {";
    };
  }
}
