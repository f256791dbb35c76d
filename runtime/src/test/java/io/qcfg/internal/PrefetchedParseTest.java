package io.qcfg.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qcfg.Problem;
import io.qcfg.QcfgException;
import io.qcfg.internal.crypto.ForeignText;
import io.qcfg.internal.layer.Environment;
import io.qcfg.internal.layer.LayerStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19: a build parses every layer file on parser threads, the secret files too, while it
 * waits for the secret layer. A parse that failed there was worded before the secrets were known;
 * the build must report a parse made after, so that the problem never shows a secret.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PrefetchedParseTest {
  @TempDir Path dir;

  @AfterEach
  void forget() {
    ForeignText.forget();
  }


  private LayerStack.Request request() {
    return new LayerStack.Request(dir, new Environment("development", "option"), Map.of(),
        new Properties(), Map.of(), null, null);
  }

  @Test
  void aFailedParseIsReportedWithTheSecretsKnown() throws Exception {
    ForeignText.forget();
    String canary = "Canary-" + UUID.randomUUID().toString().replace("-", "");
    // A key the parser quotes in its message; the base file parses in a moment, while a slow
    // secret layer keeps the building thread busy well past it (and holds few values: the
    // redactor keeps a bounded number).
    Files.writeString(dir.resolve("application.conf"), "a = 1\n" + canary + "\n");
    Files.createDirectories(dir.resolve("secrets"));
    Files.writeString(dir.resolve("secrets/db.password"), canary + "\n");
    StringBuilder big = new StringBuilder();
    for (int i = 0; i < 60_000; i++) { // one path set again and again: one value to remember
      big.append("s.v = ").append(i).append("\n");
    }
    Files.writeString(dir.resolve("secrets/big.conf"), big);
    reportedRedacted("application.conf", canary);
  }

  /** Three builds, each failing first on a parse error in {@code file}, none showing the canary. */
  private void reportedRedacted(String file, String canary) {
    for (int round = 0; round < 3; round++) {
      assertThatThrownBy(() -> new Pipeline(QcfgOptions.defaults(), null, null).build(request()))
          .isInstanceOfSatisfying(QcfgException.Invalid.class, e -> {
            Problem p = e.problems().get(0);
            assertThat(p.id()).isEqualTo("QCFG-1006");
            assertThat(p.location()).contains(file);
            assertThat(p.toString()).doesNotContain(canary).contains("<redacted>");
          });
      ForeignText.forget();
    }
  }

  /** The secret files parse on parser threads too: a failed one is worded again, secrets known. */
  @Test
  void aFailedSecretFileIsReportedWithTheSecretsKnown() throws Exception {
    ForeignText.forget();
    String canary = "Canary-" + UUID.randomUUID().toString().replace("-", "");
    Files.writeString(dir.resolve("application.conf"), "a = 1\n");
    Files.createDirectories(dir.resolve("secrets"));
    Files.writeString(dir.resolve("secrets/db.password"), canary + "\n");
    Files.writeString(dir.resolve("secrets/broken.conf"), "s = 1\n" + canary + "\n");
    reportedRedacted("secrets/broken.conf:", canary);
  }

  /** The secret layer from the prefetched parses is the one read without them. */
  @Test
  void theSecretLayerTakesThePrefetchedParses() throws Exception {
    Files.writeString(dir.resolve("application.conf"), "a = 1\n");
    Files.createDirectories(dir.resolve("secrets"));
    Files.writeString(dir.resolve("secrets/s.conf"), "a.token = t0ken-value\nb { c = 2 }\n");
    Files.writeString(dir.resolve("secrets/t.conf"), "b.d = 3\n");
    Files.writeString(dir.resolve("secrets/db.password"), "pw\n");
    LayerStack layers = new LayerStack(new io.qcfg.internal.layer.LayerFileReader(
        io.qcfg.internal.layer.Limits.DEFAULT), null);
    var prefetched = layers.secretLayer(dir, layers.prefetch(request()));
    var alone = new LayerStack(new io.qcfg.internal.layer.LayerFileReader(
        io.qcfg.internal.layer.Limits.DEFAULT), null).secretLayer(dir);
    assertThat(prefetched.root()).isEqualTo(alone.root());
    assertThat(prefetched.root().render()).isEqualTo(alone.root().render());
    assertThat(prefetched.getInt("b.d")).isEqualTo(3);
  }

  @Test
  void aBuildWithPrefetchedParsesEqualsOneWithout() throws Exception {
    Files.writeString(dir.resolve("application.conf"), "a { b = 1, c = [1, 2] }\nd = x\n");
    Files.createDirectories(dir.resolve("environments"));
    Files.writeString(dir.resolve("environments/development.conf"), "a.b = 2\n");
    Files.writeString(dir.resolve("local.conf"), "d = y\n");
    Files.createDirectories(dir.resolve("secrets"));
    Files.writeString(dir.resolve("secrets/s.conf"), "a.token = t0ken-value\n");
    var built = new Pipeline(QcfgOptions.defaults(), null, null).build(request());
    var loaded = new LayerStack(new io.qcfg.internal.layer.LayerFileReader(
        io.qcfg.internal.layer.Limits.DEFAULT), null).load(request());
    assertThat(built.config().root()).isEqualTo(loaded.config().root());
    assertThat(built.getInt("a.b")).isEqualTo(2);
    assertThat(built.getString("d")).isEqualTo("y");
    assertThat(built.origin("a.b").orElseThrow().location()).endsWith("development.conf:1");
  }
}
