package io.qcfg.internal.template;

import static org.assertj.core.api.Assertions.assertThat;

import io.qcfg.QcfgException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

/**
 * Templates are untrusted input: whatever a template says, a render ends in text or in {@link
 * QcfgException.Invalid}, never in another exception, a hang or an escaped {@link
 * StackOverflowError}.
 */
class TemplateSandboxProperties {
  private static final List<String> FRAGMENTS =
      List.of(
          "{{ ",
          " }}",
          "{% ",
          " %}",
          "{%- ",
          " -%}",
          "{# ",
          " #}",
          "if ",
          "else",
          "endif",
          "for ",
          " in ",
          "endfor",
          "set ",
          "x",
          " = ",
          "range(1, 3)",
          "1..1000000",
          "include ",
          "'a.peb'",
          "'../a.peb'",
          "'/etc/passwd'",
          "'b.peb'",
          "\"",
          "'",
          ".",
          "(",
          ")",
          "[",
          "]",
          "|",
          "json",
          "default('d')",
          "length",
          "macro m()",
          "endmacro",
          "m()",
          "extends ",
          "block b",
          "endblock",
          "import ",
          "config",
          "config.db",
          "config.list[0]",
          "vars.A",
          "env",
          "secret('db.password')",
          ".getClass()",
          ".TYPE",
          "loop.index",
          " ~ ",
          " + ",
          " * ",
          "0",
          "-1",
          "\n",
          "text ",
          "is defined",
          "not ",
          "verbatim",
          "endverbatim",
          "_context");

  private Path root;
  private TemplateSandbox sandbox;

  @BeforeProperty
  void setUp() throws IOException {
    root = Files.createTempDirectory("qcfg-template-fuzz");
    Files.writeString(root.resolve("b.peb"), "{% include 'a.peb' %}");
    sandbox = new TemplateSandbox(root, root, 100_000, false, java.util.Set.of());
  }

  @AfterProperty
  void tearDown() throws IOException {
    try (var files = Files.walk(root)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Provide
  Arbitrary<String> templates() {
    return Arbitraries.of(FRAGMENTS).list().ofMaxSize(25).map(parts -> String.join("", parts));
  }

  @Property(tries = 300)
  void anyTemplateRendersOrFailsCleanly(@ForAll("templates") String template) throws IOException {
    Files.writeString(root.resolve("a.peb"), template);
    Map<String, Object> data =
        Map.of(
            "env", "test",
            "vars", Map.of("A", "1"),
            "config", Map.of("db", Map.of("port", 1), "list", List.of("x")));
    try {
      String out = sandbox.render("a.peb", data, null);
      assertThat(out.length()).isLessThanOrEqualTo(100_000);
    } catch (QcfgException.Invalid e) {
      assertThat(e.problems()).hasSize(1);
      assertThat(e.problems().get(0).id()).matches("QCFG-44\\d\\d");
      assertThat(e.problems().get(0).location()).startsWith("a.peb").doesNotContain("null");
    }
  }
}
