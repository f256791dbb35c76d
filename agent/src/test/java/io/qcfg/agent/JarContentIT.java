package io.qcfg.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/** qcfg.jar must not put any class outside io.qcfg on the host application's class path. */
class JarContentIT {
  @Test
  void everyClassIsUnderIoQcfg() throws Exception {
    List<String> outside = new ArrayList<>();
    int classes = 0;
    long unpacked = 0;
    try (JarFile jar = new JarFile(AppJvm.jar().toFile())) {
      for (JarEntry e : java.util.Collections.list(jar.entries())) {
        String name = e.getName();
        if (e.isDirectory() || name.startsWith("META-INF/") && !name.endsWith(".class")) {
          continue;
        }
        if (name.endsWith(".class")) {
          classes++;
        }
        unpacked += e.getSize();
        // Resources may live elsewhere only if they belong to a relocated library's own data.
        if (!name.startsWith("io/qcfg/")) {
          outside.add(name);
        }
      }
    }
    assertThat(classes).isGreaterThan(1000);
    assertThat(outside).isEmpty();
    // minimizeJar keeps only the part of Byte Buddy that qcfg reaches (its repackaged ASM): the
    // jar was 12.0 MB before, 7.5 MB after, its class files 16.1 MB unpacked. Counted unpacked,
    // because the classes a start loads are stored, not deflated (below): a jar whose entries
    // unpack to more than 18 MB lost the minimisation.
    assertThat(unpacked).isLessThan(18_000_000L);
  }

  /**
   * The class files a start loads are stored, so that the JVM reads them without inflating each
   * (issue 16: about 10 ms of CPU per start); the libraries only the CLI or templates load stay
   * deflated.
   */
  @Test
  void theClassesAStartLoadsAreStoredAndTheOthersDeflated() throws Exception {
    try (JarFile jar = new JarFile(AppJvm.jar().toFile())) {
      for (String stored : List.of("io/qcfg/agent/QcfgAgent.class",
          "io/qcfg/internal/engine/Engine.class",
          "io/qcfg/shaded/typesafe/config/impl/SimpleConfigObject.class",
          "io/qcfg/shaded/bytebuddy/jar/asm/ClassReader.class",
          "io/qcfg/shaded/re2j/RE2.class", "io/qcfg/shaded/json/JSONObject.class")) {
        assertThat(jar.getJarEntry(stored).getMethod()).as(stored).isEqualTo(JarEntry.STORED);
      }
      for (String deflated : List.of("io/qcfg/shaded/picocli/CommandLine.class",
          "io/qcfg/shaded/pebble/pebble/PebbleEngine.class", "META-INF/MANIFEST.MF")) {
        assertThat(jar.getJarEntry(deflated).getMethod()).as(deflated)
            .isEqualTo(JarEntry.DEFLATED);
      }
    }
  }

  /** Apache-2.0 asks that the licence and the bundled libraries' notices travel with the jar. */
  @Test
  void theJarCarriesTheLicenceAndTheNoticeOfEveryBundledLibrary() throws Exception {
    try (JarFile jar = new JarFile(AppJvm.jar().toFile())) {
      String licence = new String(
          jar.getInputStream(jar.getEntry("META-INF/LICENSE")).readAllBytes(),
          java.nio.charset.StandardCharsets.UTF_8);
      String notice = new String(
          jar.getInputStream(jar.getEntry("META-INF/NOTICE")).readAllBytes(),
          java.nio.charset.StandardCharsets.UTF_8);
      assertThat(licence).contains("Apache License", "Version 2.0, January 2004");
      java.nio.file.Path repoNotice = java.nio.file.Path.of("..", "NOTICE");
      assertThat(notice).isEqualTo(java.nio.file.Files.readString(repoNotice));
      // Every relocated library root has a line in the NOTICE.
      java.util.Map<String, String> names = java.util.Map.ofEntries(
          java.util.Map.entry("bytebuddy", "Byte Buddy"), java.util.Map.entry("typesafe", "Typesafe Config"),
          java.util.Map.entry("everit", "everit-json-schema"), java.util.Map.entry("json", "JSON-java"),
          java.util.Map.entry("jackson", "Jackson"), java.util.Map.entry("caffeine", "Caffeine"),
          java.util.Map.entry("pebble", "Pebble"), java.util.Map.entry("unbescape", "unbescape"),
          java.util.Map.entry("slf4j", "SLF4J"), java.util.Map.entry("picocli", "picocli"),
          java.util.Map.entry("re2j", "RE2/J"), java.util.Map.entry("handy", "Handy URI Templates"),
          java.util.Map.entry("commons", "Apache Commons"), java.util.Map.entry("joda", "Joda-Time"),
          java.util.Map.entry("jspecify", "JSpecify"), java.util.Map.entry("errorprone", "Error Prone"),
          java.util.Map.entry("checkerframework", "Checker Framework"));
      java.util.Set<String> roots = new java.util.TreeSet<>();
      for (JarEntry e : java.util.Collections.list(jar.entries())) {
        String n = e.getName();
        if (n.startsWith("io/qcfg/shaded/") && n.endsWith(".class")) {
          roots.add(n.substring("io/qcfg/shaded/".length(), n.indexOf('/', "io/qcfg/shaded/".length())));
        }
      }
      assertThat(roots).isNotEmpty();
      for (String root : roots) {
        assertThat(names).as("a NOTICE name for io.qcfg.shaded.%s", root).containsKey(root);
        assertThat(notice).as("NOTICE lists io.qcfg.shaded.%s", root).contains(names.get(root));
      }
    }
  }

  @Test
  void theManifestMakesItAnAgent() throws Exception {
    try (JarFile jar = new JarFile(AppJvm.jar().toFile())) {
      Attributes a = jar.getManifest().getMainAttributes();
      assertThat(a.getValue("Premain-Class")).isEqualTo("io.qcfg.agent.QcfgAgent");
      assertThat(a.getValue("Agent-Class")).isEqualTo("io.qcfg.agent.QcfgAgent");
      assertThat(a.getValue("Can-Retransform-Classes")).isEqualTo("true");
      // The jar itself, by its file name: see BootClassPathIT.
      assertThat(a.getValue("Boot-Class-Path")).isEqualTo(AppJvm.jar().getFileName().toString());
      assertThat(a.getValue("Multi-Release")).isNull();
    }
  }
}
