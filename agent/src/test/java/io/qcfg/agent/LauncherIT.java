package io.qcfg.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** bin/qcfg runs the CLI of the built qcfg.jar, and the CLI prints its own shell completion. */
@Timeout(60)
class LauncherIT {
  private static final Path LAUNCHER = Path.of("..", "bin", "qcfg");

  private static String run(String... args) throws Exception {
    String[] cmd = new String[args.length + 2];
    cmd[0] = "sh";
    cmd[1] = LAUNCHER.toString();
    System.arraycopy(args, 0, cmd, 2, args.length);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("QCFG_JAR", AppJvm.jar().toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  @Test
  void theLauncherRunsTheCli() throws Exception {
    assertThat(run("--version")).startsWith("qcfg ");
    assertThat(run("help")).contains("validate", "status", "generate-completion");
  }

  @Test
  void completionCoversTheVerbs() throws Exception {
    assertThat(run("generate-completion"))
        .contains("complete -F")
        .contains("validate")
        .contains("rollback");
  }
}
