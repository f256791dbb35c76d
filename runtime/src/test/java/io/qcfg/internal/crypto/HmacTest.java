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
  }

  private static byte[] jce(byte[] key, byte[] message) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return mac.doFinal(message);
  }
}
