package io.qcfg.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * qcfg.jar's manifest puts the jar on the bootstrap class path ({@code Boot-Class-Path:
 * qcfg.jar}), so the JVM defines qcfg's classes natively and unverified (issue 16). The JVM reads
 * that attribute before premain, which keeps it silent: an append later makes it warn that class
 * sharing is off. The attribute can only name the jar by its file name, so a renamed jar runs
 * from the system class path, as before.
 */
@Timeout(180)
class BootClassPathIT {
  @TempDir Path tmp;
  private String options;

  @BeforeEach
  void config() throws Exception {
    options = AppJvm.oneFileConfig(tmp, "s { int = 80, string = seven }\n", "jmx=false,watch=false");
  }

  /** qcfg's class-load lines with a jar source (a lambda's source is its class instead). */
  private static List<String> qcfgClasses(Path log) throws Exception {
    return Files.readAllLines(log).stream()
        .filter(l -> l.contains("] io.qcfg.") && l.matches(".* source: (/|file:|jar:).*"))
        .toList();
  }

  @Test
  void qcfgsClassesComeFromTheBootstrapClassPathAndTheJvmSaysNothing() throws Exception {
    Path log = tmp.resolve("classes.txt");
    try (AppJvm app = AppJvm.start(options, List.of("-Xlog:class+load:file=" + log),
        "app.FirstUse")) {
      assertThat(app.awaitExit()).isZero();
      assertThat(app.stdout()).contains("value=seven");
      assertThat(app.stderr()).noneMatch(l -> l.contains("VM warning"));
    }
    List<String> qcfg = qcfgClasses(log);
    assertThat(qcfg)
        .anyMatch(l -> l.contains("] io.qcfg.agent.QcfgAgent "))
        .anyMatch(l -> l.contains("] io.qcfg.internal.engine.Engine "));
    // The bootstrap loader names its source by path, the system loader as "file:/...".
    String jar = AppJvm.jar().toAbsolutePath().toString();
    assertThat(qcfg).allMatch(l -> l.endsWith(" source: " + jar));
  }

  @Test
  void aRenamedJarRunsFromTheSystemClassPath() throws Exception {
    Path renamed = Files.copy(AppJvm.jar(), tmp.resolve("qcfg-renamed.jar"));
    Path log = tmp.resolve("classes.txt");
    List<String> jvm = new ArrayList<>(List.of("-Xlog:class+load:file=" + log,
        "-javaagent:" + renamed + "=" + options));
    try (AppJvm app = AppJvm.start(null, jvm, "app.FirstUse")) {
      assertThat(app.awaitExit()).isZero();
      assertThat(app.stdout()).contains("value=seven");
      assertThat(app.stderr()).noneMatch(l -> l.contains("VM warning"));
    }
    assertThat(qcfgClasses(log)).isNotEmpty()
        .allMatch(l -> l.contains(" source: file:") && l.contains("qcfg-renamed.jar"));
  }

  /**
   * From the bootstrap class path qcfg has no code source: its own build, part of the fast
   * start's fingerprint, is the jar the {@code -javaagent} option names, here given relative to
   * the working directory. Another jar of that name (rebuilt, upgraded) defeats the fast path.
   */
  @Test
  void aRebuiltQcfgJarDefeatsTheFastPath() throws Exception {
    Path agent = Files.createDirectories(tmp.resolve("agent"));
    Path jar = Files.copy(AppJvm.jar(), agent.resolve("qcfg.jar"));
    List<String> jvm = List.of("-javaagent:agent/qcfg.jar=" + options + ",trace=startup");
    for (String expected : new String[] {"fast path: not taken: no fingerprint",
        "fast path: inputs unchanged"}) {
      try (AppJvm app = AppJvm.startIn(tmp, null, jvm, "app.FirstUse")) {
        assertThat(app.awaitExit()).isZero();
        assertThat(String.join("\n", app.stderr())).contains(expected);
      }
    }
    Files.setLastModifiedTime(jar, java.nio.file.attribute.FileTime.fromMillis(
        Files.getLastModifiedTime(jar).toMillis() - 60_000));
    try (AppJvm app = AppJvm.startIn(tmp, null, jvm, "app.FirstUse")) {
      assertThat(app.awaitExit()).isZero();
      assertThat(app.stdout()).contains("value=seven");
      assertThat(String.join("\n", app.stderr()))
          .contains("fast path: not taken: the input 'qcfg version' changed");
    }
  }

  @Test
  void aClassOfALoaderThatDoesNotDelegateToTheSystemLoaderIsBoundToo() throws Exception {
    try (AppJvm app = AppJvm.start(options, List.of(), "app.IsolatedLoaderMain")) {
      assertThat(app.awaitExit()).isZero();
      assertThat(app.stdout()).contains("system=seven isolated=seven loaders-differ=true");
      assertThat(String.join("\n", app.stderr())).doesNotContain("QCFG-5012");
    }
  }
}
