package io.qcfg.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import io.qcfg.internal.layer.LayerFileReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16: the fast restart reads the secret layer without making a pipeline; it must give
 * exactly what the pipeline's own read gives (values, origins, and the options' file limits).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SecretLayerAloneTest {
  @TempDir Path dir;

  @Test
  void givesWhatThePipelinesSecretLayerGives() throws Exception {
    secretFiles("extra.conf", "api.token = t1\nref = ${api.token}\n"
        + "list = [1, 2.50, \"x\"]\nnested { deep.key = ${db.password} }\n",
        "big.conf", "big = \"" + "y".repeat(2_000) + "\"\n");
    for (String args : new String[] {"dir=" + dir, "dir=" + dir + ",max-file-size=1000"}) {
      QcfgOptions options = QcfgOptions.resolve(QcfgOptions.parseAgentArgs(args),
          new Properties(), Map.of());
      LayerFileReader reader = Pipeline.reader(options);
      Config alone = Pipeline.secretLayerAlone(options, reader);
      Config fromPipeline = new Pipeline(options, getClass().getClassLoader(), null)
          .secretLayer(dir);
      assertThat(render(alone)).as(args).isEqualTo(render(fromPipeline));
      assertThat(alone.getString("nested.deep.key")).isEqualTo("first");
      // A pipeline over the same reader reuses its parses; one of its own parses again.
      Config shared = new Pipeline(options, getClass().getClassLoader(), null,
          Pipeline.Decryption.STRICT, reader).secretLayer(dir);
      assertThat(render(shared)).as(args).isEqualTo(render(alone));
      assertThat(shared.getValue("api.token")).isSameAs(alone.getValue("api.token"));
      assertThat(fromPipeline.getValue("api.token")).isNotSameAs(alone.getValue("api.token"));
    }
  }

  @Test
  void readsPlainFilesWithoutTypesafeAndGivesWhatThePipelineGives() throws Exception {
    secretFiles("a.conf", "# api\napi {\n  token = \"t1\"\n  n = 3\n}\n"
        + "api.hosts = [\"h\", 2]\nlease = 30s\n",
        "b.conf", "api.token = \"over\"\ndeep.x = ${api.n}\nonly = o\n");
    QcfgOptions options = QcfgOptions.resolve(QcfgOptions.parseAgentArgs("dir=" + dir),
        new Properties(), Map.of());
    LayerFileReader reader = Pipeline.reader(options);
    Config alone = Pipeline.secretLayerAlone(options, reader);
    Config fromPipeline = new Pipeline(options, getClass().getClassLoader(), null)
        .secretLayer(dir);
    assertThat(render(alone)).isEqualTo(render(fromPipeline)); // origins of objects included
    assertThat(alone.getString("api.token")).isEqualTo("t1"); // a.conf first, as the pipeline
    // a.conf was read plain, so not cached: the pipeline parses it with Typesafe; b.conf
    // (a substitution) was declined and parsed by the shared reader, whose parse is reused.
    Config shared = new Pipeline(options, getClass().getClassLoader(), null,
        Pipeline.Decryption.STRICT, reader).secretLayer(dir);
    assertThat(render(shared)).isEqualTo(render(alone));
    assertThat(shared.getValue("lease")).isNotSameAs(alone.getValue("lease"));
    assertThat(shared.getValue("only")).isSameAs(alone.getValue("only"));
  }

  // The read-ahead parses the later half of the secret files on a second thread: the order of
  // precedence, and the declines (substitutions) on either thread, stay the pipeline's.
  @Test
  void filesParsedOnTwoThreadsKeepTheirOrder() throws Exception {
    secretFiles("a.conf", "k = a\nonly.a = 1\n", "b.conf", "k = b\nref = ${only.a}\n",
        "c.conf", "k = c\nlist = [1, 2]\n", "d.conf", "k = d\nref2 = ${k}\n",
        "e.conf", "k = e\nonly.e = 5\n");
    QcfgOptions options = QcfgOptions.resolve(QcfgOptions.parseAgentArgs("dir=" + dir),
        new Properties(), Map.of());
    Config alone = Pipeline.secretLayerAlone(options, Pipeline.reader(options));
    Config fromPipeline = new Pipeline(options, getClass().getClassLoader(), null)
        .secretLayer(dir);
    assertThat(render(alone)).isEqualTo(render(fromPipeline));
    assertThat(alone.getString("k")).isEqualTo(fromPipeline.getString("k"));
    assertThat(alone.getInt("only.e")).isEqualTo(5);
  }

  /** application.conf, secrets/db.password, and secrets/{@code name} with {@code text} pairs. */
  private void secretFiles(String... nameThenText) throws java.io.IOException {
    Path secrets = Files.createDirectories(dir.resolve("secrets"));
    Files.writeString(dir.resolve("application.conf"), "a = 1\n");
    Files.writeString(secrets.resolve("db.password"), "first");
    for (int i = 0; i < nameThenText.length; i += 2) {
      Files.writeString(secrets.resolve(nameThenText[i]), nameThenText[i + 1]);
    }
  }

  private static String render(Config c) {
    return c.root().render(ConfigRenderOptions.defaults().setOriginComments(true));
  }
}
