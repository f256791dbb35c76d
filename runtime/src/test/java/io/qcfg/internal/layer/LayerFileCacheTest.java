package io.qcfg.internal.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Issue 16 item 2: the parse cache is our own bounded map; Caffeine is gone from the runtime. */
@Timeout(60)
class LayerFileCacheTest {
  @TempDir Path dir;

  @Test
  void theCacheKeepsOneEntryPerFileAndAtMostItsBound() throws Exception {
    LayerFileReader reader = new LayerFileReader(Limits.DEFAULT);
    Path real = dir.toRealPath();
    Path a = Files.writeString(real.resolve("a.conf"), "x = 1\n");
    assertThat(reader.read(a, real).config().getInt("x")).isEqualTo(1);
    Files.writeString(a, "x = 2\n");
    assertThat(reader.read(a, real).config().getInt("x")).isEqualTo(2); // the edit is seen
    assertThat(reader.cachedFiles()).isEqualTo(1); // the old parse is gone
    for (int i = 0; i < LayerFileReader.MAX_CACHED_FILES + 20; i++) {
      Path f = Files.writeString(real.resolve("f" + i + ".conf"), "y = " + i + "\n");
      assertThat(reader.read(f, real).config().getInt("y")).isEqualTo(i);
    }
    assertThat(reader.cachedFiles()).isEqualTo(LayerFileReader.MAX_CACHED_FILES);
  }

  /**
   * An unchanged file is not decoded again (the same text object), while bytes that differ are
   * always seen: also with the same size and modification time, and also when they are no longer
   * UTF-8.
   */
  @Test
  void theDecodeOfAFileIsKeptOnlyWhileItsBytesAreTheSame() throws Exception {
    LayerFileReader reader = new LayerFileReader(Limits.DEFAULT);
    Path real = dir.toRealPath();
    Path a = Files.writeString(real.resolve("a.conf"), "x = 1\n");
    String first = reader.readText(a, "a.conf");
    assertThat(reader.readText(a, "a.conf")).isSameAs(first);
    java.nio.file.attribute.FileTime time = Files.getLastModifiedTime(a);
    Files.writeString(a, "x = 2\n");
    Files.setLastModifiedTime(a, time);
    assertThat(reader.readText(a, "a.conf")).isEqualTo("x = 2\n");
    assertThat(reader.read(a, real).config().getInt("x")).isEqualTo(2);
    Files.write(a, new byte[] {'x', ' ', '=', ' ', (byte) 0xC3, '\n'});
    Files.setLastModifiedTime(a, time);
    assertThatThrownBy(() -> reader.readText(a, "a.conf")).hasMessageContaining("not valid UTF-8");
  }

  @Test
  void caffeineIsNoLongerOnTheRuntimeClassPath() {
    assertThatThrownBy(() -> Class.forName("com.github.benmanes.caffeine.cache.Caffeine"))
        .isInstanceOf(ClassNotFoundException.class);
  }
}
