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

/** The fast start's fingerprint file: read back as written, never trusted when not intact. */
@Timeout(30)
class StartInputsFileTest {
  static final byte[] KEY = "a key of the state directory....".getBytes(StandardCharsets.UTF_8);

  @TempDir Path tmp;

  StartInputsFile sample() {
    TreeMap<String, String> digests = new TreeMap<>();
    digests.put("file application.conf", "00ff");
    digests.put("file schema.json", "abcd");
    return new StartInputsFile(3, "c0ffee", "staging", List.of("app", "db"), List.of("PORT"),
        List.of("db.password", "**.token"), digests);
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
        new TreeMap<>());
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
  void aFileOfTheFormerFormatIsNotReadEvenWithAGoodMac() throws Exception {
    Path f = tmp.resolve(StartInputsFile.NAME);
    // Version 1 had no secret patterns: its snapshot would miss the schema's secrets.
    String body = "qcfg-start-inputs 1\nversion 3\nchecksum c0ffee\nenvironment c3RhZ2luZw\n"
        + "roots\nvariables\n";
    Files.writeString(f, withMac(body));
    assertThatThrownBy(() -> StartInputsFile.read(f, new Hmac(KEY)))
        .isInstanceOf(SealedFile.Broken.class).hasMessageContaining("format");
    String noPatterns = body.replace("qcfg-start-inputs 1", "qcfg-start-inputs 2");
    Files.writeString(f, withMac(noPatterns));
    assertThatThrownBy(() -> StartInputsFile.read(f, new Hmac(KEY)))
        .isInstanceOf(SealedFile.Broken.class).hasMessageContaining("format");
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
