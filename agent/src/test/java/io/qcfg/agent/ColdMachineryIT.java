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
    return loadedClasses(null);
  }

  /** The same, with {@code schema} as {@code schema.json} (none when null). */
  private List<String> loadedClasses(String schema) throws Exception {
    Path dir = tmp.resolve("config");
    Files.createDirectories(dir.resolve("environments"));
    Files.writeString(dir.resolve("application.conf"), "s { int = 80, string = seven }\n");
    if (schema != null) {
      Files.writeString(dir.resolve("schema.json"), schema);
    }
    Path log = tmp.resolve("classes.txt");
    String options = "dir=" + dir + ",state=" + tmp.resolve("state")
        + ",env=development,jmx=false,watch=false";
    try (AppJvm app = AppJvm.start(options, List.of("-Xlog:class+load:file=" + log),
        "app.FirstUse")) {
      assertThat(app.awaitExit()).isZero();
      assertThat(app.stdout()).contains("value=seven");
      assertThat(String.join("\n", app.stderr())).contains("started: version 1");
    }
    return Files.readAllLines(log).stream()
        .map(l -> l.replaceFirst("^\\[[^]]*]\\[[^]]*]\\[[^]]*] ", "").split(" ", 2)[0])
        .toList();
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

  /**
   * A schema of the keywords configuration schemas use passes a valid first snapshot through the
   * quick check (issue 16): no everit schema object, no everit validation, no everit loader; yet
   * it validates: a value against its {@code pattern} would stop the start.
   */
  @Test
  void aPlainSchemaPassesAValidTreeWithoutEverit() throws Exception {
    List<String> classes = loadedClasses("{\"$schema\":"
        + " \"http://json-schema.org/draft-07/schema#\", \"type\": \"object\","
        + " \"required\": [\"s\"], \"properties\": {\"s\": {\"type\":"
        + " \"object\", \"additionalProperties\": false, \"properties\": {\"int\": {\"type\":"
        + " \"integer\", \"minimum\": 1}, \"string\": {\"type\": \"string\","
        + " \"pattern\": \"^[a-z]+$\"}}}}}");
    assertThat(classes).anyMatch(c -> c.endsWith("internal.validate.SchemaCheck"))
        .noneMatch(c -> c.endsWith("json.schema.ObjectSchema")
            || c.endsWith("json.schema.ValidatingVisitor")
            || c.endsWith("json.schema.loader.SchemaLoader")
            || c.endsWith("json.schema.loader.LoadingState"));
  }

  /**
   * A schema the quick check declines ({@code multipleOf}) is still built without everit's loader
   * (its JSON wrappers, extractors and their lambdas: 160 ms of a 1,000-setting first start), and
   * everit validates the first snapshot.
   */
  @Test
  void aSchemaTheCheckDeclinesIsBuiltWithoutEveritsLoader() throws Exception {
    List<String> classes = loadedClasses("{\"type\": \"object\", \"properties\": {\"s\":"
        + " {\"type\": \"object\", \"properties\": {\"int\": {\"type\": \"integer\","
        + " \"multipleOf\": 5}, \"string\": {\"type\": \"string\","
        + " \"pattern\": \"^[a-z]+$\"}}}}}");
    assertThat(classes).anyMatch(c -> c.endsWith("json.schema.ObjectSchema"))
        .anyMatch(c -> c.endsWith("json.schema.ValidatingVisitor"))
        .noneMatch(c -> c.endsWith("json.schema.loader.SchemaLoader")
            || c.endsWith("json.schema.loader.LoadingState"));
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

  /**
   * The log line's offset comes from {@code java.util.TimeZone}: {@code ZoneId}'s rules load
   * {@code ZoneRulesProvider}, whose {@code ServiceLoader} opened every jar of the class path
   * (qcfg.jar's 7 MB among them) at the first log line, right after the publish and before an
   * exit could end the JVM.
   */
  @Test
  void theFirstLogLinesTimeZoneLoadsNoZoneRulesProvider() throws Exception {
    assertThat(loadedClasses()).contains("java.util.TimeZone")
        .doesNotContain("java.time.zone.ZoneRulesProvider");
  }

  /**
   * qcfg's own build, part of the fast start's fingerprint, is the jar the {@code -javaagent}
   * option names: classes of the bootstrap class path have no code source to ask for, and asking
   * a class for its protection domain initialises the JDK's security constants (a dozen
   * permissions, some of them network ones) on the way to the publish.
   */
  @Test
  void qcfgsOwnBuildIsFoundWithoutAskingForAProtectionDomain() throws Exception {
    assertThat(loadedClasses()).contains("io.qcfg.internal.engine.OwnJar")
        .doesNotContain("sun.security.util.SecurityConstants");
  }
}
