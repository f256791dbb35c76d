package io.qcfg.internal.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Without a recording, a change makes no Flight Recorder event: the first event object of a JVM
 * sets up the recorder's event machinery (160–190 ms cold on 2 cores), which held the applier and
 * with it an automatic rollback. Checked in fresh JVMs: this test JVM may have started a recording.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ColdChangeEventsTest {
  @TempDir Path tmp;

  /** Emits one event of each kind. */
  public static final class Emit {
    public static void main(String[] args) {
      ChangeEvents.applied(2, "0123456789abcdef", "test", 1_000);
      ChangeEvents.rejected(2, "test", 1, 1_000);
      ChangeEvents.rollback(3, 1, "0123456789abcdef", "test");
      System.out.println("emitted");
    }
  }

  @Test
  void withoutARecordingNoEventClassIsLoaded() throws Exception {
    String out = run();
    assertThat(out).contains("emitted").doesNotContain("io.qcfg.internal.events.Config")
        .doesNotContain("jdk.jfr.internal.");
  }

  @Test
  void withARecordingTheEventsAreMade() throws Exception {
    String out = run("-XX:StartFlightRecording=filename=" + tmp.resolve("r.jfr"));
    assertThat(out).contains("emitted").contains("io.qcfg.internal.events.ConfigAppliedEvent")
        .contains("io.qcfg.internal.events.ConfigRejectedEvent")
        .contains("io.qcfg.internal.events.ConfigRollbackEvent");
  }

  private static String run(String... jvmArgs) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    cmd.addAll(List.of(jvmArgs));
    cmd.addAll(List.of("-Xlog:class+load=info", "-cp", System.getProperty("java.class.path"),
        Emit.class.getName()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }
}
