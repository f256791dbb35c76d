package io.qcfg.internal.layer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The defaults layer's view of the class path finds what the JDK's system class loader finds,
 * differentially: a JVM started with a class path of a directory, a jar and (through that jar's
 * {@code Class-Path} manifest) a second jar, each with a reference.conf, prints both lists.
 */
@Timeout(60)
class ClassPathViewTest {
  @TempDir Path tmp;

  /** Run in the forked JVM: the system loader's list, a line, the view's list. */
  public static final class Print {
    public static void main(String[] args) throws Exception {
      ClassLoader system = ClassLoader.getSystemClassLoader();
      for (URL u : Collections.list(system.getResources(args[0]))) {
        System.out.println("system " + u);
      }
      for (URL u : Collections.list(ClassPathView.of(system).getResources(args[0]))) {
        System.out.println("view " + u);
      }
    }
  }

  @Test
  void theSystemLoadersReferenceConfsInTheSameOrderWithTheSameUrls() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("classes dir"));
    Files.writeString(dir.resolve("reference.conf"), "a = 1\n");
    Path second = jar(tmp.resolve("second.jar"), null);
    Path first = jar(tmp.resolve("first.jar"), "second.jar");
    String own = Path.of("target/classes").toAbsolutePath() + File.pathSeparator
        + Path.of("target/test-classes").toAbsolutePath();
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", own + File.pathSeparator + dir + File.pathSeparator + "first.jar",
        Print.class.getName(), "reference.conf")
        .directory(tmp.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    List<String> system = out.lines().filter(l -> l.startsWith("system ")).map(l -> l.substring(7)).toList();
    List<String> view = out.lines().filter(l -> l.startsWith("view ")).map(l -> l.substring(5)).toList();
    assertThat(system).hasSize(3).anyMatch(u -> u.contains("second.jar!/reference.conf"));
    assertThat(view).containsExactlyElementsOf(system);
  }

  @Test
  void anotherLoaderIsUsedAsItIsAndTheViewIsMadeOnce() throws Exception {
    try (URLClassLoader other = new URLClassLoader(new URL[0])) {
      assertThat(ClassPathView.of(other)).isSameAs(other);
    }
    assertThat(ClassPathView.of(null)).isNull();
    ClassLoader system = ClassLoader.getSystemClassLoader();
    if (system.getClass().getName().equals("jdk.internal.loader.ClassLoaders$AppClassLoader")) {
      assertThat(ClassPathView.of(system)).isSameAs(ClassPathView.of(system)).isNotSameAs(system);
    }
  }

  private static Path jar(Path file, String classPath) throws Exception {
    Manifest m = new Manifest();
    m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    if (classPath != null) {
      m.getMainAttributes().put(Attributes.Name.CLASS_PATH, classPath);
    }
    try (OutputStream out = Files.newOutputStream(file);
        JarOutputStream jar = new JarOutputStream(out, m)) {
      jar.putNextEntry(new JarEntry("reference.conf"));
      jar.write(("from = " + file.getFileName() + "\n").getBytes(StandardCharsets.UTF_8));
    }
    return file;
  }
}
