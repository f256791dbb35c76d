package io.qcfg.internal.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link Hmac} (over the pure SHA-256) against RFC 4231's HMAC-SHA-256 test cases and,
 * differentially, against javax.crypto.Mac: keys shorter than, equal to and longer than the
 * 64-byte block, messages around the block boundaries.
 */
class HmacPropertiesTest {
  private static final HexFormat HEX = HexFormat.of();

  @Example
  void rfc4231TestCases() {
    byte[] key20 = new byte[20];
    Arrays.fill(key20, (byte) 0x0b);
    check(key20, ascii("Hi There"),
        "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    check(ascii("Jefe"), ascii("what do ya want for nothing?"),
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    byte[] keyAa = filled(20, 0xaa);
    check(keyAa, filled(50, 0xdd),
        "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe");
    check(HEX.parseHex("0102030405060708090a0b0c0d0e0f10111213141516171819"), filled(50, 0xcd),
        "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b");
    byte[] tc5 = new Hmac(filled(20, 0x0c)).doFinal(ascii("Test With Truncation"));
    assertThat(HEX.formatHex(tc5, 0, 16)).isEqualTo("a3b6167473100ee06e0c796c2955552b");
    byte[] key131 = filled(131, 0xaa);
    check(key131, ascii("Test Using Larger Than Block-Size Key - Hash Key First"),
        "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
    check(key131, ascii("This is a test using a larger than block-size key and a larger than"
        + " block-size data. The key needs to be hashed before being used by the HMAC algorithm."),
        "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
  }

  @Property(tries = 300)
  void givesTheJcesBytes(@ForAll("keys") byte[] key, @ForAll("messages") byte[] message)
      throws Exception {
    Mac jce = Mac.getInstance("HmacSHA256");
    jce.init(new SecretKeySpec(key, "HmacSHA256"));
    byte[] expected = jce.doFinal(message);
    Hmac ours = new Hmac(key);
    assertThat(ours.doFinal(message)).isEqualTo(expected);
    int half = message.length / 2; // in two pieces, after doFinal's reset
    ours.update(message, 0, half);
    ours.update(Arrays.copyOfRange(message, half, message.length));
    assertThat(ours.doFinal()).isEqualTo(expected);
  }

  @Provide
  Arbitrary<byte[]> keys() {
    return bytes(Arbitraries.oneOf(Arbitraries.of(1, 32, 63, 64, 65, 128, 200),
        Arbitraries.integers().between(1, 300)));
  }

  @Provide
  Arbitrary<byte[]> messages() {
    return bytes(Arbitraries.oneOf(Arbitraries.of(0, 55, 56, 63, 64, 119, 120),
        Arbitraries.integers().between(0, 5000)));
  }

  private static Arbitrary<byte[]> bytes(Arbitrary<Integer> length) {
    return Combinators.combine(length, Arbitraries.longs()).as((n, seed) -> {
      byte[] b = new byte[n];
      new java.util.Random(seed).nextBytes(b);
      return b;
    });
  }

  private static void check(byte[] key, byte[] message, String expected) {
    assertThat(HEX.formatHex(new Hmac(key).doFinal(message))).isEqualTo(expected);
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] filled(int n, int value) {
    byte[] b = new byte[n];
    Arrays.fill(b, (byte) value);
    return b;
  }
}
