package io.qcfg.internal.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.qcfg.Problem;
import io.qcfg.QcfgException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The sandbox on its own: what templates can do, and every kind of refusal. */
class TemplateSandboxTest {
  @TempDir Path base;
  Path root;
  TemplateSandbox sandbox;

  @BeforeEach
  void setUp() throws IOException {
    root = Files.createDirectories(base.resolve("config/templates"));
    sandbox = new TemplateSandbox(root, base);
  }

  private void write(String name, String text) throws IOException {
    Path file = root.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }

  private String render(String name, Map<String, ?> vars) {
    return sandbox.render(name, vars, null);
  }

  /** Renders, expects exactly one problem, and checks the message carries location and id. */
  static Problem failure(Runnable render) {
    QcfgException.Invalid e = catchThrowableOfType(render::run, QcfgException.Invalid.class);
    assertThat(e).as("render must fail with QcfgException.Invalid").isNotNull();
    assertThat(e.problems()).hasSize(1);
    Problem p = e.problems().get(0);
    assertThat(e.id()).isEqualTo(p.id());
    assertThat(e.getMessage()).contains(p.location() + ": ").endsWith("[" + p.id() + "]");
    assertThat(p.path()).isEmpty();
    return p;
  }

  private Problem failure(String name, Map<String, ?> vars) {
    return failure(() -> render(name, vars));
  }

  @Test
  void rendersVariablesMapsListsEntriesAndLoopVariables() throws IOException {
    write(
        "a.peb",
        "{{ env }}:{% for s in config.servers %}{{ loop.index }}={{ s.host }}"
            + "{% if not loop.last %},{% endif %}{% endfor %}|{{ config['db']['port'] + 1 }}"
            + "|{{ config.servers[1].host }}|{% for e in config.db %}{{ e.key }};{% endfor %}"
            + "|{{ config.servers | length }}|{{ _context.env }}");
    Map<String, Object> config =
        Map.of(
            "servers", List.of(Map.of("host", "a"), Map.of("host", "b")),
            "db", Map.of("port", 5432, "name", "x"));
    assertThat(render("a.peb", Map.of("env", "prod", "config", config)))
        .isEqualTo("prod:0=a,1=b|5433|b|name;port;|2|prod");
  }

  @Test
  void extendsBlocksMacrosImportsAndRelativeIncludesWork() throws IOException {
    write("layout.peb", "head\n{% block body %}default{% endblock %}\ntail");
    write("lib/macros.peb", "{% macro kv(k, v) %}{{ k }}={{ v | json }}{% endmacro %}");
    write("lib/part.peb", "{% include './leaf.peb' %}");
    write("lib/leaf.peb", "leaf");
    write(
        "page.peb",
        "{% extends 'layout.peb' %}{% import 'lib/macros.peb' %}"
            + "{% block body %}{{ kv('a', 'x\"y') }} {% include 'lib/part.peb' %}{% endblock %}");
    assertThat(render("page.peb", Map.of())).isEqualTo("head\na=\"x\\\"y\" leaf\ntail");
  }

  @Test
  void lineBreaksAreKeptUnlessWhitespaceControlDropsThem() throws IOException {
    write(
        "l.peb",
        "a={{ 1 }}\nb={{ 2 }}\n{% if true %}\nc\n{% endif %}\n{%- if true %}\nd\n{%- endif %}\n");
    assertThat(render("l.peb", Map.of())).isEqualTo("a=1\nb=2\n\nc\n\nd\n");
  }

  @Test
  void editedTemplateIsReadAgain() throws IOException {
    write("t.peb", "one");
    assertThat(render("t.peb", Map.of())).isEqualTo("one");
    write("t.peb", "two");
    assertThat(render("t.peb", Map.of())).isEqualTo("two");
  }

  @Test
  void valuesAreDataAndNeverRenderedAgain() throws IOException {
    write("t.peb", "{{ x }}|{{ m.v }}|{{ x | json }}");
    assertThat(render("t.peb", Map.of("x", "{{ 7*7 }}", "m", Map.of("v", "{% include 'x' %}"))))
        .isEqualTo("{{ 7*7 }}|{% include 'x' %}|\"{{ 7*7 }}\"");
  }

  @Test
  void undefinedVariableNamesTemplateLineAndName() throws IOException {
    write("u.peb", "line one\n{{ nope }}\n");
    Problem p = failure("u.peb", Map.of());
    assertThat(p.id()).isEqualTo("QCFG-4401");
    assertThat(p.location()).isEqualTo("config/templates/u.peb:2");
    assertThat(p.reason()).contains("undefined name 'nope'");
  }

  @Test
  void undefinedAttributeNamesTheKeyWhileDefaultAndIsDefinedStillWork() throws IOException {
    write("ok.peb", "{{ vars.A | default('d') }}{% if vars.B is defined %}x{% endif %}");
    assertThat(render("ok.peb", Map.of("vars", Map.of()))).isEqualTo("d");
    write("u.peb", "{{ vars.A | default('d') }}\n\n{{ vars.MISSING }}");
    Problem p = failure("u.peb", Map.of("vars", Map.of("A", "1")));
    assertThat(p.id()).isEqualTo("QCFG-4401");
    assertThat(p.location()).isEqualTo("config/templates/u.peb:3");
    assertThat(p.reason()).contains("undefined attribute 'MISSING'");
  }

  @Test
  void undefinedNameInAnIncludedTemplateNamesThatTemplate() throws IOException {
    write("outer.peb", "x\n{% include 'inner.peb' %}");
    write("inner.peb", "\n\n\n{{ gone }}");
    Problem p = failure("outer.peb", Map.of());
    assertThat(p.location()).isEqualTo("config/templates/inner.peb:4");
  }

  @Test
  void syntaxErrorNamesTheLine() throws IOException {
    write("s.peb", "ok\nok\n{% if %}\n");
    Problem p = failure("s.peb", Map.of());
    assertThat(p.id()).isEqualTo("QCFG-4402");
    assertThat(p.location()).isEqualTo("config/templates/s.peb:3");
    assertThat(p.reason()).startsWith("syntax error: ");
  }

  @Test
  void missingTemplateIsReported() {
    Problem p = failure("nope.peb", Map.of());
    assertThat(p.id()).isEqualTo("QCFG-4403");
    assertThat(p.reason()).isEqualTo("template 'nope.peb' not found in templates/");
  }

  @Test
  void missingRootIsReported() {
    TemplateSandbox none = new TemplateSandbox(base.resolve("config/none"), base);
    Problem p = failure(() -> none.render("x.peb", Map.of(), null));
    assertThat(p.id()).isEqualTo("QCFG-4415");
    assertThat(p.location()).isEqualTo("config/none");
  }

  @Test
  void includeOfAFileOutsideTheRootIsRefusedAndNotRead() throws IOException {
    Files.writeString(base.resolve("config/application.conf"), "db.password = LEAKED");
    write("inc.peb", "a\n{% include \"../application.conf\" %}");
    Problem p = failure("inc.peb", Map.of());
    assertThat(p.id()).isEqualTo("QCFG-4405");
    assertThat(p.location()).isEqualTo("config/templates/inc.peb:2");
    assertThat(p.reason()).contains("'../application.conf'").doesNotContain("LEAKED");
  }

  @Test
  void relativeIncludeThatClimbsOutIsRefused() throws IOException {
    Files.writeString(base.resolve("config/application.conf"), "x = 1");
    write("sub/inc.peb", "{% include \"./../../application.conf\" %}");
    Problem p = failure("sub/inc.peb", Map.of());
    assertThat(p.id()).isEqualTo("QCFG-4405");
    assertThat(p.location()).isEqualTo("config/templates/sub/inc.peb:1");
  }

  @Test
  void absoluteIncludeIsRefused() throws IOException {
    write("inc.peb", "a\n\n{% include \"/etc/passwd\" %}");
    Problem p = failure("inc.peb", Map.of());
    assertThat(p.id()).isEqualTo("QCFG-4404");
    assertThat(p.location()).isEqualTo("config/templates/inc.peb:3");
    assertThat(p.reason()).contains("'/etc/passwd'").doesNotContain("root:");
  }

  @ParameterizedTest
  @ValueSource(strings = {"../x.peb", "/etc/passwd", "a\\..\\..\\x", "sub/../../x.peb"})
  void topLevelNamesOutsideTheRootAreRefused(String name) {
    Problem p = failure(name, Map.of());
    assertThat(p.id()).isIn("QCFG-4404", "QCFG-4405");
    assertThat(p.reason()).contains("refused");
    assertThat(p.location()).isEqualTo("config/templates");
  }

  @Test
  void embedWorksAndItsRefusalsCarryTheLine() throws IOException {
    write("card.peb", "[{% block inner %}default{% endblock %}]");
    write("e.peb", "{% embed 'card.peb' %}{% block inner %}E{% endblock %}{% endembed %}");
    assertThat(render("e.peb", Map.of())).isEqualTo("[E]");
    write("bad.peb", "\n{% embed '../card.peb' %}{% endembed %}");
    Problem p = failure("bad.peb", Map.of());
    assertThat(p.id()).isEqualTo("QCFG-4405");
    assertThat(p.location()).isEqualTo("config/templates/bad.peb:2");
  }

  @Test
  void symlinkLeadingOutsideTheRootIsRefused() throws IOException {
    Path outside = Files.writeString(base.resolve("outside.txt"), "OUTSIDE");
    Files.createSymbolicLink(root.resolve("link.peb"), outside);
    write("inc.peb", "{% include 'link.peb' %}");
    Problem p = failure("inc.peb", Map.of());
    assertThat(p.id()).isEqualTo("QCFG-4406");
    assertThat(p.reason()).contains("symbolic link");
    assertThat(failure("link.peb", Map.of()).id()).isEqualTo("QCFG-4406");
  }

  @Test
  void refusedDirectoryCannotBeIncluded() throws IOException {
    write("secrets/db.conf", "password = hunter2");
    write("inc.peb", "{% include 'secrets/db.conf' %}");
    TemplateSandbox layers =
        new TemplateSandbox(root, base, 1000, false, java.util.Set.of("secrets"));
    Problem p = failure(() -> layers.render("inc.peb", Map.of(), null));
    assertThat(p.id()).isEqualTo("QCFG-4416");
    assertThat(p.reason()).doesNotContain("hunter2");
  }

  @Test
  void injectionAttemptsFailAndExecuteNothing() throws IOException {
    Path marker = base.resolve("pwned");
    String exec = ".getRuntime().exec('touch " + marker + "')";
    Map<String, String> attempts =
        Map.of(
            "type.peb", "{{ (1).TYPE.forName('java.lang.Runtime')" + exec + " }}",
            "class.peb", "{{ x.CLASS }}",
            "getclass.peb", "{{ x.getClass().forName('java.lang.Runtime')" + exec + " }}",
            "bare.peb", "{{ x.class }}",
            "template.peb", "{{ template.engine }}",
            "map.peb", "{{ m.getClass() }}",
            "size.peb", "{{ l.size() }}",
            "context.peb", "{{ _context.getClass() }}");
    for (Map.Entry<String, String> attempt : attempts.entrySet()) {
      write(attempt.getKey(), attempt.getValue());
      Problem p =
          failure(attempt.getKey(), Map.of("x", "a string", "m", Map.of(), "l", List.of(1)));
      assertThat(p.id()).as(attempt.getKey()).isEqualTo("QCFG-4407");
      assertThat(p.location()).isEqualTo("config/templates/" + attempt.getKey() + ":1");
      assertThat(p.reason()).contains("is refused");
    }
    assertThat(marker).doesNotExist();
  }

  @Test
  void recursiveIncludeEndsInAClearError() throws IOException {
    write("a.peb", "a\n{% include 'b.peb' %}");
    write("b.peb", "b\n{% include 'a.peb' %}");
    Problem p = failure("a.peb", Map.of());
    assertThat(p.id()).isEqualTo("QCFG-4408");
    assertThat(p.reason()).contains("nest more than " + TemplateSandbox.MAX_NESTING + " levels");
    assertThat(p.location()).matches("config/templates/[ab]\\.peb:2");
  }

  @Test
  void recursiveExtendsEndsInAClearError() throws IOException {
    write("a.peb", "{% extends 'b.peb' %}");
    write("b.peb", "{% extends 'a.peb' %}");
    assertThat(failure("a.peb", Map.of()).id()).isEqualTo("QCFG-4408");
  }

  @Test
  void endlessMacroRecursionEndsInAClearError() throws IOException {
    write("m.peb", "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}");
    Problem p = failure("m.peb", Map.of());
    assertThat(p.id()).isEqualTo("QCFG-4408");
    assertThat(p.reason()).contains("recursion too deep");
  }

  @Test
  void hugeLoopHitsTheOutputBoundQuickly() throws IOException {
    write("big.peb", "{% for i in range(1, 100000000) %}line {{ i }}\n{% endfor %}");
    long start = System.nanoTime();
    Problem p = failure("big.peb", Map.of());
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
    assertThat(p.id()).isEqualTo("QCFG-4409");
    assertThat(p.reason()).contains("larger than " + TemplateSandbox.DEFAULT_MAX_OUTPUT_CHARS);
  }

  @Test
  void outputBoundCoversMacroBuffersAndIsConfigurable() throws IOException {
    TemplateSandbox small = new TemplateSandbox(root, base, 100, true, java.util.Set.of());
    write("ok.peb", "x".repeat(100));
    assertThat(small.render("ok.peb", Map.of(), null)).hasSize(100);
    write("over.peb", "x".repeat(101));
    assertThat(failure(() -> small.render("over.peb", Map.of(), null)).id()).isEqualTo("QCFG-4409");
    write(
        "macro.peb", "{% macro m() %}{% for i in 1..1000 %}xx{% endfor %}{% endmacro %}{{ m() }}");
    assertThat(failure(() -> small.render("macro.peb", Map.of(), null)).id())
        .isEqualTo("QCFG-4409");
  }

  @Test
  void loopsWithoutOutputStopAtTheRangeBudget() throws IOException {
    write(
        "spin.peb",
        "\n{% for i in 1..100000000 %}{% for j in 1..100000000 %}{% endfor %}{% endfor %}");
    Problem p = failure("spin.peb", Map.of());
    assertThat(p.id()).isEqualTo("QCFG-4410");
    assertThat(p.location()).isEqualTo("config/templates/spin.peb:2");
  }

  @Test
  void rangeIsInclusiveLazyAndStepped() throws IOException {
    write(
        "r.peb",
        "{{ range(1, 5, 2) | join(',') }}|{{ (3..1) | join(',') }}|{{ range(1, 0) | length }}");
    assertThat(render("r.peb", Map.of())).isEqualTo("1,3,5||0");
    write("r2.peb", "{% for i in range(5, 1, -2) %}{{ i }}{% endfor %}");
    assertThat(render("r2.peb", Map.of())).isEqualTo("531");
    write("zero.peb", "{{ range(1, 5, 0) }}");
    assertThat(failure("zero.peb", Map.of()).id()).isEqualTo("QCFG-4413");
  }

  @Test
  void secretIsRefusedWithoutPermissionAndReadWithIt() throws IOException {
    write("s.peb", "a\n{{ secret('db.password') }}");
    Problem p = failure("s.peb", Map.of());
    assertThat(p.id()).isEqualTo("QCFG-4411");
    assertThat(p.location()).isEqualTo("config/templates/s.peb:2");
    assertThat(p.reason()).contains("--allow-secrets");
    Function<String, String> lookup = path -> path.equals("db.password") ? "pw" : null;
    assertThat(sandbox.render("s.peb", Map.of(), lookup)).isEqualTo("a\npw");
    write("m.peb", "{{ secret('db.nope') }}");
    Problem missing = failure(() -> sandbox.render("m.peb", Map.of(), lookup));
    assertThat(missing.id()).isEqualTo("QCFG-4412");
    assertThat(missing.reason()).contains("'db.nope'");
  }

  @Test
  void i18nIsNotAvailable() throws IOException {
    write("i.peb", "{{ i18n('messages', 'x') }}");
    Problem p = failure("i.peb", Map.of());
    assertThat(p.id()).isEqualTo("QCFG-4413");
    assertThat(p.reason()).contains("i18n");
  }

  @Test
  void dataOfOtherTypesIsRefusedByTheCaller() {
    assertThatThrownBy(() -> render("x.peb", Map.of("x", new Object())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("java.lang.Object");
  }

  @Test
  void locationOutsideTheDisplayBaseIsAbsolute() throws IOException {
    TemplateSandbox elsewhere = new TemplateSandbox(root, base.resolve("unrelated"));
    write("u.peb", "{{ nope }}");
    Problem p = failure(() -> elsewhere.render("u.peb", Map.of(), null));
    assertThat(p.location()).isEqualTo(root.resolve("u.peb").toAbsolutePath() + ":1");
  }
}
