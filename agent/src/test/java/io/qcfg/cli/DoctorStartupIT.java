package io.qcfg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code java -jar qcfg.jar doctor startup}: a fresh JVM's start-up trace, printed. */
@Timeout(240)
class DoctorStartupIT {
  static final Path JAR = Path.of(System.getProperty("qcfg.jar", "target/qcfg.jar"))
      .toAbsolutePath();

  @TempDir Path tmp;

  private static CliRun jar(Path cwd, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(CliAttachIT.JAVA, "-jar", JAR.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("QCFG_"));
    Process p = pb.start();
    p.getOutputStream().close();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(200, TimeUnit.SECONDS)).isTrue();
    return new CliRun(p.exitValue(), out, err, "");
  }

  @Test
  void printsTheTraceOfAFreshStartAndTouchesNoStateOfTheApplication() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("config"));
    Files.writeString(dir.resolve("application.conf"), "a = 1\nb.password = hunter2\n");
    CliRun run = jar(tmp, "doctor", "startup", "--dir", dir.toString(), "--env", "development");
    assertThat(run.status()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).contains("qcfg doctor startup: a fresh JVM under qcfg.jar")
        .contains("state empty, temporary")
        .contains("start-up trace (trace=startup)")
        .contains("premain", "state dir", "field binding",
            "history (write)", "audit (write)", "first snapshot: version 1")
        .containsPattern("parse \\S*config/application\\.conf")
        .doesNotContain("hunter2");
    assertThat(tmp.resolve(".qcfg")).doesNotExist(); // no state dir of the application's
  }

  @Test
  void restartShowsTheSecondStartOnTheStateOfTheFirst() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("config"));
    Files.writeString(dir.resolve("application.conf"), "a = 1\n");
    CliRun run = jar(tmp, "doctor", "startup", "--restart", "--dir", dir.toString());
    assertThat(run.status()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).contains("second start").contains("first snapshot: version 1")
        .contains("fast path: inputs unchanged"); // issue 16 item 3
  }

  @Test
  void anInvalidConfigurationFailsWithItsReasons() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("config"));
    Files.writeString(dir.resolve("application.conf"), "a = {\n");
    CliRun run = jar(tmp, "doctor", "startup", "--dir", dir.toString());
    assertThat(run.status()).isEqualTo(1);
    assertThat(run.out()).contains("QCFG-1500").contains("application.conf:")
        .contains("exit status 78");
  }
}
