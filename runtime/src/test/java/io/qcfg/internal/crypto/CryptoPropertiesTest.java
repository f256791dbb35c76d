package io.qcfg.internal.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import io.qcfg.QcfgException;
import java.util.Base64;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.NumericChars;
import net.jqwik.api.constraints.StringLength;

/**
 * Untrusted input (ENC values in config files, key ring text from a file or environment) ends in
 * success or a {@link QcfgException}, never another exception, and no message repeats what it was
 * given to decrypt.
 */
class CryptoPropertiesTest {
  private static final KeyRing RING = KeyRing.generate("k1");

  @Property(tries = 2000)
  void decryptOfAnyTextSucceedsOrFailsCleanly(@ForAll("encLike") String input) {
    try {
      ValueCipher.decrypt(RING, "f.conf:1", "a.b", input);
    } catch (QcfgException e) {
      assertThat(e.getMessage()).startsWith("invalid configuration: f.conf:1: a.b: ");
      String body = input.strip();
      int comma = body.lastIndexOf(',');
      String data = comma < 0 ? body : body.substring(comma + 1);
      // Short fragments may occur in the fixed text by chance ("v1", "k1"); longer ones must not.
      if (data.length() >= 8) {
        assertThat(e.getMessage()).doesNotContain(data);
      }
    }
  }

  @Property(tries = 500)
  void tamperedCiphertextNeverDecryptsAndNeverLeaks(
      @ForAll @StringLength(min = 4, max = 60) @AlphaChars @NumericChars String plaintext,
      @ForAll("positions") int position) {
    String enc = ValueCipher.encrypt(RING, "a.b", plaintext);
    byte[] raw = Base64.getUrlDecoder().decode(enc.substring(10, enc.length() - 1));
    raw[position % raw.length] ^= 0x40;
    String data = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    try {
      ValueCipher.decrypt(RING, "f.conf:1", "a.b", "ENC[v1,k1," + data + "]");
      throw new AssertionError("a tampered value decrypted");
    } catch (QcfgException.Invalid e) {
      assertThat(e.id()).isEqualTo("QCFG-4013");
      assertThat(e.getMessage()).doesNotContain(plaintext).doesNotContain(data);
    }
  }

  @Property(tries = 300)
  void anyUnicodeTextRoundTripsAtAnyPath(@ForAll String plaintext, @ForAll String path) {
    String clean =
        plaintext
            .codePoints()
            .filter(c -> c < 0xD800 || c > 0xDFFF)
            .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
            .toString();
    String enc = ValueCipher.encrypt(RING, path, clean);
    assertThat(ValueCipher.decrypt(RING, "x", path, enc)).isEqualTo(clean);
  }

  @Property(tries = 2000)
  void keyRingParseOfAnyTextSucceedsOrFailsCleanly(@ForAll("keyRingLike") String text) {
    try {
      KeyRing ring = KeyRing.parse(text, "QCFG_KEY");
      assertThat(ring.keyIds()).isNotEmpty();
    } catch (QcfgException.Invalid e) {
      assertThat(e.problems()).allSatisfy(p -> assertThat(p.location()).startsWith("QCFG_KEY"));
      // No key-like text (after the ':') is repeated, whatever it was.
      for (String line : text.split("\r\n|\r|\n")) {
        int colon = line.indexOf(':');
        String value = (colon < 0 ? line : line.substring(colon + 1)).strip();
        if (value.length() >= 8) {
          assertThat(e.getMessage()).doesNotContain(value);
        }
      }
    }
  }

  @Provide
  Arbitrary<String> encLike() {
    Arbitrary<String> field =
        Arbitraries.strings().withChars("v1k2AZaz09_-+/=, []E").ofMaxLength(60);
    Arbitrary<String> structured =
        Combinators.combine(
                Arbitraries.of("v1", "v2", "v", "", " v1 "),
                Arbitraries.of("k1", "k2", "", "k 1", "k1,"),
                Arbitraries.strings().withChars("ABCDEFabcdef0123456789_-=+/").ofMaxLength(80))
            .as((v, k, d) -> "ENC[" + v + "," + k + "," + d + "]");
    return Arbitraries.oneOf(
        Arbitraries.strings(),
        field.map(s -> "ENC[" + s),
        field.map(s -> "ENC[" + s + "]"),
        structured);
  }

  @Provide
  Arbitrary<String> keyRingLike() {
    Arbitrary<String> key =
        Arbitraries.integers()
            .between(0, 40)
            .map(n -> Base64.getEncoder().encodeToString(new byte[n]));
    Arbitrary<String> line =
        Arbitraries.oneOf(
            Combinators.combine(Arbitraries.of("a", "b", "", "a b", "#x"), key)
                .as((id, k) -> id + ":" + k),
            Arbitraries.strings().ofMaxLength(70),
            Arbitraries.of("", "# comment", "   "));
    return line.list().ofMaxSize(6).map(l -> String.join("\n", l));
  }

  @Provide
  Arbitrary<Integer> positions() {
    return Arbitraries.integers().between(0, 1000);
  }
}
