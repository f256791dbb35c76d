package io.qcfg.internal.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qcfg.QcfgException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Issue 13 item 2: includes are Typesafe's, inside qcfg's walls; issue 15 item 1: watched. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IncludeTest {
  @TempDir Path tmp;

  Path dir() throws Exception {
    return Files.createDirectories(tmp.resolve("config"));
  }

  void write(String name, String text) throws Exception {
    Path p = dir().resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
  }

  final LayerStack stack = new LayerStack(new LayerFileReader(Limits.DEFAULT), null);

  LoadedConfig load(ClassLoader defaults) throws Exception {
    return stack.load(new LayerStack.Request(dir(), new Environment("development", "test"),
        Map.of(), new Properties(), Map.of(), null, defaults));
  }

  @Test
  void extensionlessIncludeMergesConfJsonAndProperties() throws Exception {
    write("application.conf", "include \"x\"\n");
    write("x.conf", "a = conf\nonly-conf = 1\n");
    write("x.json", "{\"a\": \"json\", \"b\": \"json\", \"only-json\": 2}");
    write("x.properties", "a=props\nb=props\nc=props\n");
    LoadedConfig l = load(null);
    assertThat(l.config().getString("a")).isEqualTo("conf");
    assertThat(l.config().getString("b")).isEqualTo("json");
    assertThat(l.config().getString("c")).isEqualTo("props");
    assertThat(l.config().getInt("only-json")).isEqualTo(2);
    // every included file is part of the loaded file list (watched) and keeps its layer
    assertThat(l.files()).extracting(p -> p.getFileName().toString())
        .contains("x.conf", "x.json", "x.properties");
    assertThat(l.origin("a").layer()).isEqualTo("base");
  }

  @Test
  void requiredIncludeMustExist() throws Exception {
    write("application.conf", "a = 1\ninclude required(\"missing\")\n");
    assertThatThrownBy(() -> load(null)).isInstanceOfSatisfying(QcfgException.Invalid.class, e -> {
      assertThat(e.problems().get(0).id()).isEqualTo("QCFG-1007");
      assertThat(e.problems().get(0).location()).endsWith("application.conf:2");
      assertThat(e.getMessage()).contains("required").contains("not found");
    });
  }

  @Test
  void plainIncludeOfAMissingFileIsEmpty() throws Exception {
    write("application.conf", "a = 1\ninclude \"missing\"\n");
    assertThat(load(null).config().getInt("a")).isEqualTo(1);
  }

  @Test
  void urlsAreRefused() throws Exception {
    write("application.conf", "include \"http://example.com/x.conf\"\n");
    assertThatThrownBy(() -> load(null)).hasMessageContaining("URL").hasMessageContaining("QCFG-1007");
    write("application.conf", "include url(\"http://example.com/x.conf\")\n");
    assertThatThrownBy(() -> load(null)).hasMessageContaining("URL");
  }

  @Test
  void filesCannotEscapeTheDirectory() throws Exception {
    Files.writeString(tmp.resolve("outside.conf"), "leak = 1\n");
    write("application.conf", "include \"../outside\"\n");
    assertThatThrownBy(() -> load(null)).hasMessageContaining("leaves the configuration directory");
    write("application.conf", "include file(\"" + tmp.resolve("outside.conf") + "\")\n");
    assertThatThrownBy(() -> load(null)).hasMessageContaining("leaves the configuration directory");
    write("application.conf", "include classpath(\"x.conf\")\n");
    assertThatThrownBy(() -> load(null)).hasMessageContaining("refused");
  }

  @Test
  void nestedIncludesAreRelativeToTheIncludingFile() throws Exception {
    write("application.conf", "include \"sub/a\"\n");
    write("sub/a.conf", "include \"b\"\nfrom-a = 1\n");
    write("sub/b.conf", "from-b = 2\n");
    LoadedConfig l = load(null);
    assertThat(l.config().getInt("from-b")).isEqualTo(2);
  }

  @Test
  void anIncludeCycleIsRefused() throws Exception {
    write("application.conf", "include \"a\"\n");
    write("a.conf", "include \"application\"\nx = 1\n");
    assertThatThrownBy(() -> load(null)).hasMessageContaining("nested more than 16");
  }

  @Test
  void editsOfAnIncludedFileAreSeenThroughTheParseCache() throws Exception {
    write("application.conf", "include \"extra.conf\"\n");
    write("extra.conf", "v = 1\n");
    assertThat(load(null).config().getInt("v")).isEqualTo(1);
    write("extra.conf", "v = 2\n");
    assertThat(load(null).config().getInt("v")).isEqualTo(2);
    write("application.conf", "include \"extra2\"\n");
    assertThat(load(null).config().hasPath("v")).isFalse();
    write("extra2.conf", "v = 3\n"); // an include that appears
    assertThat(load(null).config().getInt("v")).isEqualTo(3);
  }

  /** Pekko's pekko-actor: reference.conf says include "version", version.conf beside it. */
  @Test
  void referenceConfInAJarIncludesItsSiblingResource() throws Exception {
    write("application.conf", "app = 1\n");
    Path jar = jar(tmp.resolve("lib.jar"), Map.of(
        "reference.conf", "lib { name = lib }\ninclude \"version\"\n",
        "version.conf", "lib.version = \"1.2.3\"\n"));
    try (URLClassLoader cl = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
      LoadedConfig l = load(cl);
      assertThat(l.config().getString("lib.version")).isEqualTo("1.2.3");
      assertThat(l.origin("lib.version").layer()).isEqualTo("defaults");
    }
  }

  @Test
  void aProblemInAThirdPartyReferenceConfNamesTheJarAndLine() throws Exception {
    write("application.conf", "app = 1\n");
    Path jar = jar(tmp.resolve("bad.jar"), Map.of("reference.conf", "a = 1\nb = [\n"));
    try (URLClassLoader cl = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
      assertThatThrownBy(() -> load(cl)).isInstanceOfSatisfying(QcfgException.Invalid.class, e -> {
        assertThat(e.problems().get(0).id()).isEqualTo("QCFG-1018");
        assertThat(e.problems().get(0).location()).contains("bad.jar").contains("reference.conf:");
      });
    }
  }

  static Path jar(Path file, Map<String, String> entries) throws Exception {
    try (OutputStream out = Files.newOutputStream(file);
        JarOutputStream jar = new JarOutputStream(out)) {
      for (var e : entries.entrySet()) {
        jar.putNextEntry(new JarEntry(e.getKey()));
        jar.write(e.getValue().getBytes(StandardCharsets.UTF_8));
        jar.closeEntry();
      }
    }
    return file;
  }
}
