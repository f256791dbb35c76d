package io.qcfg.internal.crypto;

import static io.qcfg.internal.crypto.KeyRingTest.problems;
import static org.assertj.core.api.Assertions.assertThat;

import io.qcfg.Problem;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ValueCipherTest {
  private static final String LOC = "config/secrets/db.conf:3";
  private static final String SECRET = "s3cr3t-p@ss wörd ✓";

  private final KeyRing ring = KeyRing.generate("k1");

  @Test
  void roundTripsAndWritesTheDocumentedFormat() {
    String enc = ValueCipher.encrypt(ring, "db.password", SECRET);
    assertThat(enc).matches("ENC\\[v1,k1,[A-Za-z0-9_-]+\\]").doesNotContain(SECRET);
    assertThat(EncryptedValue.isEncrypted(enc)).isTrue();
    assertThat(ValueCipher.decrypt(ring, LOC, "db.password", enc)).isEqualTo(SECRET);
    // IV (12) + ciphertext (UTF-8 length) + tag (16)
    byte[] raw = Base64.getUrlDecoder().decode(enc.substring(10, enc.length() - 1));
    assertThat(raw)
        .hasSize(12 + SECRET.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 16);
    // Spaces around the value are tolerated.
    assertThat(ValueCipher.decrypt(ring, LOC, "db.password", "  " + enc + " ")).isEqualTo(SECRET);
  }

  @Test
  void emptyPlaintextRoundTrips() {
    assertThat(ValueCipher.decrypt(ring, LOC, "a", ValueCipher.encrypt(ring, "a", ""))).isEmpty();
  }

  @Test
  void movingACiphertextToAnotherPathFails() {
    String enc = ValueCipher.encrypt(ring, "db.password", SECRET);
    Problem p = single(() -> ValueCipher.decrypt(ring, LOC, "log.url", enc));
    assertThat(p.id()).isEqualTo("QCFG-4013");
    assertThat(p.location()).isEqualTo(LOC);
    assertThat(p.path()).isEqualTo("log.url");
    assertThat(p.reason()).contains("key 'k1'", "another path");
    assertNoLeak(p, enc);
    // Nor does a path-bound value decrypt as "not bound".
    assertThat(single(() -> ValueCipher.decrypt(ring, LOC, "", enc)).id()).isEqualTo("QCFG-4013");
  }

  @Test
  void aValueEncryptedForTheEmptyPathDecryptsAnywhere() {
    String enc = ValueCipher.encrypt(ring, "", SECRET);
    assertThat(ValueCipher.decrypt(ring, LOC, "any.path", enc)).isEqualTo(SECRET);
    assertThat(ValueCipher.decrypt(ring, LOC, "", enc)).isEqualTo(SECRET);
  }

  @Test
  void everyTamperedByteFails() {
    String enc = ValueCipher.encrypt(ring, "p", SECRET);
    byte[] raw = Base64.getUrlDecoder().decode(enc.substring(10, enc.length() - 1));
    // IV, first ciphertext byte, last tag byte.
    for (int i : new int[] {0, 11, 12, raw.length - 1}) {
      byte[] bad = raw.clone();
      bad[i] ^= 1;
      String tampered =
          "ENC[v1,k1," + Base64.getUrlEncoder().withoutPadding().encodeToString(bad) + "]";
      Problem p = single(() -> ValueCipher.decrypt(ring, LOC, "p", tampered));
      assertThat(p.id()).as("byte %d", i).isEqualTo("QCFG-4013");
      assertNoLeak(p, tampered);
    }
  }

  @Test
  void wrongKeyWithTheSameIdFails() {
    String enc = ValueCipher.encrypt(KeyRing.generate("k1"), "p", SECRET);
    Problem p = single(() -> ValueCipher.decrypt(ring, LOC, "p", enc));
    assertThat(p.id()).isEqualTo("QCFG-4013");
    assertNoLeak(p, enc);
  }

  @Test
  void unknownKeyIdNamesTheIdAndTheKnownOnes() {
    String enc = ValueCipher.encrypt(KeyRing.generate("k9"), "p", SECRET);
    Problem p = single(() -> ValueCipher.decrypt(ring, LOC, "p", enc));
    assertThat(p)
        .hasToString(
            LOC
                + ": p: expected a key with id 'k9' in the key ring generated, found only k1"
                + " [QCFG-4012]");
  }

  @Test
  void rotationEncryptsWithTheNewKeyAndStillDecryptsTheOld() {
    String old = ValueCipher.encrypt(ring, "p", "old secret");
    KeyRing rotated = ring.rotate("k2");
    String fresh = ValueCipher.encrypt(rotated, "p", "new secret");
    assertThat(fresh).startsWith("ENC[v1,k2,");
    assertThat(ValueCipher.decrypt(rotated, LOC, "p", old)).isEqualTo("old secret");
    assertThat(ValueCipher.decrypt(rotated, LOC, "p", fresh)).isEqualTo("new secret");
    assertThat(single(() -> ValueCipher.decrypt(ring, LOC, "p", fresh)).id())
        .isEqualTo("QCFG-4012");
  }

  @Test
  void hundredThousandEncryptionsNeverRepeatAnIv() {
    Set<ByteBuffer> ivs = new HashSet<>();
    for (int i = 0; i < 100_000; i++) {
      String enc = ValueCipher.encrypt(ring, "p", "same plaintext");
      ivs.add(ByteBuffer.wrap(EncryptedValue.parse(enc, LOC, "p").iv()));
    }
    assertThat(ivs).hasSize(100_000);
  }

  @Test
  void malformedValuesAreReportedWithoutTheirData() {
    String data = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[40]);
    String[][] cases = {
      {"ENC[v1,k1," + data, "QCFG-4010", "no closing ']'"},
      {"ENC[v1," + data + "]", "QCFG-4010", "2 comma-separated fields instead of 3"},
      {"ENC[" + data + "]", "QCFG-4010", "1 comma-separated fields instead of 3"},
      {"ENC[x1,k1," + data + "]", "QCFG-4010", "first field that is not the format version"},
      {"ENC[v2,k1," + data + "]", "QCFG-4011", "found format v2"},
      {"ENC[v1,k 1," + data + "]", "QCFG-4010", "second field that is not a key id"},
      {"ENC[v1,k1," + data + "+/]", "QCFG-4010", "third field that is not base64url"},
      {"ENC[v1,k1,AAAA]", "QCFG-4010", "data of 3 bytes, shorter than the 28 bytes"},
      {"ENC[v1,k1,A]", "QCFG-4010", "third field that is not base64url"},
      {"plain", "QCFG-4010", "does not start with ENC["},
    };
    for (String[] c : cases) {
      Problem p = single(() -> ValueCipher.decrypt(ring, LOC, "a.b", c[0]));
      assertThat(p.id()).as(c[0]).isEqualTo(c[1]);
      assertThat(p.location()).isEqualTo(LOC);
      assertThat(p.path()).isEqualTo("a.b");
      assertThat(p.reason()).as(c[0]).contains(c[2]);
      assertThat(p.toString()).doesNotContain(data);
    }
  }

  @Test
  void loneSurrogateCannotBeEncrypted() {
    Problem p = single(() -> ValueCipher.encrypt(ring, "a", "x\uD800y"));
    assertThat(p.id()).isEqualTo("QCFG-4015");
    assertThat(p.path()).isEqualTo("a");
  }

  @Test
  void isEncryptedIsLooseOnPurpose() {
    assertThat(EncryptedValue.isEncrypted("ENC[")).isTrue();
    assertThat(EncryptedValue.isEncrypted("  ENC[v1")).isTrue();
    assertThat(EncryptedValue.isEncrypted("enc[v1,k,x]")).isFalse();
    assertThat(EncryptedValue.isEncrypted("my ENC[v1,k,x]")).isFalse();
    assertThat(EncryptedValue.isEncrypted(null)).isFalse();
  }

  @Test
  void encryptedValueToStringHidesData() {
    String enc = ValueCipher.encrypt(ring, "p", SECRET);
    EncryptedValue v = EncryptedValue.parse(enc, LOC, "p");
    assertThat(v.toString())
        .isEqualTo(
            "EncryptedValue[v1, key=k1, "
                + (SECRET.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 16)
                + " bytes]");
    assertThat(v.render()).isEqualTo(enc);
    assertThat(v).isEqualTo(EncryptedValue.parse(enc, "elsewhere", "q"));
  }

  private static Problem single(Runnable r) {
    var ps = problems(r);
    assertThat(ps).hasSize(1);
    return ps.get(0);
  }

  private static void assertNoLeak(Problem p, String enc) {
    String data = enc.substring(enc.lastIndexOf(',') + 1, enc.length() - 1);
    assertThat(p.toString()).doesNotContain(SECRET).doesNotContain(data);
  }
}
