package io.qcfg.internal.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.qcfg.QcfgException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Migration files and layer files are untrusted input: whatever they hold, loading, migrating and
 * rewriting end in a result or a {@link QcfgException}, never another exception.
 */
class MigrationFuzzTest {

  private static final List<String> PIECES =
      List.of(
          "steps",
          " = ",
          "[",
          "]",
          "{",
          "}",
          "rename",
          "delete",
          "default",
          "wrap-list",
          "convert",
          "to",
          "value",
          "from-unit",
          "to-unit",
          "as",
          "\"a\"",
          "\"a.b\"",
          "\"ms\"",
          "\"s\"",
          "\"MiB\"",
          "1",
          "1.5",
          "null",
          "\n",
          ",",
          ":",
          "from",
          "${a}",
          "\"",
          "#",
          "a.b");

  @Provide
  Arbitrary<String> hoconish() {
    Arbitrary<String> piece = Arbitraries.of(PIECES);
    Arbitrary<String> junk = Arbitraries.strings().ofMaxLength(6);
    return Arbitraries.oneOf(piece, piece, piece, junk)
        .list()
        .ofMaxSize(40)
        .map(l -> String.join("", l));
  }

  @Provide
  Arbitrary<String> layer() {
    Arbitrary<String> keys = Arbitraries.of("a", "a.b", "b", "qcfg.format", "t", "c.d");
    Arbitrary<String> values =
        Arbitraries.of(
            "1", "\"x\"", "[1, 2]", "{ b = 1 }", "1500", "\"2 h\"", "null", "${a}", "true", "{}");
    Arbitrary<String> comment = Arbitraries.of("", " # c", "\n# above");
    return Combinators.combine(keys, values, comment)
        .as((k, v, c) -> k + " = " + v + c)
        .list()
        .ofMaxSize(6)
        .map(l -> String.join("\n", l) + "\n");
  }

  @Property(tries = 200)
  void anyMigrationFileLoadsOrFailsWithQcfgException(@ForAll("hoconish") String text)
      throws IOException {
    Path dir = Files.createTempDirectory("qcfg-fuzz");
    try {
      Fixtures.write(dir, "migrations/001-fuzz.conf", text);
      try {
        MigrationPlan plan = MigrationPlan.load(dir);
        plan.migrate(ConfigFactory.parseString("a.b = 1\nt = 1500"), 2);
      } catch (QcfgException e) {
        assertThat(e.getMessage()).contains("QCFG-");
      }
    } finally {
      delete(dir);
    }
  }

  /**
   * A rewrite either fails cleanly or leaves files that mean what the in-memory migration means.
   */
  @Property(tries = 150)
  void anyLayerFileRewritesFaithfullyOrFailsCleanly(@ForAll("layer") String text)
      throws IOException {
    Path dir = Fixtures.copy("01-steps", Files.createTempDirectory("qcfg-fuzz"));
    try {
      Fixtures.write(
          dir,
          "migrations/001-reshape.conf",
          "steps = [ { rename = \"a\", to = \"c.d\" }, { wrap-list = \"b\" }, { delete = \"a.b\" },"
              + " { default = \"c.x\", value = { y = 1 } }, { convert = \"t\", from-unit = ms,"
              + " to-unit = s } ]");
      Path file = Fixtures.write(dir, "application.conf", text);
      var before = ConfigFactory.parseFile(file.toFile());
      try {
        var expected = MigrationPlan.load(dir).migrate(before, 2);
        MigrationPlan.load(dir).rewrite(dir, 2, false);
        assertThat(ConfigFactory.parseFile(file.toFile()).root()).isEqualTo(expected.root());
      } catch (QcfgException e) {
        assertThat(e.getMessage()).contains("QCFG-");
        assertThat(Files.readString(file)).isEqualTo(text);
      }
    } finally {
      delete(dir);
    }
  }

  /**
   * Found by the property above: moving a self-referential merge used to escape as a parse error.
   */
  @Property(tries = 1)
  void aSelfReferentialValueIsReportedNotThrown() throws IOException {
    anyLayerFileRewritesFaithfullyOrFailsCleanly("a = 1\na = ${a}\n");
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
