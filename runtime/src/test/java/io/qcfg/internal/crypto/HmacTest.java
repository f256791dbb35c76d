package io.qcfg.internal.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@link Hmac} against the JCE's HmacSHA256, which it replaces on the start-up path (issue 16). */
@Timeout(30)
class HmacTest {
  @Test
  void givesTheJcesBytesForEveryKeyLengthAroundTheBlockSize() throws Exception {
    Random random = new Random(16);
    for (int keyLength : new int[] {1, 16, 32, 63, 64, 65, 100, 200}) {
      byte[] key = new byte[keyLength];
      random.nextBytes(key);
      Hmac ours = new Hmac(key);
      for (int length : new int[] {0, 1, 55, 56, 64, 1000}) {
        byte[] message = new byte[length];
        random.nextBytes(message);
        assertThat(ours.doFinal(message)).as("key %d, message %d", keyLength, length)
            .isEqualTo(jce(key, message)); // reused: doFinal resets
      }
    }
  }

  /**
   * The keyed states restored after each MAC (pure digest) and the JDK digest's path that hashes
   * the key blocks again: both give the JCE's bytes, message after message, with updates in parts.
   */
  @Test
  void reusedWithPartsGivesTheJcesBytesOnBothDigests() throws Exception {
    boolean was = io.qcfg.internal.text.Sha256.usesJdk();
    try {
      for (boolean jdk : new boolean[] {false, true}) {
        io.qcfg.internal.text.Sha256Selection.select(jdk);
        Random random = new Random(jdk ? 2 : 1);
        for (int keyLength : new int[] {7, 32, 64, 65, 150}) {
          byte[] key = new byte[keyLength];
          random.nextBytes(key);
          Hmac ours = new Hmac(key);
          for (int m = 0; m < 40; m++) {
            byte[] message = new byte[random.nextInt(200)];
            random.nextBytes(message);
            int cut = message.length == 0 ? 0 : random.nextInt(message.length);
            ours.update(message, 0, cut);
            ours.update(java.util.Arrays.copyOfRange(message, cut, message.length));
            assertThat(ours.doFinal()).as("jdk %s, key %d, message %d", jdk, keyLength, m)
                .isEqualTo(jce(key, message));
          }
        }
      }
    } finally {
      io.qcfg.internal.text.Sha256Selection.select(was);
    }
  }

  /**
   * A copy (what {@link ChecksumKey#derivedMac} hands out) is an HMAC under the same key whatever
   * its prototype was given, on either digest and across a switch between them, and the two never
   * share a running state: each gives the JCE's bytes while the other is half way.
   */
  @Test
  void aCopyIsAFreshHmacUnderTheSameKeyOnBothDigests() throws Exception {
    boolean was = io.qcfg.internal.text.Sha256.usesJdk();
    try {
      Random random = new Random(3);
      for (boolean madeJdk : new boolean[] {false, true}) {
        for (boolean copiedJdk : new boolean[] {false, true}) {
          for (int keyLength : new int[] {5, 32, 64, 65, 130}) {
            byte[] key = new byte[keyLength];
            random.nextBytes(key);
            io.qcfg.internal.text.Sha256Selection.select(madeJdk);
            Hmac prototype = new Hmac(key);
            prototype.update(new byte[] {1, 2, 3}); // not the copy's
            io.qcfg.internal.text.Sha256Selection.select(copiedJdk);
            Hmac a = prototype.copy();
            Hmac b = prototype.copy();
            byte[] m1 = new byte[random.nextInt(300)];
            byte[] m2 = new byte[random.nextInt(300)];
            random.nextBytes(m1);
            random.nextBytes(m2);
            a.update(m1, 0, m1.length / 2);
            assertThat(b.doFinal(m2)).isEqualTo(jce(key, m2));
            a.update(m1, m1.length / 2, m1.length - m1.length / 2);
            assertThat(a.doFinal()).as("made jdk %s, copied jdk %s, key %d", madeJdk, copiedJdk,
                keyLength).isEqualTo(jce(key, m1));
            assertThat(a.doFinal(m2)).isEqualTo(jce(key, m2)); // a copy resets as any other
            assertThat(prototype.doFinal()).isEqualTo(jce(key, new byte[] {1, 2, 3}));
          }
        }
      }
    } finally {
      io.qcfg.internal.text.Sha256Selection.select(was);
    }
  }

  /** A purpose's derived MAC is the same fresh HMAC at every call, whichever call made it. */
  @Test
  void derivedMacsAreFreshHmacsUnderTheDerivedKey(@TempDir Path state) throws Exception {
    byte[] key = new byte[32];
    new Random(9).nextBytes(key);
    Files.writeString(state.resolve(ChecksumKey.FILE), HexFormat.of().formatHex(key) + "\n");
    ChecksumKey k = ChecksumKey.of(null, state);
    byte[] derived = jce(key, "qcfg start inputs v1".getBytes(StandardCharsets.UTF_8));
    byte[] message = "file application.conf".getBytes(StandardCharsets.UTF_8);
    Hmac first = k.derivedMac("qcfg start inputs v1");
    first.update(new byte[] {9, 9}); // left half way: the next one is fresh all the same
    Hmac second = k.derivedMac("qcfg start inputs v1");
    assertThat(second.doFinal(message)).isEqualTo(jce(derived, message));
    assertThat(first.doFinal(message)).isNotEqualTo(jce(derived, message));
    assertThat(k.derivedMac("qcfg start tree file v1").doFinal(message))
        .isEqualTo(jce(jce(key, "qcfg start tree file v1".getBytes(StandardCharsets.UTF_8)),
            message));
  }

  @Test
  void aSealedSecretIsTheJcesHmacUnderTheStateDirsKey(@TempDir Path state) throws Exception {
    byte[] key = new byte[32];
    new Random(7).nextBytes(key);
    Files.writeString(state.resolve(ChecksumKey.FILE), HexFormat.of().formatHex(key) + "\n");
    ChecksumKey k = ChecksumKey.of(null, state);
    byte[] text = "db.password\u0000\"hunter2\"".getBytes(StandardCharsets.UTF_8);

    assertThat(k.seal("db.password", "\"hunter2\""))
        .isEqualTo("hmac-sha256:" + HexFormat.of().formatHex(jce(key, text)));
    assertThat(k.seal("db.password", "\"hunter2\"")).isEqualTo(k.seal("db.password", "\"hunter2\""));
    StringBuilder json = new StringBuilder("x");
    k.appendSealedJson(json, "db.pässword", "[1,2]");
    assertThat(json.toString()).isEqualTo("x" + com.typesafe.config.impl.ConfigImplUtil
        .renderJsonString(k.seal("db.pässword", "[1,2]")));
  }

  private static byte[] jce(byte[] key, byte[] message) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return mac.doFinal(message);
  }
}
