package io.qcfg.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18 in a forked JVM under the agent: a bad but valid change (pool-size 99) is rolled back
 * by probation for each kind of health signal, its checksum stays quarantined while the file stays
 * bad, and a good change is confirmed after the window. The time from apply to automatic rollback
 * is measured by qcfg (QCFG-4702) and written to {@code target/probation-timings.txt}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ProbationIT {
  private static final Pattern ROLLED_BACK =
      Pattern.compile("detected (\\d+) ms after it was applied.*rolled back (\\d+) ms after");

  @TempDir Path tmp;

  @Test
  void aListenerThatThrows() throws Exception {
    run("listener", "", "listener failure").close();
  }

  @Test
  void aHealthCheckProbeThatTurnsFalse() throws Exception {
    run("probe", "", "@HealthCheck.Probe app.GuardedMain.poolFits: answered false").close();
  }

  @Test
  void theApplicationsOwnHealthUrlAnswering503() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    run("url", ",health-url=http://127.0.0.1:" + port + "/health",
        "health-url http://127.0.0.1:" + port + "/health", String.valueOf(port)).close();
  }

  @Test
  void anUncaughtExceptionStorm() throws Exception {
    try (AppJvm jvm = run("storm", ",uncaught-rate=5", "uncaught exceptions")) {
      // qcfg chained to the application's own handler: it saw every exception too
      assertThat(Long.parseLong(jvm.values("state").get("appHandlerCalls"))).isPositive();
    }
  }

  private AppJvm run(String mode, String options, String signal, String... args) throws Exception {
    Path dir = tmp.resolve("config");
    Files.createDirectories(dir);
    Path app = dir.resolve("application.conf");
    Files.writeString(app, "pool-size = 10\n");
    List<String> main = new ArrayList<>(List.of(mode));
    main.addAll(List.of(args));
    AppJvm jvm = AppJvm.start("dir=" + dir + ",state=" + tmp.resolve("state")
        + ",probation=2s,health-interval=100ms,health-timeout=500ms" + options, List.of(),
        "app.GuardedMain", main.toArray(String[]::new));
    try {
      jvm.awaitOut("READY");
      await(jvm.transcript()).atMost(AppJvm.DEADLINE) // the MBean comes up after READY
          .until(() -> jvm.values("state").containsKey("probation"));
      assertThat(jvm.values("state")).containsEntry("version", "1").containsEntry("pool", "10");

      long t0 = System.nanoTime();
      Files.writeString(app, "pool-size = 99\n");
      try {
        await("automatic rollback").atMost(AppJvm.DEADLINE)
            .pollInterval(Duration.ofMillis(20))
            // the rollback publishes version 3, then records its line: wait for both
            .until(() -> jvm.values("state").get("version").equals("3")
                && !jvm.values("state").get("lastAutoRollback").isEmpty());
      } catch (org.awaitility.core.ConditionTimeoutException e) {
        // The transcript at the deadline, not at the write: what was applied, what was not.
        throw new AssertionError("no automatic rollback within " + AppJvm.DEADLINE + "; state "
            + jvm.values("state") + "\n" + jvm.transcript(), e);
      }
      long seenMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      Map<String, String> back = jvm.values("state");
      assertThat(back).containsEntry("pool", "10");
      assertThat(back.get("lastAutoRollback")).contains("version 2 -> 3").contains(signal);
      String line = jvm.awaitErr("QCFG-4702");
      assertThat(line).contains(signal);
      Matcher m = ROLLED_BACK.matcher(line);
      assertThat(m.find()).as(line).isTrue();
      record(mode, Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), seenMs);

      // The file stays bad: a re-save gives the quarantined checksum, which is not applied.
      long refusals = jvm.stderr().stream().filter(l -> l.contains("QCFG-4703")).count();
      Files.writeString(app, "pool-size = 99\n");
      await(jvm.transcript()).atMost(AppJvm.DEADLINE).until(() ->
          jvm.stderr().stream().filter(l -> l.contains("QCFG-4703")).count() > refusals);
      assertThat(jvm.values("state")).containsEntry("version", "3").containsEntry("pool", "10");

      // A good change goes on probation and is confirmed after the window.
      Files.writeString(app, "pool-size = 20\n");
      await(jvm.transcript()).atMost(AppJvm.DEADLINE)
          .until(() -> jvm.values("state").get("version").equals("4"));
      // Its probation is seen in the log, not in a status read: at load 15 the read after the
      // version change came after the 2 s window once (JDK 25, h-jca's verify).
      jvm.awaitErr("QCFG-4700: version 4 is on probation");
      jvm.awaitErr("QCFG-4701: version 4 passed probation");
      assertThat(jvm.values("state")).containsEntry("version", "4").containsEntry("pool", "20")
          .containsEntry("probation", "");
      String history = Files.readString(tmp.resolve("state/history")
          .resolve(String.format("%019d.json", 4)));
      assertThat(history).contains("\"confirmed\":true");
      return jvm;
    } catch (Throwable t) {
      jvm.close();
      throw t;
    }
  }

  private static void record(String mode, long detectedMs, long rolledBackMs, long seenMs)
      throws IOException {
    String row = String.format("%-9s detected %4d ms, rolled back %4d ms after apply (qcfg);"
        + " %5d ms from file write to the test seeing it%n", mode, detectedMs, rolledBackMs,
        seenMs);
    System.out.print("PROBATION-TIMING " + row);
    Files.writeString(Path.of("target/probation-timings.txt"), row, StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }
}
