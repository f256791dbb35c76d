package io.qcfg.internal.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link PureSha256} and {@link Sha256} against the FIPS 180-4 examples and, differentially,
 * against the JDK's MessageDigest, which they replace on the start path (issue 16): every
 * length around the block boundaries, fed whole or in random pieces.
 */
class Sha256Test {
  @Example
  void fipsExamples() {
    assertThat(pureHex("abc".getBytes(StandardCharsets.US_ASCII)))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assertThat(pureHex(new byte[0]))
        .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assertThat(pureHex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
        .getBytes(StandardCharsets.US_ASCII)))
        .isEqualTo("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    assertThat(pureHex(("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
        + "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu").getBytes(StandardCharsets.US_ASCII)))
        .isEqualTo("cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
    byte[] million = new byte[1_000_000];
    Arrays.fill(million, (byte) 'a');
    assertThat(pureHex(million))
        .isEqualTo("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  }

  @Example
  void aDigestResetsForTheNextMessage() {
    Sha256 s = Sha256.create();
    s.update("junk".getBytes(StandardCharsets.UTF_8));
    s.digest();
    s.update("abc".getBytes(StandardCharsets.UTF_8));
    assertThat(HexFormat.of().formatHex(s.digest())).isEqualTo(Sha256.hex("abc"));
  }

  @Example
  void theJdkDigestIsTakenOnlyWhenItAgrees() {
    try {
      Sha256.preferJdk();
      assertThat(Sha256.usesJdk()).isTrue();
      assertThat(Sha256.hex("abc"))
          .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    } finally {
      Sha256.select(false); // the other tests in this JVM exercise the pure digest
    }
  }

  @Property(tries = 400)
  void givesTheJdksBytesForAnyInputFedInAnyPieces(@ForAll("messages") byte[] message,
      @ForAll("cuts") List<Integer> cuts) throws Exception {
    byte[] expected = MessageDigest.getInstance("SHA-256").digest(message);
    PureSha256 pure = new PureSha256();
    int at = 0;
    for (int cut : cuts) { // pieces of random sizes, then the rest
      int n = Math.min(cut, message.length - at);
      pure.update(message, at, n);
      at += n;
    }
    pure.update(message, at, message.length - at);
    byte[] ours = new byte[32];
    pure.digest(ours, 0);
    assertThat(ours).isEqualTo(expected);
    pure.update(message, 0, message.length); // digest() reset it
    pure.digest(ours, 0);
    assertThat(ours).isEqualTo(expected);
    assertThat(Sha256.digest(message)).isEqualTo(expected); // whichever is selected now
  }

  @Provide
  Arbitrary<byte[]> messages() {
    Arbitrary<Integer> length = Arbitraries.oneOf(
        Arbitraries.of(0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 121, 127, 128, 129, 4096),
        Arbitraries.integers().between(0, 5000));
    return Combinators.combine(length, Arbitraries.longs()).as((n, seed) -> {
      byte[] b = new byte[n];
      new java.util.Random(seed).nextBytes(b);
      return b;
    });
  }

  @Provide
  Arbitrary<List<Integer>> cuts() {
    return Arbitraries.integers().between(0, 200).list().ofMaxSize(8);
  }

  private static String pureHex(byte[] bytes) {
    PureSha256 p = new PureSha256();
    p.update(bytes, 0, bytes.length);
    byte[] out = new byte[32];
    p.digest(out, 0);
    return HexFormat.of().formatHex(out);
  }
}
