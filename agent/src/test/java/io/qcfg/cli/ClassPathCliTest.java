package io.qcfg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Issue 13 item 7: the offline verbs see the application's reference.conf with --classpath. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClassPathCliTest {
  @TempDir Path tmp;

  Path setUp() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("config"));
    Files.writeString(dir.resolve("application.conf"), "app.name = demo\n");
    // The schema requires a path only the library's reference.conf defines.
    Files.writeString(dir.resolve("schema.json"),
        "{\"type\":\"object\",\"required\":[\"lib\"],\"properties\":{\"lib\":{\"type\":\"object\","
            + "\"required\":[\"version\"]}}}");
    Path lib = Files.createDirectories(tmp.resolve("lib"));
    try (OutputStream out = Files.newOutputStream(lib.resolve("lib.jar"));
        JarOutputStream jar = new JarOutputStream(out)) {
      jar.putNextEntry(new JarEntry("reference.conf"));
      jar.write("lib.name = lib\ninclude \"version\"\n".getBytes(StandardCharsets.UTF_8));
      jar.putNextEntry(new JarEntry("version.conf"));
      jar.write("lib.version = \"1.2.3\"\n".getBytes(StandardCharsets.UTF_8));
    }
    return dir;
  }

  @Test
  void withoutTheClassPathTheVerbsSayDefaultsWereNotIncludedOnce() throws Exception {
    Path dir = setUp();
    CliRun r = CliRun.of("validate", "--all-envs", "--dir", dir.toString());
    assertThat(r.status()).isEqualTo(1); // lib.version is missing without the jar
    assertThat(r.err().split("class-path defaults were not included", -1)).hasSize(2);
    assertThat(r.all()).contains("QCFG-5271");
  }

  @Test
  void validatePrintDiffAndRenderIncludeEveryReferenceConfOfTheClassPath() throws Exception {
    Path dir = setUp();
    String cp = tmp.resolve("lib").resolve("lib.jar") + File.pathSeparator + tmp.resolve("none-dir");
    Files.createDirectories(tmp.resolve("none-dir"));
    CliRun v = CliRun.of("validate", "--dir", dir.toString(), "--classpath", cp);
    assertThat(v.status()).as(v.all()).isEqualTo(0);
    assertThat(v.err()).doesNotContain("not included");
    CliRun p = CliRun.of("print", "--dir", dir.toString(), "-cp", tmp.resolve("lib") + "/*");
    assertThat(p.status()).as(p.all()).isEqualTo(0);
    assertThat(p.out()).contains("1.2.3");
    CliRun r = CliRun.of("render", "--format", "json", "--dir", dir.toString(), "-cp", cp);
    assertThat(r.status()).as(r.all()).isEqualTo(0);
    assertThat(r.out()).contains("1.2.3");
    CliRun d = CliRun.of("diff", "--dir", dir.toString(), "--env", "development", "--to-env",
        "staging", "-cp", cp);
    assertThat(d.err()).doesNotContain("not included");
    assertThat(d.all()).doesNotContain("QCFG-1018");
  }

  @Test
  void aMissingClassPathEntryIsAUsageError() throws Exception {
    Path dir = setUp();
    CliRun r = CliRun.of("validate", "--dir", dir.toString(), "--classpath",
        tmp.resolve("nope.jar").toString());
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("QCFG-5270");
  }
}
