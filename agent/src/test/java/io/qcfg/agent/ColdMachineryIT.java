package io.qcfg.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * JDK machinery that qcfg must not wake on a first start (issue 16): on this path every cold
 * subsystem costs wall time, as the JVM interprets it while JIT threads compete. The JVM's own
 * class-load log of a real start shows what was loaded.
 */
@Timeout(180)
class ColdMachineryIT {
  @TempDir Path tmp;

  /** The classes a start with a first bound field loaded, in load order. */
  private List<String> loadedClasses() throws Exception {
    return loadLog().stream()
        .map(l -> l.replaceFirst("^\\[[^]]*]\\[[^]]*]\\[[^]]*] ", "").split(" ", 2)[0])
        .toList();
  }

  private List<String> stderr = List.of();

  /** The JVM's class-load log of such a start, one line per class with its source. */
  private List<String> loadLog() throws Exception {
    Path dir = tmp.resolve("config");
    Files.createDirectories(dir.resolve("environments"));
    Files.writeString(dir.resolve("application.conf"), "s { int = 80, string = seven }\n");
    Path log = tmp.resolve("classes.txt");
    String options = "dir=" + dir + ",state=" + tmp.resolve("state")
        + ",env=development,jmx=false,watch=false";
    try (AppJvm app = AppJvm.start(options, List.of("-Xlog:class+load:file=" + log),
        "app.FirstUse")) {
      assertThat(app.awaitExit()).isZero();
      assertThat(app.stdout()).contains("value=seven");
      assertThat(String.join("\n", app.stderr())).contains("started: version 1");
      stderr = app.stderr();
    }
    return Files.readAllLines(log);
  }

  /**
   * The manifest's {@code Boot-Class-Path} puts qcfg.jar on the bootstrap class path before
   * premain, so the JVM defines qcfg's classes natively and unverified (issue 16); only at that
   * moment is it silent (an append later makes the JVM warn that class sharing is off).
   */
  @Test
  void qcfgsClassesComeFromTheBootstrapClassPathWithoutAWarning() throws Exception {
    List<String> qcfg = loadLog().stream()
        .filter(l -> l.contains("] io.qcfg.")
            && l.matches(".* source: (/|file:|jar:).*")) // not a lambda's "source: <its class>"
        .toList();
    assertThat(qcfg).isNotEmpty()
        .anyMatch(l -> l.contains("] io.qcfg.agent.QcfgAgent "))
        .anyMatch(l -> l.contains("] io.qcfg.internal.engine.Engine "));
    String jar = AppJvm.jar().toAbsolutePath().toString();
    // The system loader names a jar "file:/...", the bootstrap loader by its path alone.
    assertThat(qcfg).allMatch(l -> l.endsWith(" source: " + jar), "loaded from " + jar);
    assertThat(stderr).noneMatch(l -> l.contains("VM warning"));
  }

  @Test
  void bindingReadsTheAnnotationValuesTheAgentRecordedNotAReflectiveProxy() throws Exception {
    List<String> classes = loadedClasses();
    assertThat(classes).contains("app.FirstUse");
    assertThat(classes)
        .noneMatch(c -> c.startsWith("jdk.proxy") || c.startsWith("com.sun.proxy"))
        .doesNotContain("sun.reflect.annotation.AnnotationInvocationHandler",
            "java.lang.reflect.ProxyGenerator");
  }

  @Test
  void thePidForTheStateDirLockComesWithoutTheJdksProcessMachinery() throws Exception {
    assertThat(loadedClasses()).contains("io.qcfg.internal.history.ProcessId")
        .doesNotContain("java.lang.ProcessHandleImpl");
  }

  @Test
  void timestampsOfHistoryAuditAndLogAreWrittenWithoutTheJavaTimeFormatter() throws Exception {
    assertThat(loadedClasses())
        .contains("io.qcfg.internal.text.IsoTime")
        .doesNotContain("java.time.format.DateTimeFormatter",
            "java.time.format.DateTimeFormatterBuilder", "java.util.Formatter");
  }
}
