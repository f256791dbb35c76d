package io.qcfg.internal.migrate;

import static io.qcfg.internal.migrate.Fixtures.problem;
import static io.qcfg.internal.migrate.Fixtures.problems;
import static io.qcfg.internal.migrate.Fixtures.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.qcfg.Problem;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link MigrationPlan#load}: every kind of bad migration file, with file, line, path and id. */
class MigrationLoadTest {
  @TempDir Path dir;

  private Problem onlyProblem(String fileName, String text) {
    write(dir, "migrations/" + fileName, text);
    return problem(() -> MigrationPlan.load(dir));
  }

  private String file(String name) {
    return dir.resolve("migrations").resolve(name).toString();
  }

  @Test
  void noMigrationsDirectoryIsAnEmptyPlan() {
    assertThat(MigrationPlan.load(dir).files()).isEmpty();
  }

  @Test
  void filesAreOrderedBySourceFormatAndOthersIgnored() {
    write(dir, "migrations/010-late.conf", "steps = []");
    write(dir, "migrations/2-early.conf", "steps = []");
    write(dir, "migrations/README.md", "not a migration");
    write(dir, "migrations/.001-hidden.conf", "garbage {{{");
    assertThat(MigrationPlan.load(dir).files())
        .containsExactly(file("2-early.conf"), file("010-late.conf"));
  }

  @Test
  void aBadFileNameIsAProblem() {
    for (String name : List.of("split-db.conf", "000-zero.conf", "001.conf", "001-.conf")) {
      Path bad = write(dir, "migrations/" + name, "steps = []");
      Problem p = problem(() -> MigrationPlan.load(dir));
      assertThat(p.id()).isEqualTo("QCFG-4501");
      assertThat(p.location()).isEqualTo(file(name));
      assertThat(p.reason()).contains("expected a name NNN-name.conf").endsWith("found " + name);
      bad.toFile().delete();
    }
  }

  @Test
  void twoMigrationsForTheSameFormatAreAProblemNamingBoth() {
    write(dir, "migrations/001-a.conf", "steps = []");
    Problem p = onlyProblem("1-b.conf", "steps = []");
    assertThat(p.id()).isEqualTo("QCFG-4502");
    assertThat(p.location()).isEqualTo(file("1-b.conf"));
    assertThat(p.reason())
        .isEqualTo(
            "two migrations from format 1: "
                + file("001-a.conf")
                + " and 1-b.conf; keep exactly one file per format");
  }

  @Test
  void aSyntaxErrorNamesFileAndLine() {
    Problem p = onlyProblem("001-x.conf", "steps = [\n  { rename = \"a\", to = }\n]\n");
    assertThat(p.id()).isEqualTo("QCFG-4503");
    assertThat(p.location()).isEqualTo(file("001-x.conf") + ":2");
    assertThat(p.reason()).startsWith("syntax error: ");
  }

  @Test
  void anUnknownVerbNamesFileLineAndTheVerbs() {
    Problem p =
        onlyProblem(
            "001-x.conf", "steps = [\n  { delete = a }\n  { move = \"a\", to = \"b\" }\n]\n");
    assertThat(p.id()).isEqualTo("QCFG-4506");
    assertThat(p.location()).isEqualTo(file("001-x.conf") + ":3");
    assertThat(p.path()).isEqualTo("steps[1]");
    assertThat(p.reason())
        .isEqualTo(
            "unknown step: expected one of rename, delete, default, wrap-list, convert,"
                + " found keys [move, to]");
  }

  @Test
  void twoVerbsInOneStepAreAProblem() {
    Problem p = onlyProblem("001-x.conf", "steps = [ { rename = a, delete = b, to = c } ]");
    assertThat(p.id()).isEqualTo("QCFG-4506");
    assertThat(p.reason()).isEqualTo("a step has exactly one verb, found rename and delete");
  }

  @Test
  void fromMustMatchTheFileName() {
    Problem p = onlyProblem("001-x.conf", "from = 2\nsteps = []\n");
    assertThat(p.id()).isEqualTo("QCFG-4504");
    assertThat(p.location()).isEqualTo(file("001-x.conf") + ":1");
    assertThat(p.reason()).isEqualTo("expected 1 (the number the file name starts with), found 2");
  }

  @Test
  void stepsMustBeAListOfObjects() {
    Problem missing = onlyProblem("001-x.conf", "from = 1\n");
    assertThat(missing.id()).isEqualTo("QCFG-4505");
    assertThat(missing.reason()).endsWith("found nothing");

    Problem notObject = onlyProblem("001-x.conf", "steps = [\n  \"delete a\"\n]\n");
    assertThat(notObject.id()).isEqualTo("QCFG-4505");
    assertThat(notObject.location()).isEqualTo(file("001-x.conf") + ":2");
    assertThat(notObject.reason()).endsWith("found a string");

    Problem unknownTop = onlyProblem("001-x.conf", "steps = []\nstep = []\n");
    assertThat(unknownTop.id()).isEqualTo("QCFG-4505");
    assertThat(unknownTop.path()).isEqualTo("step");
    assertThat(unknownTop.location()).isEqualTo(file("001-x.conf") + ":2");
  }

  @Test
  void badStepFieldsAreProblemsAtTheirLine() {
    write(
        dir,
        "migrations/001-x.conf",
        """
        steps = [
          { rename = "a" }
          { rename = "a", to = "a" }
          { delete = "a..b" }
          { delete = "qcfg.format" }
          { wrap-list = "a", extra = 1 }
          { default = "a" }
          { convert = "t", from-unit = "ms", to-unit = "MiB" }
          { convert = "t", from-unit = "msec", to-unit = "s" }
          { convert = "t", from-unit = "ms", to-unit = "s", as = "text" }
          { delete = 5 }
        ]
        """);
    List<Problem> ps = problems(() -> MigrationPlan.load(dir));
    assertThat(ps).extracting(Problem::id).containsOnly("QCFG-4507");
    assertThat(ps)
        .extracting(p -> p.location().substring(p.location().lastIndexOf(':') + 1) + " " + p.path())
        .containsExactly(
            "2 steps[0].to",
            "3 steps[1].to",
            "4 steps[2].delete",
            "5 steps[3].delete",
            "6 steps[4].extra",
            "7 steps[5].value",
            "8 steps[6].to-unit",
            "9 steps[7].from-unit",
            "10 steps[8].as",
            "11 steps[9].delete");
    assertThat(ps.get(0).reason()).isEqualTo("expected a string, found nothing");
    assertThat(ps.get(2).reason()).startsWith("expected a path like a.b.c, found \"a..b\"");
    assertThat(ps.get(3).reason()).contains("which qcfg migrate writes itself");
    assertThat(ps.get(4).reason())
        .isEqualTo("unknown key in a wrap-list step; expected: wrap-list");
    assertThat(ps.get(6).reason())
        .isEqualTo("expected a duration unit like ms, found the size unit MiB");
    assertThat(ps.get(7).reason()).startsWith("expected one of ns, us, ms, s, m, h, d, B, kB");
  }

  @Test
  void substitutionsAreRefused() {
    Problem p = onlyProblem("001-x.conf", "x = 1\nsteps = [ { default = \"a\", value = ${x} } ]\n");
    assertThat(p.id()).isEqualTo("QCFG-4507");
    assertThat(p.reason()).contains("found a substitution");
  }

  @Test
  void problemsOfEveryFileAreReportedAtOnce() {
    write(dir, "migrations/001-a.conf", "steps = [ { move = a } ]");
    write(dir, "migrations/002-b.conf", "steps = [");
    write(dir, "migrations/bad.conf", "steps = []");
    assertThat(problems(() -> MigrationPlan.load(dir)))
        .extracting(Problem::id)
        .containsExactly("QCFG-4506", "QCFG-4503", "QCFG-4501");
  }
}
