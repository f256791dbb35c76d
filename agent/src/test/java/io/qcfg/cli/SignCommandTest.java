package io.qcfg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sign} (and {@code sign --keygen}) and {@code verify-signature}. */
class SignCommandTest {
  @TempDir Path root;
  Path dir;
  String d;
  Path prefix;

  @BeforeEach
  void config() throws Exception {
    dir = root.resolve("config");
    d = dir.toString();
    write("application.conf", "http.port = 8080\n");
    write("environments/production.conf", "http.port = 9090\n");
    write("secrets/db.password", "canary-SIG\n");
    prefix = root.resolve("keys/signing");
  }

  void write(String name, String text) throws Exception {
    Path p = dir.resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
  }

  static CliRun run(String... args) {
    return CliRun.of(args);
  }

  CliRun keygen(Path prefix) {
    CliRun r = run("sign", "--keygen", "--out", prefix.toString());
    assertThat(r.status()).isZero();
    return r;
  }

  @Test
  void keygenWritesAPairAndNeverOverwritesIt() throws Exception {
    CliRun r = keygen(prefix);
    Path key = root.resolve("keys/signing.key");
    Path pub = root.resolve("keys/signing.pub");
    assertThat(r.out())
        .isEqualTo(
            "wrote "
                + key
                + " (private, owner-only: keep it off the servers)\nwrote "
                + pub
                + " (public: for the JVMs that verify the signature)\n");
    assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----\n");
    assertThat(Files.readString(pub)).startsWith("-----BEGIN PUBLIC KEY-----\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
        .isEqualTo("rw-------");
    String before = Files.readString(key);
    CliRun again = run("sign", "--keygen", "--out", prefix.toString());
    assertThat(again.status()).isEqualTo(1);
    assertThat(again.err()).contains(key + ": already exists").contains("[QCFG-5240]");
    assertThat(Files.readString(key)).isEqualTo(before);
  }

  @Test
  void signThenVerifyThenTamper() throws Exception {
    keygen(prefix);
    String key = prefix + ".key";
    String pub = prefix + ".pub";
    CliRun signed = run("sign", "--dir", d, "--key", key);
    assertThat(signed.status()).isZero();
    assertThat(signed.out())
        .isEqualTo(
            "signed "
                + d
                + ": sequence 1, 3 files; signature in "
                + dir.resolve(".qcfg-signature")
                + "\n");
    CliRun ok = run("verify-signature", "--dir", d, "--public-key", pub);
    assertThat(ok.status()).isZero();
    assertThat(ok.out())
        .matches("signature OK: \\Q" + d + "\\E is as signed at sequence 1 \\(\\S+Z\\)\\n");

    write("environments/production.conf", "http.port = 9091\n");
    write("environments/qa.conf", "http.port = 1\n");
    CliRun bad = run("verify-signature", "--dir", d, "--public-key", pub);
    assertThat(bad.status()).isEqualTo(1);
    assertThat(bad.out().split("\\R"))
        .hasSize(3)
        .contains("signature INVALID: " + d + ": 2 problems [QCFG-5241]")
        .anyMatch(
            l ->
                l.startsWith("  " + dir.resolve("environments/production.conf"))
                    && l.endsWith("[QCFG-4053]"))
        .anyMatch(
            l ->
                l.startsWith("  " + dir.resolve("environments/qa.conf"))
                    && l.endsWith("[QCFG-4054]"));

    assertThat(run("sign", "--dir", d, "--key", key).out()).contains(": sequence 2, 4 files;");
    assertThat(run("verify-signature", "--dir", d, "--public-key", pub).status()).isZero();

    Path other = root.resolve("other");
    keygen(other);
    CliRun foreign = run("verify-signature", "--dir", d, "--public-key", other + ".pub");
    assertThat(foreign.status()).isEqualTo(1);
    assertThat(foreign.out()).contains("[QCFG-4052]");
    assertThat(signed.all() + ok.all() + bad.all() + foreign.all()).doesNotContain("canary");
  }

  @Test
  void anUnsignedDirectoryAndABadKeyAreNamed() throws Exception {
    keygen(prefix);
    CliRun unsigned = run("verify-signature", "--dir", d, "--public-key", prefix + ".pub");
    assertThat(unsigned.status()).isEqualTo(1);
    assertThat(unsigned.out())
        .contains("  " + dir.resolve(".qcfg-signature") + ": expected a signed configuration")
        .contains("[QCFG-4050]");

    Path junk = root.resolve("junk.key");
    Files.writeString(junk, "not a key at all\n");
    CliRun badKey = run("sign", "--dir", d, "--key", junk.toString());
    assertThat(badKey.status()).isEqualTo(1);
    assertThat(badKey.err()).contains(junk.toString()).contains("[QCFG-4058]");
    assertThat(badKey.all()).doesNotContain("not a key at all");
    assertThat(dir.resolve(".qcfg-signature")).doesNotExist();
  }

  @Test
  void usageErrors() {
    String[][] cases = {
      {"QCFG-5239", "sign", "--dir", d},
      {"QCFG-5238", "sign", "--keygen"},
      {"QCFG-5238", "sign", "--dir", d, "--out", "x"},
      {"QCFG-5238", "sign", "--keygen", "--out", "x", "--key", "y"},
    };
    for (String[] c : cases) {
      CliRun r = run(java.util.Arrays.copyOfRange(c, 1, c.length));
      assertThat(r.status()).as(String.join(" ", c)).isEqualTo(2);
      assertThat(r.err())
          .as(String.join(" ", c))
          .startsWith("qcfg sign: ")
          .endsWith("[" + c[0] + "]\n");
    }
    CliRun noKey = run("verify-signature", "--dir", d);
    assertThat(noKey.status()).isEqualTo(2);
    assertThat(noKey.err()).contains("Missing required option: '--public-key=FILE'");
  }
}
