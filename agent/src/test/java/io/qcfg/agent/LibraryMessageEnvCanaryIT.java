package io.qcfg.agent;

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

/**
 * Secret canaries in the process environment (credential-named variables) never reach what
 * {@code java -jar qcfg.jar} prints, whatever library message a broken configuration provokes:
 * Typesafe's resolve errors print their whole resolve source, environment included.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class LibraryMessageEnvCanaryIT {
  static final String ENV = "canary-ENVIRONMENT-21";

  @TempDir Path dir;

  @Test
  void noVerbShowsACredentialNamedEnvironmentVariable() throws Exception {
    String[] shapes = {
      "a = ${b}\"x\"\nb = { c = 1 }\n",                 // resolve error (object + string)
      "a = ${b}\nb = ${a}\n",                           // cycle
      "a = ${NOPE_NOT_SET}\n",                          // unresolved substitution
      "a = [1\n",                                       // syntax
      "big = 1e400\n",                                  // non-finite number
    };
    for (String shape : shapes) {
      Files.writeString(dir.resolve("application.conf"), shape);
      for (String verb : new String[] {"validate", "print"}) {
        List<String> cmd = new ArrayList<>(List.of(AppJvm.java(), "-XX:TieredStopAtLevel=1",
            "-jar", AppJvm.jar().toString(), verb, "--dir", dir.toString(),
            "--state", dir.resolve("state").toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("DB_PASSWORD", ENV);
        pb.environment().put("API_TOKEN", ENV + "-token");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isEqualTo(1);
        assertThat(out).as(verb + " over " + shape).contains("QCFG-").doesNotContain("canary");
      }
    }
  }
}
