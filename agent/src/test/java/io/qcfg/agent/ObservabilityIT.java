package io.qcfg.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The log option and the Micrometer binder, in forked JVMs under qcfg.jar. */
@Timeout(180)
class ObservabilityIT {
  @TempDir Path tmp;

  private String options() throws IOException {
    Files.createDirectories(tmp.resolve("config"));
    Files.writeString(tmp.resolve("config/application.conf"), "a = 1\n");
    return "dir=" + tmp.resolve("config") + ",state=" + tmp.resolve("state") + ",jmx=false";
  }

  private void edit(String text) throws IOException {
    Files.writeString(tmp.resolve("config/application.conf"), text);
  }

  @Test
  void systemLogReachesTheLogManagerTheApplicationInstallsInMain() throws Exception {
    try (AppJvm app = AppJvm.start(options() + ",log=system", List.of(), "app.JulManagerMain")) {
      app.awaitOut("READY");
      // qcfg did not start JUL in premain: the application still gets its own LogManager.
      assertThat(app.stdout()).contains("MANAGER=app.AppLogManager");
      // Start-up lines went to stderr in qcfg's text format.
      assertThat(app.awaitErr("started: version 1")).contains(" [qcfg] started: version 1");
      edit("a = 2\n");
      String line = app.awaitOut("JUL INFO io.qcfg applied version 2 (file-change");
      assertThat(line).endsWith("on qcfg-applier");
      assertThat(app.stderr()).noneMatch(l -> l.contains("[qcfg] applied version 2"));
    }
  }

  @Test
  void systemLogAsksTheApplicationsLoggerFinderOnlyFromAQcfgThreadAfterStartUp() throws Exception {
    Path services = tmp.resolve("bridge/META-INF/services");
    Files.createDirectories(services);
    Files.writeString(services.resolve("java.lang.System$LoggerFinder"),
        "app.RecordingLoggerFinder\n");
    try (AppJvm app = AppJvm.start(options() + ",log=system", List.of(),
        List.of(tmp.resolve("bridge")), "app.JulManagerMain")) {
      app.awaitOut("READY");
      app.awaitErr("started: version 1");
      assertThat(app.stdout()).noneMatch(l -> l.startsWith("FINDER io.qcfg "));
      edit("a = 2\n");
      app.awaitOut("BRIDGE INFO io.qcfg applied version 2 (file-change");
      // Every logger anyone in qcfg.jar asked for (qcfg's own, and the shaded libraries'), was
      // asked for on a qcfg thread: none from premain, the transformer or the application.
      assertThat(app.stdout()).filteredOn(l -> l.startsWith("FINDER io.qcfg"))
          .isNotEmpty().allMatch(l -> l.contains(" on qcfg-"));
    }
  }

  @Test
  void jsonLogGivesOneObjectPerLineWithIdAndVersion() throws Exception {
    try (AppJvm app = AppJvm.start(options() + ",log=json", List.of(), "app.JulManagerMain")) {
      app.awaitOut("READY");
      edit("a = {\n");
      String rejected = app.awaitErr("QCFG-1501");
      edit("a = 3\n");
      String recovered = app.awaitErr("recovered");
      ObjectMapper json = new ObjectMapper();
      JsonNode r = json.readTree(rejected);
      assertThat(r.get("level").asText()).isEqualTo("ERROR");
      assertThat(r.get("id").asText()).isEqualTo("QCFG-1501");
      assertThat(r.get("version").asLong()).isEqualTo(1);
      JsonNode ok = json.readTree(recovered);
      assertThat(ok.get("level").asText()).isEqualTo("INFO");
      assertThat(ok.get("version").asLong()).isEqualTo(2);
      assertThat(ok.get("message").asText()).startsWith("recovered: version 2 is active");
      for (String l : app.stderr()) {
        assertThat(json.readTree(l).has("message")).as(l).isTrue(); // every line is one object
      }
    }
  }

  @Test
  void micrometerMetersFollowARejectedChangeInTheApplicationsRegistry() throws Exception {
    try (AppJvm app = AppJvm.start(options(), List.of(), micrometerJars(), "app.MicrometerMain")) {
      app.awaitOut("READY");
      await().atMost(AppJvm.DEADLINE).until(() -> "1.0".equals(app.values("meters").get("version")));
      Map<String, String> m = app.values("meters");
      assertThat(m).containsEntry("successful", "1.0").containsEntry("rejected", "0")
          .containsEntry("timer.accepted", "0");
      double loaded = Double.parseDouble(m.get("timestamp"));
      assertThat(loaded).isGreaterThan(1.7e9);

      edit("a = {\n");
      await().atMost(AppJvm.DEADLINE)
          .until(() -> "0.0".equals(app.values("meters").get("successful")));
      assertThat(app.values("meters")).containsEntry("version", "1.0")
          .containsEntry("rejected", "1").containsEntry("timestamp", m.get("timestamp"));

      edit("a = 2\n");
      await().atMost(AppJvm.DEADLINE)
          .until(() -> "2.0".equals(app.values("meters").get("version")));
      assertThat(app.values("meters")).containsEntry("successful", "1.0")
          .containsEntry("accepted", "1").containsEntry("rejected", "1");
      assertThat(app.stderr()).noneMatch(l -> l.contains("QCFG-5310"));
    }
  }

  @Test
  void withoutMicrometerTheApplicationStartsCleanlyWithOneDebugLine() throws Exception {
    try (AppJvm app = AppJvm.start(options() + ",log=debug", List.of(), "app.JulManagerMain")) {
      app.awaitOut("READY");
      app.awaitErr("Micrometer is not on the application's class path");
      edit("a = 2\n");
      app.awaitErr("applied version 2");
      assertThat(app.stderr())
          .noneMatch(l -> l.contains("NoClassDefFoundError") || l.contains("QCFG-5310")
              || l.contains(" WARN ") || l.contains(" ERROR ") || l.contains("Exception"))
          .filteredOn(l -> l.contains("Micrometer")).hasSize(1);
    }
  }

  /** micrometer-core and what it needs at run time, from the test class path. */
  private static List<Path> micrometerJars() throws URISyntaxException {
    List<Path> jars = new ArrayList<>();
    for (String c : List.of("io.micrometer.core.instrument.Metrics",
        "io.micrometer.common.KeyValue", "io.micrometer.observation.Observation",
        "org.HdrHistogram.Histogram", "org.LatencyUtils.PauseDetector")) {
      try {
        jars.add(Path.of(Class.forName(c, false, ObservabilityIT.class.getClassLoader())
            .getProtectionDomain().getCodeSource().getLocation().toURI()));
      } catch (ClassNotFoundException e) {
        // optional at run time
      }
    }
    return jars;
  }
}
