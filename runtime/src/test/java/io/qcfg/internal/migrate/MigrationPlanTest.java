package io.qcfg.internal.migrate;

import static io.qcfg.internal.migrate.Fixtures.fixture;
import static io.qcfg.internal.migrate.Fixtures.parse;
import static io.qcfg.internal.migrate.Fixtures.problem;
import static io.qcfg.internal.migrate.Fixtures.problems;
import static io.qcfg.internal.migrate.Fixtures.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigOrigin;
import io.qcfg.Problem;
import io.qcfg.QcfgException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link MigrationPlan#migrate} in memory: every step kind, chains, formats, and refusals. */
class MigrationPlanTest {

  private static void assertOrigin(Config config, String path, String file, int line) {
    ConfigOrigin origin = config.getValue(path).origin();
    assertThat(origin.filename()).as("file of " + path).endsWith(file);
    assertThat(origin.lineNumber()).as("line of " + path).isEqualTo(line);
  }

  @Nested
  class EveryStepKind {
    private final Path dir = fixture("01-steps");
    private final Config before = parse(dir.resolve("application.conf"));
    private final Config after = MigrationPlan.load(dir).migrate(before, 2);

    @Test
    void renameMovesAWholeSubtreeWithItsOrigins() {
      assertThat(after.getString("database.url")).isEqualTo("jdbc:postgresql://db/app");
      assertThat(after.getString("database.user")).isEqualTo("app");
      assertOrigin(after, "database.url", "application.conf", 4);
      assertOrigin(after, "database.user", "application.conf", 5);
      assertThat(after.hasPath("db")).isFalse();
      // the very same value object, not a copy
      assertThat(after.getValue("database.url")).isSameAs(before.getValue("db.url"));
    }

    @Test
    void deleteRemovesThePathAndTheParentItEmptied() {
      assertThat(after.hasPath("legacy.flag")).isFalse();
      assertThat(after.root()).doesNotContainKey("legacy");
    }

    @Test
    void defaultSetsAnAbsentPathWithItsOriginInTheMigrationFile() {
      assertThat(after.getInt("database.pool.size")).isEqualTo(10);
      assertOrigin(after, "database.pool.size", "001-reshape.conf", 7);
    }

    @Test
    void wrapListMakesAOneElementListKeepingTheOrigin() {
      assertThat(after.getStringList("http.hosts")).containsExactly("a.example");
      assertOrigin(after, "http.hosts", "application.conf", 9);
      assertThat(after.getList("http.hosts").get(0)).isSameAs(before.getValue("http.hosts"));
    }

    @Test
    void convertWritesADurationStringKeepingTheOrigin() {
      assertThat(after.getString("http.timeout")).isEqualTo("1.5s");
      assertThat(after.getDuration("http.timeout")).isEqualTo(Duration.ofMillis(1500));
      assertOrigin(after, "http.timeout", "application.conf", 10);
    }

    @Test
    void convertAsNumberWritesAPlainNumberInTheTargetUnit() {
      assertThat(after.getValue("cache.max").unwrapped()).isEqualTo(10L);
      assertOrigin(after, "cache.max", "application.conf", 12);
    }

    @Test
    void theResultDeclaresTheTargetFormatAndTheInputIsUntouched() {
      assertThat(after.getInt("qcfg.format")).isEqualTo(2);
      assertThat(after.getValue("qcfg.format").origin().description()).contains("001-reshape.conf");
      assertThat(before.hasPath("qcfg.format")).isFalse();
      assertThat(before.getString("db.url")).isEqualTo("jdbc:postgresql://db/app");
    }

    @Test
    void migratingTheResultAgainIsANoOp() {
      assertThat(MigrationPlan.load(dir).migrate(after, 2)).isSameAs(after);
    }
  }

  @Nested
  class Chains {
    private final Path dir = fixture("02-chain");
    private final Config before = parse(dir.resolve("application.conf"));
    private final MigrationPlan plan = MigrationPlan.load(dir);

    @Test
    void oneToThreeAppliesBothMigrationsInOrder() {
      Config after = plan.migrate(before, 3);
      assertThat(after.getInt("http.port")).isEqualTo(8080);
      assertOrigin(after, "http.port", "application.conf", 2);
      assertThat(after.getString("http.timeout")).isEqualTo("30000ms");
      assertOrigin(after, "http.timeout", "application.conf", 3);
      assertThat(after.root()).doesNotContainKey("server");
      assertThat(after.getInt("qcfg.format")).isEqualTo(3);
    }

    @Test
    void oneToTwoStopsHalfway() {
      Config after = plan.migrate(before, 2);
      assertThat(after.getInt("http.port")).isEqualTo(8080);
      assertThat(after.getInt("server.timeout")).isEqualTo(30);
      assertThat(after.getInt("qcfg.format")).isEqualTo(2);
      assertThat(plan.migrate(after, 3).getString("http.timeout")).isEqualTo("30000ms");
    }

    @Test
    void targetAlreadyMetReturnsTheSameTree() {
      assertThat(plan.migrate(before, 1)).isSameAs(before);
      Config noFormat = ConfigFactory.parseString("a = 1");
      assertThat(plan.migrate(noFormat, 1)).isSameAs(noFormat);
      assertThat(plan.files()).hasSize(2);
    }

    @Test
    void aFormatNewerThanTheTargetIsRefused() {
      Config newer = ConfigFactory.parseString("qcfg.format = 4\nhttp.port = 1");
      Problem p = problem(() -> plan.migrate(newer, 3));
      assertThat(p.id()).isEqualTo("QCFG-4510");
      assertThat(p.location()).isEqualTo("String:1");
      assertThat(p.path()).isEqualTo("qcfg.format");
      assertThat(p.reason())
          .isEqualTo("config format 4 is newer than this application supports (3)");
    }

    @Test
    void aMissingMigrationIsNamed() {
      Problem p = problem(() -> plan.migrate(before, 4));
      assertThat(p.id()).isEqualTo("QCFG-4511");
      assertThat(p.location()).isEqualTo(dir.resolve("migrations").toString());
      assertThat(p.reason())
          .contains("003-<name>.conf from format 3 to 4")
          .contains("at format 1, the application needs 4");
    }

    @Test
    void aGapInTheMiddleIsNamedAndNothingIsApplied(@TempDir Path tmp) {
      write(tmp, "migrations/001-a.conf", "steps = [ { delete = \"a\" } ]");
      write(tmp, "migrations/003-c.conf", "steps = []");
      List<Problem> ps = problems(() -> MigrationPlan.load(tmp).migrate(before, 4));
      assertThat(ps).extracting(Problem::id).containsExactly("QCFG-4511");
      assertThat(ps.get(0).reason()).contains("002-<name>.conf from format 2 to 3");
    }

    @Test
    void aTargetBelowOneIsABadOption() {
      assertThatThrownBy(() -> plan.migrate(before, 0))
          .isInstanceOf(QcfgException.BadOption.class)
          .hasMessageContaining("format: expected a whole number of at least 1, found 0");
    }
  }

  @Nested
  class Formats {
    @Test
    void absentMeansOne() {
      assertThat(MigrationPlan.formatOf(ConfigFactory.parseString("a = 1"))).isEqualTo(1);
      assertThat(MigrationPlan.formatOf(ConfigFactory.parseString("qcfg.format = 7"))).isEqualTo(7);
      assertThat(MigrationPlan.formatOf(ConfigFactory.parseString("qcfg.format = \"3\"")))
          .isEqualTo(3);
    }

    @Test
    void malformedFormatsAreProblemsAtTheirLine() {
      for (String bad : List.of("0", "1.5", "two", "[1]", "-2")) {
        Config c = ConfigFactory.parseString("a = 1\nqcfg.format = " + bad);
        Problem p = problem(() -> MigrationPlan.formatOf(c));
        assertThat(p.id()).isEqualTo("QCFG-4512");
        assertThat(p.location()).isEqualTo("String:2");
        assertThat(p.reason()).startsWith("expected a whole number of at least 1, found ");
      }
    }
  }

  /** Steps run against small inline trees; each test names the behaviour it pins. */
  @Nested
  class StepRules {
    @TempDir Path dir;

    private MigrationPlan plan(String steps) {
      write(dir, "migrations/001-test.conf", "steps = [\n" + steps + "\n]\n");
      return MigrationPlan.load(dir);
    }

    private Config tree(String text) {
      return parse(write(dir, "application.conf", text));
    }

    @Test
    void stepsOnMissingPathsDoNothing() {
      Config before = tree("a = 1\nb { c = 2 }\n");
      Config after =
          plan("""
               { rename = "x", to = "y" }
               { delete = "x.y" }
               { wrap-list = "b.x" }
               { convert = "x", from-unit = "ms", to-unit = "s" }
               """)
              .migrate(before, 2);
      assertThat(after.withoutPath("qcfg").root()).isEqualTo(before.root());
      assertThat(after.getInt("qcfg.format")).isEqualTo(2);
    }

    @Test
    void renameOntoAnExistingPathIsAProblemAtTheSourceLine() {
      Config before = tree("db.url = a\ndatabase.url = b\n");
      Problem p =
          problem(() -> plan("{ rename = \"db.url\", to = \"database.url\" }").migrate(before, 2));
      assertThat(p.id()).isEqualTo("QCFG-4520");
      assertThat(p.location()).endsWith("application.conf:1");
      assertThat(p.path()).isEqualTo("db.url");
      assertThat(p.reason())
          .startsWith("cannot rename to database.url: database.url already has a value (at ")
          .contains("application.conf:2");
    }

    @Test
    void everyProblemOfOneMigrationIsReported() {
      Config before = tree("a = 1\nb = 2\nc = x\nd = true\n");
      List<Problem> ps =
          problems(
              () ->
                  plan("""
                       { rename = "a", to = "b" }
                       { convert = "c", from-unit = "s", to-unit = "ms" }
                       { convert = "d", from-unit = "s", to-unit = "ms" }
                       """)
                      .migrate(before, 2));
      assertThat(ps).extracting(Problem::id).containsExactly("QCFG-4520", "QCFG-4522", "QCFG-4522");
      assertThat(ps.get(1).location()).endsWith("application.conf:3");
      assertThat(ps.get(1).reason())
          .contains("found a string that is neither")
          .doesNotContain("x\"");
      assertThat(ps.get(2).reason()).contains("found a boolean");
    }

    @Test
    void renameMovesAValueIntoANewObjectAndBackUp() {
      Config before = tree("timeout = 5s\npool { size = 3 }\n");
      Config after =
          plan("""
               { rename = "timeout", to = "timeout.connect" }
               { rename = "pool.size", to = "pool" }
               """)
              .migrate(before, 2);
      assertThat(after.getString("timeout.connect")).isEqualTo("5s");
      assertOrigin(after, "timeout.connect", "application.conf", 1);
      assertThat(after.getInt("pool")).isEqualTo(3);
    }

    @Test
    void writingUnderANonObjectIsAProblem() {
      Config before = tree("database = \"x\"\ndb.url = y\n");
      Problem p =
          problem(() -> plan("{ rename = \"db.url\", to = \"database.url\" }").migrate(before, 2));
      assertThat(p.id()).isEqualTo("QCFG-4521");
      assertThat(p.reason())
          .startsWith(
              "cannot write database.url: its parent database holds a string, not an object");
    }

    @Test
    void defaultKeepsAnyValueTheUserHasIncludingNull() {
      Config before = tree("a = 5\nb = null\n");
      Config after =
          plan("""
               { default = "a", value = 1 }
               { default = "b", value = 1 }
               { default = "c", value = { d = [1, 2] } }
               """)
              .migrate(before, 2);
      assertThat(after.getInt("a")).isEqualTo(5);
      assertThat(after.getIsNull("b")).isTrue();
      assertThat(after.getIntList("c.d")).containsExactly(1, 2);
    }

    @Test
    void wrapListWrapsObjectsAndLeavesListsAlone() {
      Config before = tree("one { host = a }\nmany = [x, y]\n");
      Config after =
          plan("""
               { wrap-list = "one" }
               { wrap-list = "many" }
               """)
              .migrate(before, 2);
      assertThat(after.getConfigList("one")).hasSize(1);
      assertThat(after.getConfigList("one").get(0).getString("host")).isEqualTo("a");
      assertThat(after.getStringList("many")).containsExactly("x", "y");
    }

    @Test
    void convertReadsUnitsFromStringsAndTheStepUnitForBareNumbers() {
      Config before = tree("a = \"2 h\"\nb = \"1500\"\nc = 90\nd = 1.5KiB\ne = \"1500 millis\"\n");
      Config after =
          plan("""
               { convert = "a", from-unit = "ms", to-unit = "s" }
               { convert = "b", from-unit = "ms", to-unit = "s" }
               { convert = "c", from-unit = "s", to-unit = "m", as = "number" }
               { convert = "d", from-unit = "B", to-unit = "B" }
               { convert = "e", from-unit = "s", to-unit = "ms" }
               """)
              .migrate(before, 2);
      assertThat(after.getString("a")).isEqualTo("7200s");
      assertThat(after.getString("b")).isEqualTo("1.5s");
      assertThat(after.getDouble("c")).isEqualTo(1.5);
      assertThat(after.getString("d")).isEqualTo("1536B");
      assertThat(after.getString("e")).isEqualTo("1500ms");
    }

    @Test
    void anInexactConversionIsAProblem() {
      Config before = tree("t = 1\n");
      Problem p =
          problem(
              () ->
                  plan("{ convert = \"t\", from-unit = \"ms\", to-unit = \"h\" }")
                      .migrate(before, 2));
      assertThat(p.id()).isEqualTo("QCFG-4523");
      assertThat(p.location()).endsWith("application.conf:1");
      assertThat(p.reason()).contains("cannot be written exactly in h");
    }

    @Test
    void aUnitOfTheWrongKindIsAProblem() {
      Config before = tree("t = 10MiB\n");
      Problem p =
          problem(
              () ->
                  plan("{ convert = \"t\", from-unit = \"ms\", to-unit = \"s\" }")
                      .migrate(before, 2));
      assertThat(p.id()).isEqualTo("QCFG-4522");
      assertThat(p.reason()).contains("found the unit 'MiB'");
    }

    @Test
    void unresolvedTreesMigrateAndStillResolve() {
      Config before = tree("base { x = 1 }\na = ${base}\nn = ${base.x}\n");
      Config after = plan("{ rename = \"a\", to = \"b\" }").migrate(before, 2);
      assertThat(after.resolve().getInt("b.x")).isEqualTo(1);
      assertOrigin(after.resolve(), "b.x", "application.conf", 1);
    }

    @Test
    void wrappingOrConvertingASubstitutionIsAProblem() {
      Config before = tree("base = 1\nn = ${base}\n");
      List<Problem> ps =
          problems(
              () ->
                  plan("""
                       { wrap-list = "n" }
                       { convert = "n", from-unit = "s", to-unit = "ms" }
                       """)
                      .migrate(before, 2));
      assertThat(ps).extracting(Problem::id).containsExactly("QCFG-4524", "QCFG-4524");
      assertThat(ps.get(0).location()).endsWith("application.conf:2");
      assertThat(ps.get(0).reason()).startsWith("wrap-list needs the value itself");
    }

    @Test
    void lookingThroughAnUnresolvedMergeIsAProblem() {
      Config before = tree("base { x = 1 }\na = ${base} { y = 2 }\n");
      Problem p = problem(() -> plan("{ rename = \"a.y\", to = \"c\" }").migrate(before, 2));
      assertThat(p.id()).isEqualTo("QCFG-4525");
      assertThat(p.location()).endsWith("001-test.conf:2");
      assertThat(p.reason()).startsWith("rename cannot look through a value");
    }
  }
}
