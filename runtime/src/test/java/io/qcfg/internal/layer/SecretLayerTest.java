package io.qcfg.internal.layer;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The secret layer alone, asked for on every build: reused while its files are unchanged, and
 * never stale after an edit of a key file or a {@code secrets/*.conf} file.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SecretLayerTest {
  @TempDir Path dir;
  final LayerStack stack = new LayerStack(new LayerFileReader(Limits.DEFAULT), null);

  @Test
  void reusedWhileUnchangedAndFreshAfterEveryKindOfEdit() throws Exception {
    Path secrets = dir.resolve("secrets");
    Files.createDirectories(secrets);
    Files.writeString(dir.resolve("application.conf"), "a = 1\n");
    Files.writeString(secrets.resolve("db.password"), "first");
    Files.writeString(secrets.resolve("extra.conf"), "api.token = t1\nref = ${api.token}\n");

    Config one = stack.secretLayer(dir);
    assertThat(one.getString("db.password")).isEqualTo("first");
    assertThat(one.getString("ref")).isEqualTo("t1");
    assertThat(stack.secretLayer(dir)).as("unchanged files: the same result").isSameAs(one);

    Files.writeString(secrets.resolve("db.password"), "second");
    assertThat(stack.secretLayer(dir).getString("db.password")).isEqualTo("second");

    Files.writeString(secrets.resolve("extra.conf"), "api.token = t2\nref = ${api.token}\n");
    Config three = stack.secretLayer(dir);
    assertThat(three.getString("ref")).isEqualTo("t2");

    Files.writeString(secrets.resolve("other.conf"), "x.key = k\n");
    assertThat(stack.secretLayer(dir).getString("x.key")).isEqualTo("k");

    Files.delete(secrets.resolve("db.password"));
    assertThat(stack.secretLayer(dir).hasPath("db.password")).isFalse();
  }
}
