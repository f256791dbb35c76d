package io.qcfg.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code io.qcfg:qcfg-api} is all an application needs to compile: built here against that jar
 * alone, the application runs under {@code -javaagent:qcfg.jar} and every {@code io.qcfg} class
 * is loaded once.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ApiArtifactIT {
  @TempDir Path tmp;

  static Path apiJar() throws Exception {
    try (Stream<Path> files = Files.list(Path.of("..", "api", "target"))) {
      return files
          .filter(p -> p.getFileName().toString().matches("qcfg-api-[0-9][^-]*(-SNAPSHOT)?\\.jar"))
          .findFirst()
          .orElseThrow(() -> new IllegalStateException("api/target/qcfg-api-*.jar missing"))
          .toAbsolutePath();
    }
  }

  @Test
  void anApplicationCompiledAgainstTheApiAloneRunsUnderTheAgent() throws Exception {
    Path src = tmp.resolve("src/demo/App.java");
    Files.createDirectories(src.getParent());
    Files.writeString(src, """
        package demo;

        import io.qcfg.ConfigValue;
        import io.qcfg.Qcfg;

        public class App {
          @ConfigValue("greeting") static String greeting = "declared";

          public static void main(String[] args) {
            System.out.println("greeting=" + greeting);
            System.out.println("version=" + Qcfg.current().version());
          }
        }
        """);
    Path classes = tmp.resolve("classes");
    Files.createDirectories(classes);
    int javac = ToolProvider.getSystemJavaCompiler().run(null, null, null, "--release", "17",
        "-cp", apiJar().toString(), "-d", classes.toString(), src.toString());
    assertThat(javac).as("compiles against qcfg-api alone").isZero();

    Path config = tmp.resolve("config");
    Files.createDirectories(config);
    Files.writeString(config.resolve("application.conf"), "greeting = hello\n");
    ProcessBuilder pb = new ProcessBuilder(AppJvm.java(),
        "-javaagent:" + AppJvm.jar() + "=dir=" + config + ",state=" + tmp.resolve("state")
            + ",watch=false,jmx=false",
        "-Xlog:class+load=info",
        "-cp", classes + java.io.File.pathSeparator + apiJar(), "demo.App")
        .redirectErrorStream(true);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("greeting=hello").contains("version=1");

    // Every io.qcfg class is loaded once: the API's from one place, the runtime's from qcfg.jar.
    Map<String, List<String>> sources = new HashMap<>();
    Matcher m = Pattern.compile("\\] (io\\.qcfg\\.[A-Za-z0-9_.$]+) source: (\\S+)").matcher(out);
    while (m.find()) {
      sources.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(m.group(2));
    }
    assertThat(sources).containsKey("io.qcfg.Qcfg").containsKey("io.qcfg.internal.ApiBackend");
    assertThat(sources.values()).allSatisfy(s -> assertThat(s).hasSize(1));
    assertThat(sources.get("io.qcfg.internal.ApiBackend").get(0)).contains("qcfg.jar");
  }

  @Test
  void theApiJarHoldsTheApiAndDependsOnNothing() throws Exception {
    List<String> classes = new ArrayList<>();
    try (JarFile jar = new JarFile(apiJar().toFile())) {
      jar.stream().map(e -> e.getName()).filter(n -> n.endsWith(".class")).forEach(classes::add);
      assertThat(jar.getManifest().getMainAttributes().getValue("Automatic-Module-Name"))
          .isEqualTo("io.qcfg.api");
      String pom = new String(jar.getInputStream(
          jar.getEntry("META-INF/maven/io.qcfg/qcfg-api/pom.xml")).readAllBytes(),
          StandardCharsets.UTF_8);
      // Any dependency it declares is for its own tests.
      Matcher dep = Pattern.compile("<dependency>(.*?)</dependency>", Pattern.DOTALL).matcher(pom);
      while (dep.find()) {
        assertThat(dep.group(1)).contains("<scope>test</scope>");
      }
    }
    assertThat(classes).contains("io/qcfg/Qcfg.class", "io/qcfg/Snapshot.class",
        "io/qcfg/ConfigValue.class", "io/qcfg/OnConfigChange.class", "io/qcfg/ConfigChange.class",
        "io/qcfg/ConfigRule.class", "io/qcfg/Problem.class", "io/qcfg/Origin.class",
        "io/qcfg/QcfgException.class");
    assertThat(classes).allSatisfy(c -> assertThat(c).startsWith("io/qcfg/")
        .doesNotStartWith("io/qcfg/internal/"));
  }
}
