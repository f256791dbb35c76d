package io.qcfg.internal.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The {@code ENC[} question of a reload walks only the objects new since the last build, and
 * answers as a walk of the whole tree does.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EncFreeSubtreesTest {
  static final String ENC = "ENC[v1,k1,AAAA]";

  @Test
  void aReloadWalksOnlyTheObjectsItDoesNotShare() {
    Config first = ConfigFactory.parseString("a { x = 1 }, b { y = 2 }, c { z = [{ w = 3 }] }");
    EncFreeSubtrees memo = new EncFreeSubtrees();
    assertThat(memo.mentionsEnc(first.root())).isFalse();
    assertThat(memo.walkedObjects()).isEqualTo(5); // root, a, b, c, the list's object
    assertThat(memo.knownFree(first.root())).isTrue();

    Config withEnc = first.withValue("b.y", ConfigValueFactory.fromAnyRef(ENC));
    assertThat(memo.mentionsEnc(withEnc.root())).isTrue();
    assertThat(memo.walkedObjects()).as("the root and b; a and c are shared").isEqualTo(2);
    assertThat(memo.knownFree(withEnc.root())).isFalse();

    Config inList = first.withValue("c.z", ConfigValueFactory.fromIterable(
        List.of(ConfigValueFactory.fromMap(java.util.Map.of("w", "x" + ENC)))));
    assertThat(memo.mentionsEnc(inList.root())).as("an ENC inside a list's object").isTrue();
    assertThat(memo.mentionsEnc(first.root())).isFalse();
  }

  /** Random chains of edits: the memo's answer is always a fresh walk's. */
  @Test
  void itAnswersAsAWalkOfTheWholeTree() {
    Random random = new Random(19);
    for (int chain = 0; chain < 200; chain++) {
      EncFreeSubtrees memo = new EncFreeSubtrees();
      Config tree = ConfigFactory.empty();
      for (int edit = 0; edit < 20; edit++) {
        String path = "m" + random.nextInt(3) + ".s" + random.nextInt(3) + ".k" + random.nextInt(3);
        Object value = switch (random.nextInt(4)) {
          case 0 -> ENC;
          case 1 -> List.of("plain", "a" + ENC);
          case 2 -> random.nextInt(10);
          default -> "plain";
        };
        tree = random.nextInt(6) == 0 ? tree.withoutPath(path)
            : tree.withValue(path, ConfigValueFactory.fromAnyRef(value));
        boolean expected = new EncFreeSubtrees().mentionsEnc(tree.root());
        assertThat(memo.mentionsEnc(tree.root())).isEqualTo(expected);
        assertThat(memo.knownFree(tree.root())).isEqualTo(!expected);
      }
    }
  }
}
