package io.qcfg.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Which qcfg.jar the JVM's {@code -javaagent} options name, for the fast start's fingerprint. */
@Timeout(30)
class OwnJarTest {
  @TempDir Path tmp;

  @Test
  void theOneQcfgJarOfTheAgentOptionsRelativeToTheWorkingDirectory() throws Exception {
    Path jar = Files.write(Files.createDirectories(tmp.resolve("agent")).resolve("qcfg.jar"),
        new byte[] {1});
    Files.write(tmp.resolve("other.jar"), new byte[] {2});
    assertThat(OwnJar.fromArguments(List.of("java", "-Xmx1g", "-javaagent:other.jar",
        "-javaagent:agent/qcfg.jar=dir=config,env=staging", "-cp", "app.jar", "Main"), tmp))
        .isEqualTo(jar.toRealPath());
    assertThat(OwnJar.fromArguments(List.of("-javaagent:" + jar), Path.of("/")))
        .isEqualTo(jar.toRealPath());
    // The same jar twice is still one.
    assertThat(OwnJar.fromArguments(List.of("-javaagent:agent/qcfg.jar",
        "-javaagent:" + jar + "=watch=false"), tmp)).isEqualTo(jar.toRealPath());
  }

  @Test
  void noneTwoOrAMissingOneIsUnknown() throws Exception {
    Files.write(Files.createDirectories(tmp.resolve("a")).resolve("qcfg.jar"), new byte[] {1});
    Files.write(Files.createDirectories(tmp.resolve("b")).resolve("qcfg.jar"), new byte[] {1});
    assertThat(OwnJar.fromArguments(List.of("java", "-cp", "x", "Main"), tmp)).isNull();
    assertThat(OwnJar.fromArguments(List.of("-javaagent:a/qcfg.jar", "-javaagent:b/qcfg.jar"),
        tmp)).isNull();
    assertThat(OwnJar.fromArguments(List.of("-javaagent:c/qcfg.jar"), tmp)).isNull();
    assertThat(OwnJar.fromArguments(List.of("-javaagent:a/qcfg-1.0.jar"), tmp)).isNull();
    assertThat(OwnJar.fromArguments(List.of("-javaagent:"), tmp)).isNull();
  }
}
