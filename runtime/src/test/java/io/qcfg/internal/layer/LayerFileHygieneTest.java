package io.qcfg.internal.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qcfg.QcfgException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Issue 15 items 15 and 16: symlinks out of the directory, editor leftovers in secrets/. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LayerFileHygieneTest {
  @TempDir Path tmp;

  LoadedConfig load(Path dir) {
    return new LayerStack(new LayerFileReader(Limits.DEFAULT), null)
        .load(new LayerStack.Request(dir, new Environment("development", "t"), Map.of(),
            new Properties(), Map.of(), null, null));
  }

  @Test
  void aLayerFileLinkedFromOutsideTheDirectoryIsRefused() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("config"));
    Files.writeString(tmp.resolve("elsewhere.conf"), "a = 1\n");
    Files.createSymbolicLink(dir.resolve("application.conf"), tmp.resolve("elsewhere.conf"));
    assertThatThrownBy(() -> load(dir)).isInstanceOfSatisfying(QcfgException.Invalid.class,
        e -> {
          assertThat(e.problems().get(0).id()).isEqualTo("QCFG-1024");
          assertThat(e.getMessage()).contains("outside the configuration directory");
        });
    Files.createDirectories(dir.resolve("secrets"));
    Files.delete(dir.resolve("application.conf"));
    Files.writeString(dir.resolve("application.conf"), "a = 1\n");
    Files.writeString(tmp.resolve("pw"), "x");
    Files.createSymbolicLink(dir.resolve("secrets/db.password"), tmp.resolve("pw"));
    assertThatThrownBy(() -> load(dir)).hasMessageContaining("QCFG-1024");
  }

  @Test
  void linksThatStayInsideTheDirectoryAreFine() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("config"));
    Files.createDirectories(dir.resolve("..data"));
    Files.writeString(dir.resolve("..data/application.conf"), "a = 1\n");
    Files.createSymbolicLink(dir.resolve("application.conf"), Path.of("..data/application.conf"));
    assertThat(load(dir).config().getInt("a")).isEqualTo(1);
  }

  @Test
  void editorLeftoversInSecretsAreNotKeys() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("config"));
    Files.writeString(dir.resolve("application.conf"), "a = 1\n");
    Path secrets = Files.createDirectories(dir.resolve("secrets"));
    Files.writeString(secrets.resolve("db.password"), "real");
    for (String junk : new String[] {"db.password~", ".db.password.swp", "db.password.tmp",
        "#db.password#", "4913", "db.password___jb_tmp___", "db.password.swo"}) {
      Files.writeString(secrets.resolve(junk), "junk");
    }
    LoadedConfig l = load(dir);
    assertThat(l.config().getString("db.password")).isEqualTo("real");
    assertThat(l.secretLayerPaths()).containsExactly("db.password");
    assertThat(l.config().root().keySet()).containsExactlyInAnyOrder("a", "db");
  }
}
