package io.qcfg.internal.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qcfg.Problem;
import io.qcfg.QcfgException;
import io.qcfg.internal.log.Log;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyRingTest {
  private static final String K1 = b64(1);
  private static final String K2 = b64(2);

  static String b64(int fill) {
    byte[] k = new byte[32];
    java.util.Arrays.fill(k, (byte) fill);
    return Base64.getEncoder().encodeToString(k);
  }

  static List<Problem> problems(Runnable r) {
    try {
      r.run();
    } catch (QcfgException.Invalid e) {
      return e.problems();
    }
    throw new AssertionError("expected QcfgException.Invalid");
  }

  @Test
  void parsesKeysCommentsBlankLinesAndSpaces() {
    KeyRing ring =
        KeyRing.parse(
            "# header\n\n  new-key : " + K2 + "  \r\nold.key_1:" + K1 + "\n# trailing\n", "keys");
    assertThat(ring.keyIds()).containsExactly("new-key", "old.key_1");
    assertThat(ring.primaryKeyId()).isEqualTo("new-key");
    assertThat(ring.source()).isEqualTo("keys");
    assertThat(ring.key("old.key_1")).isPresent();
    assertThat(ring.key("nope")).isEmpty();
  }

  @Test
  void acceptsUrlSafeAndUnpaddedBase64() {
    byte[] raw = new byte[32];
    raw[0] = (byte) 0xfb; // '+/' territory in the standard alphabet
    raw[1] = (byte) 0xff;
    String url = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    KeyRing ring = KeyRing.parse("k:" + url, "QCFG_KEY");
    assertThat(ring.key("k").orElseThrow().getEncoded()).isEqualTo(raw);
  }

  @Test
  void reportsEveryBadLineWithLocationAndNeverTheKey() {
    String shortKey = Base64.getEncoder().encodeToString(new byte[16]);
    String text =
        String.join(
            "\n",
            "good:" + K1,
            K2, // a bare key, no id
            "bad id!:" + K2,
            "k3:not*base64",
            "k4:" + shortKey,
            "good:" + K2,
            ":" + K2);
    List<Problem> problems = problems(() -> KeyRing.parse(text, "/etc/qcfg/keys"));
    assertThat(problems)
        .extracting(Problem::id, Problem::location)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("QCFG-4002", "/etc/qcfg/keys:2"),
            org.assertj.core.groups.Tuple.tuple("QCFG-4003", "/etc/qcfg/keys:3"),
            org.assertj.core.groups.Tuple.tuple("QCFG-4004", "/etc/qcfg/keys:4"),
            org.assertj.core.groups.Tuple.tuple("QCFG-4005", "/etc/qcfg/keys:5"),
            org.assertj.core.groups.Tuple.tuple("QCFG-4006", "/etc/qcfg/keys:6"),
            org.assertj.core.groups.Tuple.tuple("QCFG-4003", "/etc/qcfg/keys:7"));
    assertThat(problems.get(0).reason()).contains("<keyId>:<base64 of 32 bytes>", "without ':'");
    assertThat(problems.get(1).reason()).contains("key id", "7 other characters");
    assertThat(problems.get(2).reason()).contains("'k3'", "base64");
    assertThat(problems.get(3).reason()).contains("'k4'", "expected 32 bytes", "found 16");
    assertThat(problems.get(4).reason()).contains("'good'", "twice");
    assertThat(problems.get(5).reason()).contains("found nothing");
    String all = problems.toString();
    assertThat(all).doesNotContain(K1, K2, shortKey, "not*base64");
  }

  @Test
  void emptyTextHasNoKey() {
    List<Problem> problems = problems(() -> KeyRing.parse("# only a comment\n\n", "QCFG_KEY"));
    assertThat(problems)
        .singleElement()
        .hasToString(
            "QCFG_KEY: expected at least one line <keyId>:<base64 of 32 bytes>, found none"
                + " [QCFG-4007]");
  }

  @Test
  void loadsFileAndReportsUnreadableFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("keys");
    Files.writeString(file, "a:" + K1 + "\n");
    assertThat(KeyRing.load(file).keyIds()).containsExactly("a");

    Path missing = dir.resolve("absent");
    assertThat(problems(() -> KeyRing.load(missing)))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.id()).isEqualTo("QCFG-4001");
              assertThat(p.location()).isEqualTo(missing.toString());
              assertThat(p.reason()).contains("cannot read the key file", "NoSuchFileException");
            });

    Path binary = dir.resolve("binary");
    Files.write(binary, new byte[] {(byte) 0xff, (byte) 0xfe, 0});
    assertThat(problems(() -> KeyRing.load(binary)))
        .singleElement()
        .satisfies(p -> assertThat(p.reason()).contains("expected UTF-8 text"));
  }

  @Test
  void warnsOnceWhenOthersCanReadTheKeyFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("keys");
    Files.writeString(file, "a:" + K1 + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Log.redirect(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      KeyRing.load(file);
      KeyRing.load(file);
    } finally {
      Log.redirect(System.err);
    }
    String log = err.toString(StandardCharsets.UTF_8);
    assertThat(log).contains(file + ": the key file is readable by other users [QCFG-4008]");
    assertThat(log.lines()).hasSize(1);
    assertThat(log).doesNotContain(K1);

    Path privateFile = dir.resolve("private");
    Files.writeString(privateFile, "a:" + K1 + "\n");
    Files.setPosixFilePermissions(privateFile, PosixFilePermissions.fromString("rw-------"));
    err.reset();
    Log.redirect(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      KeyRing.load(privateFile);
    } finally {
      Log.redirect(System.err);
    }
    assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void generateRenderParseRoundTripAndRotation() {
    KeyRing first = KeyRing.generate("k2024");
    KeyRing back = KeyRing.parse(first.render(), "rendered");
    assertThat(back.keyIds()).containsExactly("k2024");
    assertThat(back.key("k2024").orElseThrow().getEncoded())
        .isEqualTo(first.key("k2024").orElseThrow().getEncoded());

    KeyRing rotated = first.rotate("k2025");
    assertThat(rotated.keyIds()).containsExactly("k2025", "k2024");
    assertThat(rotated.key("k2025").orElseThrow().getEncoded())
        .hasSize(32)
        .isNotEqualTo(first.key("k2024").orElseThrow().getEncoded());
    assertThat(first.keyIds()).containsExactly("k2024"); // unchanged
  }

  @Test
  void badGeneratedIdsAreRefused() {
    assertThatThrownBy(() -> KeyRing.generate("has space"))
        .isInstanceOf(QcfgException.BadOption.class)
        .hasMessageContaining("key id")
        .hasMessageContaining("QCFG-0001");
    KeyRing ring = KeyRing.generate("a");
    assertThatThrownBy(() -> ring.rotate("a"))
        .isInstanceOf(QcfgException.BadOption.class)
        .hasMessageContaining("already in the key ring");
  }

  @Test
  void toStringShowsIdsButNoKeyMaterial() {
    KeyRing ring = KeyRing.parse("a:" + K1 + "\nb:" + K2, "keys");
    assertThat(ring.toString()).isEqualTo("KeyRing[keys, keys=[a, b]]").doesNotContain(K1, K2);
  }
}
