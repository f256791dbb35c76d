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
    // app.Main calls Qcfg and QcfgRuntime but carries no annotation.
    assertThat(AnnotationScan.mentionsQcfgAnnotation(classFile(app.Main.class))).isFalse();
    assertThat(AnnotationScan.mentionsQcfgAnnotation(classFile(app.Hello.class))).isFalse();
    assertThat(AnnotationScan.mentionsQcfgAnnotation(classFile(String.class))).isFalse();
  }

  @Test
  void handlesTruncatedAndTinyInputs() {
    byte[] d = "xxLio/qcfg/ConfigValue;".getBytes(StandardCharsets.US_ASCII);
    assertThat(AnnotationScan.mentionsQcfgAnnotation(d)).isTrue();
    byte[] cut = "xxLio/qcfg/ConfigValu".getBytes(StandardCharsets.US_ASCII);
    assertThat(AnnotationScan.mentionsQcfgAnnotation(cut)).isFalse();
    assertThat(AnnotationScan.mentionsQcfgAnnotation(new byte[0])).isFalse();
    byte[] other = "Lio/qcfg/OnConfigChange;".getBytes(StandardCharsets.US_ASCII);
    assertThat(AnnotationScan.mentionsQcfgAnnotation(other)).isTrue();
    byte[] near = "Lio/qcfg/ConfigValues;Lio/qcfg/Qcfg;".getBytes(StandardCharsets.US_ASCII);
    assertThat(AnnotationScan.mentionsQcfgAnnotation(near)).isFalse();
  }
}
