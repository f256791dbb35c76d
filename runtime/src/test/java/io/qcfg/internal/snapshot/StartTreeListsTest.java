package io.qcfg.internal.snapshot;

import static io.qcfg.internal.snapshot.StartTreePropertiesTest.build;
import static io.qcfg.internal.snapshot.StartTreePropertiesTest.mac;
import static io.qcfg.internal.snapshot.StartTreePropertiesTest.pipeline;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigValue;
import io.qcfg.internal.Pipeline;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16: a list leaf of the start tree is checked when the file is read and made only when
 * asked for ({@link StartTreeReader.LazyList}): it is then what the full build gave, item by item
 * with their origins, and a list the reader cannot make is refused at the read, never later.
 */
@Timeout(60)
class StartTreeListsTest {
  @TempDir Path dir;
  @TempDir Path state;

  private static final String TREE = "l = [1, \"x\", 2.50, null, [true, 3000000000], "
      + "{q = 1.50, r = [a, 1e3]}, -0.1]\n"
      + "e = []\n"
      + "n.m = [1e3]\n"
      + "s = plain\n";

  @Test
  void aListIsMadeWhenAskedForAndIsTheFullBuildsList() throws Exception {
    Files.writeString(dir.resolve("application.conf"), TREE);
    Pipeline p = pipeline(dir, state);
    ConfigSnapshot full = build(p, dir);
    Path file = state.resolve(StartTree.NAME);
    StartTree.write(full, List.of(), file, mac("t"), mac("s"));
    ConfigSnapshot read = StartTreeReader.read(file, mac("t"), mac("s"), full.version(),
        full.checksum(), keys -> null);
    for (String path : List.of("l", "e", "n.m")) {
      assertThat(read.leaves().get(path).made()).as(path).isFalse();
    }
    for (String path : List.of("l", "e", "n.m")) {
      ConfigValue got = read.leaves().get(path).value();
      ConfigValue want = full.leaves().get(path).value();
      assertThat(got).as(path).isInstanceOf(ConfigList.class);
      assertThat(got.render()).as(path).isEqualTo(want.render());
      assertThat(got.unwrapped()).as(path).isEqualTo(want.unwrapped());
      assertThat(got.origin().lineNumber()).as(path).isEqualTo(want.origin().lineNumber());
      ConfigList gotItems = (ConfigList) got;
      ConfigList wantItems = (ConfigList) want;
      for (int i = 0; i < wantItems.size(); i++) {
        assertThat(gotItems.get(i).origin().description()).as(path + "[" + i + "]")
            .isEqualTo(wantItems.get(i).origin().description());
      }
      assertThat(read.leaves().get(path).value()).as(path).isSameAs(got);
    }
    assertThat(read.config().root().render()).isEqualTo(full.config().root().render());
  }

  @Test
  void aListItemCutShortUnderAValidMacIsRefusedAtTheRead() throws Exception {
    assertRefused(true); // the string's length: past the end of the body
  }

  @Test
  void aListItemOfNoKindUnderAValidMacIsRefusedAtTheRead() throws Exception {
    assertRefused(false); // the item's kind byte (kind, file, line, length): a sealed leaf's
  }

  // Writes a tree whose one list holds "abcdef", changes one byte near that item's text as a
  // writer's bug would (the MAC made over the changed bytes), and expects the read to refuse it:
  // not a snapshot whose list fails when it is made.
  private void assertRefused(boolean length) throws Exception {
    Files.writeString(dir.resolve("application.conf"), "l = [\"abcdef\", 2]\n");
    Pipeline p = pipeline(dir, state);
    ConfigSnapshot full = build(p, dir);
    Path file = state.resolve(StartTree.NAME);
    StartTree.write(full, List.of(), file, mac("t"), mac("s"));
    byte[] b = Files.readAllBytes(file);
    byte[] body = java.util.Arrays.copyOf(b, b.length - StartTree.MAC_BYTES);
    int text = new String(body, StandardCharsets.ISO_8859_1).indexOf("abcdef");
    assertThat(text).isPositive();
    if (length) {
      assertThat(body[text - 1]).isEqualTo((byte) 6);
      body[text - 1] = 100;
    } else {
      assertThat(body[text - 4]).isEqualTo(StartTree.STRING);
      body[text - 4] = StartTree.SEALED;
    }
    byte[] signed = java.util.Arrays.copyOf(body, body.length + StartTree.MAC_BYTES);
    System.arraycopy(mac("t").doFinal(body), 0, signed, body.length, StartTree.MAC_BYTES);
    Files.write(file, signed);
    assertThatThrownBy(() -> StartTreeReader.read(file, mac("t"), mac("s"), full.version(),
        full.checksum(), keys -> null)).isInstanceOf(StartTreeReader.Broken.class);
  }
}
