package io.qcfg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The API jar on its own (this module's test class path has no qcfg implementation): every call
 * that needs qcfg says how to get it, and nothing else breaks.
 */
class WithoutImplementationTest {
  @Test
  void callsThatNeedQcfgSayHowToGetIt() {
    assertThat(Qcfg.isRunning()).isFalse();
    assertThatThrownBy(Qcfg::current)
        .isInstanceOf(QcfgException.NotStarted.class)
        .hasMessageContaining("-javaagent:qcfg.jar")
        .hasMessageContaining("io.qcfg:qcfg-runtime")
        .hasMessageContaining("QCFG-0002");
    assertThatThrownBy(() -> Qcfg.start(Map.of("dir", "config")))
        .isInstanceOf(QcfgException.NotStarted.class);
    assertThatThrownBy(() -> Qcfg.bind(new Object())).isInstanceOf(QcfgException.NotStarted.class);
    Qcfg.stop(); // nothing to stop: no exception
  }

  @Test
  void problemsWorkWithoutAnImplementation() {
    Problem p = new Problem("QCFG-1204", "config/application.conf:3", "http.port", "too large");
    assertThat(p).hasToString("config/application.conf:3: http.port: too large [QCFG-1204]");
  }

  /** No class of the API names a type outside the JDK and io.qcfg (the constant pools say so). */
  @Test
  void theApiReferencesOnlyJdkAndItsOwnTypes() throws Exception {
    java.nio.file.Path classes = java.nio.file.Path.of("target", "classes");
    java.util.List<String> offenders = new java.util.ArrayList<>();
    try (var files = java.nio.file.Files.walk(classes)) {
      for (java.nio.file.Path f : files.filter(x -> x.toString().endsWith(".class")).toList()) {
        String text = new String(java.nio.file.Files.readAllBytes(f),
            java.nio.charset.StandardCharsets.ISO_8859_1);
        java.util.regex.Matcher m =
            java.util.regex.Pattern.compile("L([a-z][a-z0-9_]*/[A-Za-z0-9_/$]+);").matcher(text);
        while (m.find()) {
          String type = m.group(1);
          if (!type.startsWith("java/") && !(type.startsWith("io/qcfg/")
              && !type.startsWith("io/qcfg/internal/"))) {
            offenders.add(f.getFileName() + " -> " + type);
          }
        }
      }
    }
    assertThat(offenders).isEmpty();
  }
}
