package io.qcfg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.qcfg.internal.crypto.KeyRing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code keygen}, {@code encrypt} and {@code decrypt}. */
class KeyCommandsTest {
  static final String PLAIN = "canary-Pl4in";

  @TempDir Path root;

  static CliRun run(String... args) {
    return CliRun.of(args);
  }

  Path keygen(String id) {
    Path key = root.resolve("keys/" + id + ".ring");
    assertThat(run("keygen", "--id", id, "--out", key.toString()).status()).isZero();
    return key;
  }

  String encrypt(Path key, String path, String value) {
    CliRun r = run("encrypt", "--key", key.toString(), "--path", path, value);
    assertThat(r.status()).isZero();
    return r.out().trim();
  }

  @Test
  void keygenWritesAnOwnerOnlyRingNamedForTodayAndNeverOverwritesIt() throws Exception {
    Path key = root.resolve("secret/dir/qcfg.key");
    CliRun r = run("keygen", "--out", key.toString());
    assertThat(r.status()).isZero();
    String today = "k" + LocalDate.now(ZoneOffset.UTC).format(DateTimeFormatter.BASIC_ISO_DATE);
    assertThat(r.out())
        .isEqualTo("wrote key ring " + key + " (owner-only) with key '" + today + "'\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
        .isEqualTo("rw-------");
    assertThat(KeyRing.load(key).keyIds()).containsExactly(today);
    String before = Files.readString(key);

    CliRun again = run("keygen", "--out", key.toString());
    assertThat(again.status()).isEqualTo(1);
    assertThat(again.err())
        .isEqualTo(
            "qcfg keygen: "
                + key
                + ": already exists; use --rotate to add a new key to it, or another --out"
                + " [QCFG-5225]\n");
    assertThat(Files.readString(key)).isEqualTo(before);
  }

  @Test
  void keygenWithoutOutPrintsTheRing() {
    CliRun r = run("keygen", "--id", "k1");
    assertThat(r.status()).isZero();
    assertThat(KeyRing.parse(r.out(), "stdout").keyIds()).containsExactly("k1");
    assertThat(r.err()).contains("readable by its owner only").doesNotContain(r.out().strip());
  }

  @Test
  void rotateAddsANewPrimaryAndOldValuesStillDecrypt() throws Exception {
    Path key = keygen("k1");
    String old = encrypt(key, "db.password", PLAIN);
    assertThat(old).startsWith("ENC[v1,k1,");

    CliRun r = run("keygen", "--rotate", "--id", "k2", "--out", key.toString());
    assertThat(r.status()).isZero();
    assertThat(r.out())
        .startsWith("added key 'k2' to " + key + " as the primary key; keys now k2, k1.");
    assertThat(KeyRing.load(key).keyIds()).containsExactly("k2", "k1");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
        .isEqualTo("rw-------");
    assertThat(encrypt(key, "db.password", PLAIN)).startsWith("ENC[v1,k2,");
    CliRun decrypted =
        run("decrypt", "--key", key.toString(), "--path", "db.password", "--i-am-an-operator", old);
    assertThat(decrypted.out()).isEqualTo(PLAIN + "\n");

    String ring = Files.readString(key);
    CliRun twice = run("keygen", "--rotate", "--id", "k1", "--out", key.toString());
    assertThat(twice.status()).isEqualTo(2);
    assertThat(twice.err()).contains("key id 'k1' is already in the ring").contains("[QCFG-5227]");
    assertThat(Files.readString(key)).isEqualTo(ring);
  }

  @Test
  void keygenUsageErrors() {
    CliRun noOut = run("keygen", "--rotate");
    assertThat(noOut.status()).isEqualTo(2);
    assertThat(noOut.err()).contains("[QCFG-5226]");
    CliRun nothing = run("keygen", "--rotate", "--out", root.resolve("none").toString());
    assertThat(nothing.status()).isEqualTo(1);
    assertThat(nothing.err()).contains("no key ring to rotate").contains("[QCFG-5226]");
    assertThat(root.resolve("none")).doesNotExist();
    CliRun badId = run("keygen", "--id", "no spaces", "--out", root.resolve("k").toString());
    assertThat(badId.status()).isEqualTo(2);
    assertThat(badId.err()).contains("key id: expected 1 to 64 characters").contains("QCFG-0001");
    assertThat(root.resolve("k")).doesNotExist();
  }

  @Test
  void encryptBindsToThePathAndSaysSo() {
    Path key = keygen("k1");
    CliRun r = run("encrypt", "--key", key.toString(), "--path", "db.password", PLAIN);
    assertThat(r.status()).isZero();
    assertThat(r.out()).matches("ENC\\[v1,k1,[A-Za-z0-9_-]+\\]\\n");
    assertThat(r.err())
        .isEqualTo(
            "encrypt: with key 'k1', bound to path 'db.password': it decrypts only at that path\n");
    String enc = r.out().trim();

    CliRun elsewhere =
        run(
            "decrypt",
            "--key",
            key.toString(),
            "--path",
            "other.password",
            "--i-am-an-operator",
            enc);
    assertThat(elsewhere.status()).isEqualTo(1);
    assertThat(elsewhere.err())
        .startsWith("qcfg decrypt: ")
        .contains("argument: other.password: cannot decrypt with key 'k1'")
        .contains("[QCFG-4013]");
    assertThat(elsewhere.all()).doesNotContain(PLAIN).doesNotContain(enc.substring(9));

    CliRun unbound = run("encrypt", "--key", key.toString(), PLAIN);
    assertThat(unbound.err()).contains("not bound to a path: it decrypts under any path");
    CliRun anywhere =
        run(
            "decrypt",
            "--key",
            key.toString(),
            "--path",
            "x.y",
            "--i-am-an-operator",
            unbound.out().trim());
    assertThat(anywhere.out()).isEqualTo(PLAIN + "\n");
  }

  @Test
  void valuesMayComeFromStdin() {
    Path key = keygen("k1");
    CliRun enc =
        CliRun.withInput(PLAIN + "\n", "encrypt", "--key", key.toString(), "--path", "a.b", "-");
    assertThat(enc.status()).isZero();
    CliRun dec =
        CliRun.withInput(
            enc.out(),
            "decrypt",
            "--key",
            key.toString(),
            "--path",
            "a.b",
            "--i-am-an-operator",
            "-");
    assertThat(dec.status()).isZero();
    assertThat(dec.out()).isEqualTo(PLAIN + "\n");

    CliRun empty = CliRun.withInput("\n", "encrypt", "--key", key.toString(), "-");
    assertThat(empty.status()).isEqualTo(2);
    assertThat(empty.err())
        .isEqualTo("qcfg encrypt: expected a value on stdin, found none [QCFG-5229]\n");
  }

  @Test
  void decryptNeedsTheOperatorFlagAndAPathAndNeverShowsTheValue() {
    Path key = keygen("k1");
    String enc = encrypt(key, "db.password", PLAIN);
    CliRun noFlag = run("decrypt", "--key", key.toString(), "--path", "db.password", enc);
    assertThat(noFlag.status()).isEqualTo(2);
    assertThat(noFlag.err())
        .isEqualTo(
            "qcfg decrypt: decrypt prints a secret in plaintext: add --i-am-an-operator to confirm"
                + " that you may see it [QCFG-5230]\n");
    assertThat(noFlag.out()).isEmpty();

    CliRun noPath = run("decrypt", "--key", key.toString(), "--i-am-an-operator", enc);
    assertThat(noPath.status()).isEqualTo(2);
    assertThat(noPath.err()).contains("decrypt needs --path P").contains("[QCFG-5232]");

    CliRun malformed =
        run(
            "decrypt",
            "--key",
            key.toString(),
            "--path",
            "p",
            "--i-am-an-operator",
            "ENC[v1,k1," + PLAIN);
    assertThat(malformed.status()).isEqualTo(1);
    assertThat(malformed.err()).contains("[QCFG-4010]");

    CliRun wrongKey =
        run(
            "decrypt",
            "--key",
            keygen("k9").toString(),
            "--path",
            "db.password",
            "--i-am-an-operator",
            enc);
    assertThat(wrongKey.status()).isEqualTo(1);
    assertThat(wrongKey.err()).contains("expected a key with id 'k1'").contains("[QCFG-4012]");

    for (CliRun r : List.of(noFlag, noPath, malformed, wrongKey)) {
      assertThat(r.all()).doesNotContain(PLAIN).doesNotContain(enc.substring(9));
    }
  }

  @Test
  void unreadableCommandLinesOfSecretVerbsAreNotEchoed() {
    Path key = keygen("k1");
    CliRun extra = run("encrypt", "--key", key.toString(), PLAIN, PLAIN + "2");
    assertThat(extra.status()).isEqualTo(2);
    assertThat(extra.err())
        .isEqualTo(
            "qcfg encrypt: cannot read the command line (arguments are not shown: one may be a"
                + " secret); expected qcfg encrypt --key FILE [--path P] VALUE|- [QCFG-5231]\n");
    CliRun option = run("decrypt", "--" + PLAIN, "ENC[v1,k1,abc]");
    assertThat(option.status()).isEqualTo(2);
    assertThat(option.err()).contains("--i-am-an-operator").contains("[QCFG-5231]");
    assertThat(extra.all() + option.all()).doesNotContain(PLAIN).doesNotContain("abc");
  }

  @Test
  void withoutAKeyTheVerbSaysHowToMakeOne() {
    CliRun r = run("encrypt", PLAIN);
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "qcfg encrypt: encrypt needs a key ring: --key FILE or QCFG_KEY (create one with"
                + " 'qcfg keygen --out FILE') [QCFG-5228]\n");
    CliRun missing = run("encrypt", "--key", root.resolve("nope").toString(), PLAIN);
    assertThat(missing.status()).isEqualTo(1);
    assertThat(missing.err()).contains(root.resolve("nope").toString()).contains("[QCFG-4001]");
    assertThat(r.all() + missing.all()).doesNotContain(PLAIN);
  }
}
