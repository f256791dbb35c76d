package io.qcfg.internal.validate;

import static org.assertj.core.api.Assertions.assertThat;

import io.qcfg.internal.Pipeline;
import io.qcfg.internal.QcfgOptions;
import io.qcfg.internal.layer.Environment;
import io.qcfg.internal.layer.LayerStack;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 item 4: a configuration without {@code schema.json} builds without initialising
 * everit's validator (about 30 classes and their static state, 20–100 ms cold on the applier
 * before the first publish); with a schema the quick check ({@link SchemaCheck}) passes a valid
 * tree without building everit's schema, and a schema the check declines makes everit's
 * validator at the first validation. Checked in fresh JVMs: this test JVM has loaded everit long
 * ago.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ColdSchemaLessBuildTest {
  @TempDir Path tmp;

  /** Builds the configuration directory {@code args[0]} once. */
  public static final class Build {
    public static void main(String[] args) {
      var s = new Pipeline(QcfgOptions.defaults(), null, null).build(new LayerStack.Request(
          Path.of(args[0]), new Environment("development", "option"), Map.of(), new Properties(),
          Map.of(), null, null));
      System.out.println("built " + s.getInt("s.int"));
    }
  }

  @Test
  void withoutASchemaNoValidatorIsInitialised() throws Exception {
    Files.writeString(tmp.resolve("application.conf"), "s { int = 5 }\n");
    String out = run(tmp);
    assertThat(out).contains("built 5")
        .doesNotContain("org.everit.json.schema.Validator ")
        .doesNotContain("org.everit.json.schema.ObjectSchema ")
        .doesNotContain("io.qcfg.internal.validate.SubtreeValidation ");
  }

  @Test
  void withASchemaTheQuickCheckPassesATreeWithoutEveritsSchema() throws Exception {
    Files.writeString(tmp.resolve("application.conf"), "s { int = 5 }\n");
    Files.writeString(tmp.resolve("schema.json"),
        "{\"properties\": {\"s\": {\"properties\": {\"int\": {\"type\": \"integer\"}}}}}");
    assertThat(run(tmp)).contains("built 5")
        .contains("io.qcfg.internal.validate.SchemaCheck ")
        .doesNotContain("org.everit.json.schema.ObjectSchema ")
        .doesNotContain("io.qcfg.internal.validate.SubtreeValidation ");
  }

  @Test
  void withASchemaTheCheckDeclinesEveritsValidatorIsMadeAtTheFirstValidation() throws Exception {
    Files.writeString(tmp.resolve("application.conf"), "s { int = 5 }\n");
    Files.writeString(tmp.resolve("schema.json"), // multipleOf: everit's alone
        "{\"properties\": {\"s\": {\"properties\": {\"int\": {\"multipleOf\": 5}}}}}");
    assertThat(run(tmp)).contains("built 5")
        .contains("io.qcfg.internal.validate.SubtreeValidation ");
  }

  private static String run(Path dir) throws Exception {
    List<String> cmd = List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xlog:class+load=info", "-cp", System.getProperty("java.class.path"),
        Build.class.getName(), dir.toString());
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }
}
