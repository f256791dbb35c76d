package io.qcfg.internal.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qcfg.internal.crypto.Hmac;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fast start's fingerprint file: read back as written (with the files' identities), never
 * trusted when not intact, and an older qcfg's intact file known as such, never misread.
 */
@Timeout(30)
class StartInputsFileTest {
  static final byte[] KEY = "a key of the state directory....".getBytes(StandardCharsets.UTF_8);

  @TempDir Path tmp;

  StartInputsFile sample() {
    TreeMap<String, String> digests = new TreeMap<>();
    digests.put("file application.conf", "00ff");
    digests.put("file schema.json", "abcd");
    TreeMap<String, String> identities = new TreeMap<>();
    identities.put("file schema.json", "s12:m1764900000123456789:c1764900000123456789:d2049:i77");
    return new StartInputsFile(3, "c0ffee", "staging", List.of("app", "db"), List.of("PORT"),
        List.of("db.password", "**.token"), digests, identities);
  }

  @Test
  void readsBackWhatItWrote() throws Exception {
    Path f = tmp.resolve(StartInputsFile.NAME);
    sample().write(f, new Hmac(KEY));
    assertThat(StartInputsFile.read(f, new Hmac(KEY))).isEqualTo(sample());
  }

  @Test
  void noSecretPatternsIsAnEmptyList() throws Exception {
    Path f = tmp.resolve(StartInputsFile.NAME);
    StartInputsFile none = new StartInputsFile(1, "c", "e", List.of(), List.of(), List.of(),
        new TreeMap<>(), new TreeMap<>());
    none.write(f, new Hmac(KEY));
    assertThat(StartInputsFile.read(f, new Hmac(KEY)).secretPatterns()).isEmpty();
  }

  @Test
  void anEditedSecretPatternIsNotTrusted() throws Exception {
    Path f = tmp.resolve(StartInputsFile.NAME);
    sample().write(f, new Hmac(KEY));
    String text = Files.readString(f);
    int at = text.indexOf("secret-patterns ") + "secret-patterns ".length();
    Files.writeString(f, text.substring(0, at) + "X" + text.substring(at + 1));
    assertThatThrownBy(() -> StartInputsFile.read(f, new Hmac(KEY)))
        .isInstanceOf(SealedFile.Broken.class).hasMessageContaining("integrity");
  }

  @Test
  void aFileOfAFormerFormatIsNotReadEvenWithAGoodMac() throws Exception {
    Path f = tmp.resolve(StartInputsFile.NAME);
    // Format 1 had no secret patterns (its snapshot would miss the schema's secrets), format 2 no
    // identities; a format-2 digest line read as format 3 would be a file always read: harmless,
    // but an older file is not read at all.
    String body = "qcfg-start-inputs 1\nversion 3\nchecksum c0ffee\nenvironment c3RhZ2luZw\n"
        + "roots\nvariables\n";
    Files.writeString(f, withMac(body));
    assertThatThrownBy(() -> StartInputsFile.read(f, new Hmac(KEY)))
        .isInstanceOf(StartInputsFile.OlderFormat.class).hasMessage("format 1");
    String two = body.replace("qcfg-start-inputs 1", "qcfg-start-inputs 2")
        + "secret-patterns\ndigest ZmlsZSBhcHBsaWNhdGlvbi5jb25m 00ff\n";
    Files.writeString(f, withMac(two));
    assertThatThrownBy(() -> StartInputsFile.read(f, new Hmac(KEY)))
        .isInstanceOf(StartInputsFile.OlderFormat.class).hasMessage("format 2");
  }

  @Test
  void anOlderMagicUnderABadMacIsNotIntactRatherThanOlder() throws Exception {
    Path f = tmp.resolve(StartInputsFile.NAME);
    Files.writeString(f, "qcfg-start-inputs 2\nversion 3\nmac " + "00".repeat(32) + "\n");
    assertThatThrownBy(() -> StartInputsFile.read(f, new Hmac(KEY)))
        .isInstanceOf(SealedFile.Broken.class).hasMessageContaining("integrity");
  }

  @Test
  void anUnknownFormatOrAMalformedDigestLineIsNotTrusted() throws Exception {
    Path f = tmp.resolve(StartInputsFile.NAME);
    sample().write(f, new Hmac(KEY));
    String body = Files.readString(f);
    body = body.substring(0, body.lastIndexOf("mac "));
    Files.writeString(f, withMac(body.replace("qcfg-start-inputs 3", "qcfg-start-inputs 4")));
    assertThatThrownBy(() -> StartInputsFile.read(f, new Hmac(KEY)))
        .isInstanceOf(SealedFile.Broken.class).hasMessageContaining("format");
    Files.writeString(f, withMac(body.replace(" 00ff", " 00ff x y")));
    assertThatThrownBy(() -> StartInputsFile.read(f, new Hmac(KEY)))
        .isInstanceOf(SealedFile.Broken.class).hasMessageContaining("format");
  }

  @Test
  void identitiesAreOfDigestedInputsAndOneWordEach() {
    TreeMap<String, String> digests = new TreeMap<>(java.util.Map.of("file a.conf", "00"));
    assertThatThrownBy(() -> new StartInputsFile(1, "c", "e", List.of(), List.of(), List.of(),
        digests, new TreeMap<>(java.util.Map.of("file b.conf", "s1"))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new StartInputsFile(1, "c", "e", List.of(), List.of(), List.of(),
        digests, new TreeMap<>(java.util.Map.of("file a.conf", "s1 m2"))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anEditedIdentityIsNotTrusted() throws Exception {
    // An identity made to match a changed file would let it pass unread: the MAC covers it.
    Path f = tmp.resolve(StartInputsFile.NAME);
    sample().write(f, new Hmac(KEY));
    String text = Files.readString(f);
    assertThat(text).contains(" s12:m1764900000123456789:");
    Files.writeString(f, text.replace(" s12:m1764900000123456789:", " s12:m1764900000123456788:"));
    assertThatThrownBy(() -> StartInputsFile.read(f, new Hmac(KEY)))
        .isInstanceOf(SealedFile.Broken.class).hasMessageContaining("integrity");
  }

  @Test
  void aTruncatedFileIsNotTrusted() throws Exception {
    Path f = tmp.resolve(StartInputsFile.NAME);
    sample().write(f, new Hmac(KEY));
    byte[] b = Files.readAllBytes(f);
    Files.write(f, java.util.Arrays.copyOf(b, b.length - 10));
    assertThatThrownBy(() -> StartInputsFile.read(f, new Hmac(KEY)))
        .isInstanceOf(SealedFile.Broken.class);
  }

  private static String withMac(String body) {
    return body + "mac " + HexFormat.of().formatHex(
        new Hmac(KEY).doFinal(body.getBytes(StandardCharsets.UTF_8))) + "\n";
  }
}
