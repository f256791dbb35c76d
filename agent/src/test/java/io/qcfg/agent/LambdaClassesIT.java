package io.qcfg.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16: qcfg.jar's lambdas, qcfg's and the bundled libraries', are plain classes written at
 * build time (build-tools' LambdaClasses), so neither a first start nor a fast restart makes the
 * JVM spin a hidden lambda class for qcfg. The JDK's own lambdas (streams, regex) may still be
 * spun and are not counted. Records' toString, hashCode and equals are plain methods too, so the
 * JDK's ObjectMethods (which would build their method handles) never loads. Deterministic: the
 * class load log lists every class the JVM defined.
 */
@Timeout(300)
class LambdaClassesIT {
  private static final Pattern SPUN = Pattern.compile("\\] io\\.qcfg\\.\\S*\\$\\$Lambda\\$\\d+/");
  private static final Pattern WRITTEN = Pattern.compile("\\] io\\.qcfg\\.\\S*\\$\\$QLambda\\$\\d+ ");

  @TempDir Path tmp;

  @Test
  void neitherAFirstStartNorAFastRestartSpinsALambdaClassForQcfgNorBootstrapsARecordMethod() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("config"));
    Files.writeString(dir.resolve("application.conf"), "s { int = 80, string = seven }\n");
    Files.writeString(dir.resolve("schema.json"), "{\"type\": \"object\", \"properties\": {"
        + "\"s\": {\"type\": \"object\", \"properties\": {\"int\": {\"type\": \"integer\"}}}}}\n");
    Files.createDirectories(dir.resolve("secrets"));
    Files.writeString(dir.resolve("secrets/db.password"), "s3cret-value");
    Path state = tmp.resolve("state");

    for (String run : List.of("first", "restart")) {
      Path log = tmp.resolve(run + ".classes");
      try (AppJvm app = AppJvm.start("dir=" + dir + ",state=" + state + ",env=development",
          List.of("-Xlog:class+load=info:file=" + log), "app.AfterPublish")) {
        assertThat(app.awaitExit()).as(app.transcript()).isZero();
        assertThat(app.stdout()).contains("value=seven");
        if (run.equals("restart")) {
          assertThat(String.join("\n", app.stderr())).as("the fast path").contains("QCFG-1533");
        }
      }
      List<String> lines = Files.readAllLines(log);
      assertThat(lines.stream().filter(l -> SPUN.matcher(l).find()).collect(Collectors.toList()))
          .as(run + ": lambda classes the JVM spun for qcfg").isEmpty();
      assertThat(lines.stream().filter(l -> l.contains("] java.lang.runtime.ObjectMethods ")))
          .as(run + ": records' methods need no ObjectMethods bootstrap").isEmpty();
      assertThat(lines.stream().filter(l -> WRITTEN.matcher(l).find()).count())
          .as(run + ": lambda classes loaded from qcfg.jar").isGreaterThan(10);
    }
  }
}
