package io.qcfg.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AnnotationScanTest {
  static byte[] classFile(Class<?> c) throws IOException {
    try (InputStream in = c.getResourceAsStream("/" + c.getName().replace('.', '/') + ".class")) {
      return in.readAllBytes();
    }
  }

  @Test
  void findsEitherAnnotationInRealClassFiles() throws IOException {
    assertThat(AnnotationScan.mentionsQcfgAnnotation(classFile(app.Settings.class))).isTrue();
    assertThat(AnnotationScan.mentionsQcfgAnnotation(classFile(app.Tiny.class))).isTrue();
    assertThat(AnnotationScan.mentionsQcfgAnnotation(classFile(ClassRewriterTest.OnlyListener.class)))
        .isTrue();
  }

  @Test
  void skipsClassesThatOnlyUseOtherQcfgTypesOrNone() throws IOException {
    // app.Main calls Qcfg and Engine but carries no annotation.
    assertThat(AnnotationScan.mentionsQcfgAnnotation(classFile(app.Main.class))).isFalse();
    assertThat(AnnotationScan.mentionsQcfgAnnotation(classFile(app.Hello.class))).isFalse();
    assertThat(AnnotationScan.mentionsQcfgAnnotation(classFile(String.class))).isFalse();
  }

  /** Mentions the descriptor inside a longer string, which is not an annotation. */
  static class MentionsInAString {
    static final String TEXT = "see Lio/qcfg/ConfigValue; in the docs";
  }

  @Test
  void onlyAWholeConstantPoolEntryCounts() throws IOException {
    byte[] b = classFile(MentionsInAString.class);
    assertThat(new String(b, StandardCharsets.ISO_8859_1)).contains("Lio/qcfg/ConfigValue;");
    assertThat(AnnotationScan.mentionsQcfgAnnotation(b)).isFalse();
  }

  @Test
  void truncatedOrGarbageInputIsFalseNeverAnException() throws IOException {
    byte[] real = classFile(app.Settings.class);
    for (int len = 0; len < real.length; len++) {
      byte[] cut = java.util.Arrays.copyOf(real, len);
      AnnotationScan.mentionsQcfgAnnotation(cut); // any answer, but no exception
    }
    assertThat(AnnotationScan.mentionsQcfgAnnotation(java.util.Arrays.copyOf(real, 12))).isFalse();
    java.util.Random random = new java.util.Random(42);
    for (int i = 0; i < 2000; i++) {
      byte[] g = new byte[random.nextInt(300)];
      random.nextBytes(g);
      if (g.length > 2) {
        g[0] = (byte) 0xCA;
        g[1] = (byte) 0xFE;
      }
      AnnotationScan.mentionsQcfgAnnotation(g);
    }
    byte[] text = "Lio/qcfg/ConfigValue;".getBytes(StandardCharsets.US_ASCII);
    assertThat(AnnotationScan.mentionsQcfgAnnotation(text)).isFalse(); // not a class file
  }
}
