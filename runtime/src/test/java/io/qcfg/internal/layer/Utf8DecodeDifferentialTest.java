package io.qcfg.internal.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qcfg.QcfgException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link LayerFileReader#decode} (the JDK's lenient decode, strict only where it put a U+FFFD)
 * against the JDK's strict UTF-8 decoder, differentially: the same text, or both refuse (then
 * QCFG-1004 naming the file and line). Any bytes; UTF-8 of any text (U+FFFD, surrogate pairs and
 * lone surrogates included); valid text with bad bytes spliced in.
 */
class Utf8DecodeDifferentialTest {

  @Property(tries = 3000)
  void decodesAsTheStrictDecoderOrRefusesAsIt(@ForAll("bytes") byte[] bytes) {
    String strict;
    try {
      strict = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      assertThatThrownBy(() -> LayerFileReader.decode(bytes, "application.conf"))
          .isInstanceOf(QcfgException.Invalid.class)
          .hasMessageContaining("application.conf:")
          .hasMessageContaining("QCFG-1004");
      return;
    }
    assertThat(LayerFileReader.decode(bytes, "application.conf")).isEqualTo(strict);
  }

  @Provide
  Arbitrary<byte[]> bytes() {
    Arbitrary<String> text = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(40),
        Arbitraries.strings().withChars("a=1\n\"\uFFFD\u00e9\u20ac\uD83D\uDE00\uD800\uDC00")
            .ofMaxLength(40));
    Arbitrary<byte[]> utf8 = text.map(s -> s.getBytes(StandardCharsets.UTF_8));
    Arbitrary<byte[]> spliced = utf8.flatMap(b -> Arbitraries.of(List.of(
        new byte[] {(byte) 0xC3}, new byte[] {(byte) 0xFF}, new byte[] {(byte) 0xED,
            (byte) 0xA0, (byte) 0x80}, new byte[] {(byte) 0xEF, (byte) 0xBF, (byte) 0xBD},
        new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
        new byte[] {(byte) 0xC0, (byte) 0xAF})).map(bad -> {
          byte[] out = new byte[b.length + bad.length];
          int at = b.length / 2;
          System.arraycopy(b, 0, out, 0, at);
          System.arraycopy(bad, 0, out, at, bad.length);
          System.arraycopy(b, at, out, at + bad.length, b.length - at);
          return out;
        }));
    return Arbitraries.oneOf(Arbitraries.bytes().array(byte[].class).ofMaxSize(40), utf8,
        spliced);
  }
}
