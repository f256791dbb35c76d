package io.qcfg.internal;

import io.qcfg.internal.layer.LayerStack;
import static org.assertj.core.api.Assertions.assertThat;

import io.qcfg.QcfgException;
import io.qcfg.internal.layer.Environment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

/**
 * Property tests over parsers of untrusted input: any layer file content and any agent option
 * string end in success or a {@link QcfgException}, never another exception or a hang, and an
 * error never repeats a planted secret.
 */
class UntrustedInputPropertiesTest {
  Path dir;
  final Pipeline pipeline = new Pipeline(QcfgOptions.defaults(), null, null);

  @BeforeProperty
  void createDir() throws IOException {
    dir = Files.createTempDirectory("qcfg-fuzz");
  }

  @AfterProperty
  void deleteDir() throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Provide
  Arbitrary<String> hoconish() {
    Arbitrary<String> tokens =
        Arbitraries.of(
            "a", "b.c", "=", ":", "{", "}", "[", "]", ",", "\n", " ", "\"", "\"\"\"", "${a}",
            "${?b}", "include \"x\"", "include url(\"http://x\")", "#", "//", "1", "30s", "true",
            "null", "+=", "\\", "é", "\u0000", "$", "ENC[v1,k,AAAA]");
    return tokens.list().ofMaxSize(60).map(l -> String.join("", l));
  }

  @Property(tries = 400)
  void anyLayerContentEndsInSuccessOrQcfgException(@ForAll("hoconish") String content)
      throws IOException {
    Files.writeString(dir.resolve("application.conf"), content + "\nsecret.password = \"canary-QZ\"\n");
    try {
      pipeline.build(
          new LayerStack.Request(dir, new Environment("development", "option"), Map.of(),
              new Properties(), Map.of(), null, null));
    } catch (QcfgException e) {
      assertThat(e.getMessage()).doesNotContain("canary-QZ");
    }
  }

  @Property(tries = 300)
  void anyBytesEndInSuccessOrQcfgException(@ForAll byte[] bytes) throws IOException {
    Files.write(dir.resolve("application.conf"), bytes);
    try {
      pipeline.build(
          new LayerStack.Request(dir, new Environment("development", "option"), Map.of(),
              new Properties(), Map.of(), null, null));
    } catch (QcfgException e) {
      assertThat(e.id()).startsWith("QCFG-");
    }
  }

  @Property(tries = 1000)
  void anyAgentArgumentEndsInOptionsOrBadOption(@ForAll String args) {
    try {
      QcfgOptions.resolve(QcfgOptions.parseAgentArgs(args), new Properties(), Map.of());
    } catch (QcfgException.BadOption e) {
      assertThat(e.getMessage()).contains("QCFG-");
    }
  }

  @Property(tries = 500)
  void anyOptionValueEndsInOptionsOrBadOption(
      @ForAll("optionNames") String name, @ForAll String value) {
    try {
      QcfgOptions.resolve(Map.of(name, value), new Properties(), Map.of());
    } catch (QcfgException.BadOption e) {
      assertThat(e.getMessage()).contains(name);
    }
  }

  @Provide
  Arbitrary<String> optionNames() {
    return Arbitraries.of(QcfgOptions.NAMES);
  }

  @Property(tries = 200)
  void utf8CheckNeverThrowsOtherThanQcfg(@ForAll String text) throws IOException {
    Files.write(dir.resolve("application.conf"), ("k = \"" + text + "\"").getBytes(StandardCharsets.UTF_16));
    try {
      pipeline.build(
          new LayerStack.Request(dir, new Environment("development", "option"), Map.of(),
              new Properties(), Map.of(), null, null));
    } catch (QcfgException e) {
      assertThat(e.id()).startsWith("QCFG-");
    }
  }
}
