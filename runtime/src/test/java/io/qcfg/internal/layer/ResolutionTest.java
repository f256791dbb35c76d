package io.qcfg.internal.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qcfg.QcfgException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Issue 13 item 1: the layers are resolved once, as Typesafe Config resolves them. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ResolutionTest {
  @TempDir Path dir;

  LoadedConfig load(String env, Map<String, String> envVars) {
    return new LayerStack(new LayerFileReader(Limits.DEFAULT), null)
        .load(new LayerStack.Request(dir, new Environment(env, "test"), Map.of(), new Properties(),
            envVars, null, null));
  }

  void write(String name, String text) throws Exception {
    Path p = dir.resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
  }

  @Test
  void optionalOverrideInTheSameFile() throws Exception {
    write("application.conf", "port = 8080\nport = ${?PORT}\n");
    assertThat(load("development", Map.of()).config().getInt("port")).isEqualTo(8080);
    LoadedConfig withVar = load("development", Map.of("PORT", "9090"));
    assertThat(withVar.config().getString("port")).isEqualTo("9090");
    assertThat(withVar.origin("port").layer()).isEqualTo("environment-variables");
  }

  @Test
  void optionalOverrideAcrossLayersKeepsTheOriginOfTheWinner() throws Exception {
    write("application.conf", "http {\n  port = 8080\n}\n");
    write("environments/development.conf", "\n\nhttp.port = ${?PORT}\n");
    LoadedConfig l = load("development", Map.of());
    assertThat(l.config().getInt("http.port")).isEqualTo(8080);
    assertThat(l.origin("http.port").location()).endsWith("application.conf:2");
  }

  @Test
  void laterSubstitutionReplacesAnEarlierValue() throws Exception {
    write("application.conf", "b = 2\na = 1\na = ${b}\n");
    assertThat(load("development", Map.of()).config().getInt("a")).isEqualTo(2);
  }

  @Test
  void selfReferenceAppends() throws Exception {
    write("application.conf", "path = \"/bin\"\n");
    write("environments/development.conf", "path = ${path}\":/extra\"\n");
    assertThat(load("development", Map.of()).config().getString("path")).isEqualTo("/bin:/extra");
  }

  @Test
  void plusEqualsAppendsAcrossLayers() throws Exception {
    write("application.conf", "list = [a]\nlist += b\n");
    write("environments/development.conf", "list += c\n");
    assertThat(load("development", Map.of()).config().getStringList("list"))
        .isEqualTo(List.of("a", "b", "c"));
  }

  @Test
  void variablesOffTheAllowListAreNotSeen() throws Exception {
    write("application.conf", "port = 8080\nport = ${?PORT}\n");
    // production: nothing substitutes unless listed
    assertThat(load("production", Map.of("PORT", "1")).config().getInt("port")).isEqualTo(8080);
    assertThat(load("production", Map.of("PORT", "1")).config().root()).doesNotContainKey("PORT");
  }

  @Test
  void variablesDoNotPolluteTheTree() throws Exception {
    write("application.conf", "a = ${HOME_X}\n");
    LoadedConfig l = load("development", Map.of("HOME_X", "/h", "OTHER", "o"));
    assertThat(l.config().root().keySet()).containsExactly("a");
  }

  @Test
  void cycleIsAClearProblemWithoutValues() throws Exception {
    write("application.conf", "secret-token = hunter2-canary\na = ${b}\nb = ${a}\n");
    assertThatThrownBy(() -> load("development", Map.of("DB_PASSWORD", "canary-env")))
        .isInstanceOfSatisfying(QcfgException.Invalid.class, e -> {
          assertThat(e.problems()).hasSize(1);
          assertThat(e.problems().get(0).id()).isEqualTo("QCFG-1011");
          assertThat(e.getMessage()).contains("cycle").contains("application.conf:")
              .doesNotContain("hunter2-canary").doesNotContain("canary-env")
              .doesNotContain("ResolveSource");
        });
  }

  @Test
  void missingSubstitutionNamesTheExpression() throws Exception {
    write("application.conf", "a = 1\nb = ${nope}\n");
    assertThatThrownBy(() -> load("development", Map.of()))
        .isInstanceOfSatisfying(QcfgException.Invalid.class, e -> {
          assertThat(e.problems().get(0).id()).isEqualTo("QCFG-1010");
          assertThat(e.getMessage()).contains("${nope}").contains("application.conf:2");
        });
  }

  @Test
  void libraryMessagesNeverReachTheProblem() {
    var origin = com.typesafe.config.ConfigFactory.parseString("a = 1",
        com.typesafe.config.ConfigParseOptions.defaults().setOriginDescription("config/x.conf"))
        .getValue("a").origin();
    for (var e : List.of(
        new com.typesafe.config.ConfigException.WrongType(origin,
            "Cannot concatenate object or list with a non-object-or-list, hunter2-canary and"
                + " ${a}"),
        new com.typesafe.config.ConfigException.BugOrBroken(
            "replace in parent not possible ResolveSource(root=SimpleConfigObject("
                + "{\"password\":\"hunter2-canary\"}))"))) {
      var p = Resolution.problem(e, null);
      assertThat(p.reason()).doesNotContain("hunter2-canary").doesNotContain("ResolveSource");
      assertThat(p.id()).isEqualTo("QCFG-1011");
    }
  }
}
