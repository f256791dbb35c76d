package io.qcfg.internal.layer;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigSyntax;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * Differential (issue 19): a layer's text parsed through {@link UnsyncStringReader} against
 * Typesafe's own {@code parseString} with the options a layer file gets: the same tree, the same
 * rendering with comments and origins, the same origin (description, line, comments) for every
 * value, or the same exception with the same message. On random HOCON texts (nested blocks, dotted
 * keys, lists, quoted and triple-quoted strings, comments, substitutions, {@code +=}), on random
 * character soup (mostly syntax errors) and on lightbend/config's own test files.
 */
class UnsyncStringReaderTest {
  private static final ConfigRenderOptions WITH_ORIGINS =
      ConfigRenderOptions.defaults().setComments(true).setOriginComments(true).setJson(false);
  private static final ConfigParseOptions LAYER = ConfigParseOptions.defaults()
      .setSyntax(ConfigSyntax.CONF).setOriginDescription("config/application.conf")
      .setAllowMissing(false);

  @Property(tries = 1500)
  void sameAsParseStringOnHocon(@ForAll("hocon") String text) {
    assertSameParse(text);
  }

  @Property(tries = 1500)
  void sameAsParseStringOnCharacterSoup(@ForAll("soup") String text) {
    assertSameParse(text);
  }

  @Example
  void sameAsParseStringOnTypesafesTestFiles() throws IOException {
    List<Path> files = LightbendConfFiles.all();
    assertThat(files).hasSizeGreaterThan(10);
    for (Path f : files) {
      assertSameParse(Files.readString(f, StandardCharsets.UTF_8));
    }
  }

  @Property(tries = 300)
  void bulkReadsGiveTheString(@ForAll("soup") String text, @ForAll @IntRange(min = 1, max = 9)
      int chunk) throws IOException {
    UnsyncStringReader reader = new UnsyncStringReader(text);
    StringWriter out = new StringWriter();
    char[] buf = new char[chunk];
    assertThat(reader.read(buf, 0, 0)).isZero();
    for (int n; (n = reader.read(buf, 0, chunk)) != -1; ) {
      out.write(buf, 0, n);
    }
    assertThat(out.toString()).isEqualTo(text);
    assertThat(reader.read()).isEqualTo(new StringReader(text.substring(text.length())).read());
  }

  private static void assertSameParse(String text) {
    Object expected;
    Object actual;
    Config theirs = null;
    Config ours = null;
    try {
      theirs = ConfigFactory.parseString(text, LAYER);
      expected = theirs.root().render(WITH_ORIGINS);
    } catch (ConfigException e) {
      expected = e.getClass().getName() + ": " + e.getMessage();
    }
    try {
      ours = UnsyncStringReader.parse(text, LAYER);
      actual = ours.root().render(WITH_ORIGINS);
    } catch (ConfigException e) {
      actual = e.getClass().getName() + ": " + e.getMessage();
    }
    assertThat(actual).as("parse of <%s>", text).isEqualTo(expected);
    Statistics.collect(theirs == null ? "refused by the parser" : "parsed");
    if (theirs != null) {
      assertThat(ours.isResolved()).isEqualTo(theirs.isResolved());
      if (theirs.isResolved()) { // an unresolved object has no values to ask yet
        assertThat(ours.root()).isEqualTo(theirs.root());
        EditReparsePropertiesTest.sameOrigins(ours.root(), theirs.root(), "");
      }
    }
  }

  @Provide
  Arbitrary<String> soup() {
    return Arbitraries.strings().withChars("ab1.\"\n \t={}[],:+#/$?é\\").ofMaxLength(40);
  }

  @Provide
  Arbitrary<String> hocon() {
    return statement(3).list().ofMaxSize(8).map(l -> String.join("\n", l));
  }

  private Arbitrary<String> statement(int depth) {
    Arbitrary<String> key = Arbitraries.of("a", "b", "a.b", "\"q.k\"", "c-1", "x.y.z", "é");
    Arbitrary<String> sep = Arbitraries.of(" = ", ": ", " += ", "=");
    Arbitrary<String> comment = Arbitraries.of("", "# note\n", "// two\n", "#\n# three\n");
    Arbitrary<String> leaf = Combinators.combine(comment, key, sep, value(depth)).as(
        (c, k, s, v) -> c + k + s + v);
    if (depth == 0) {
      return leaf;
    }
    Arbitrary<String> block = Combinators.combine(comment, key,
        Arbitraries.lazy(() -> statement(depth - 1)).list().ofMaxSize(4))
        .as((c, k, body) -> c + k + " {\n" + String.join("\n", body) + "\n}");
    return Arbitraries.oneOf(leaf, leaf, block);
  }

  private Arbitrary<String> value(int depth) {
    Arbitrary<String> scalar = Arbitraries.of("1", "-2.5", "true", "null", "10s", "\"s t\"",
        "plain words", "\"\"\"tri\nple\"\"\"", "${a}", "${?HOME}", "x ${a} y", "\"é\\n\"");
    if (depth == 0) {
      return scalar;
    }
    Arbitrary<String> list = Arbitraries.lazy(() -> value(depth - 1)).list().ofMaxSize(3)
        .map(l -> "[" + String.join(", ", l) + "]");
    Arbitrary<String> inline = Arbitraries.lazy(() -> statement(depth - 1)).list().ofMaxSize(2)
        .map(l -> "{ " + String.join(", ", l) + " }");
    return Arbitraries.oneOf(scalar, scalar, list, inline);
  }
}
