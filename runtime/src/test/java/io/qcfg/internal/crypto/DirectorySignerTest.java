package io.qcfg.internal.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import io.qcfg.Problem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectorySignerTest {
  private static final KeyPair KEYS = DirectorySigner.generateKeyPair();

  @TempDir Path dir;
  private Path sigFile;

  @BeforeEach
  void configDirectory() throws Exception {
    write("application.conf", "http.port = 8080\n");
    write("environments/production.conf", "http.port = 80\n");
    write("environments/staging.conf.peb", "x = {{ env }}\n");
    write("secrets/db.password", "hunter2");
    write("schema.json", "{}");
    write("rules.conf", "rules = []\n");
    write("migrations/0001-rename.conf", "from = 1\n");
    write("README.md", "not signed");
    write(".git/config", "hidden");
    write("local.conf~", "editor backup");
    sigFile = dir.resolve(".qcfg-signature");
  }

  @Test
  void signWritesTheDocumentedManifestAndVerifies() throws Exception {
    DirectorySigner.sign(dir, KEYS.getPrivate(), 7, Instant.parse("2025-03-01T10:15:30.123Z"));
    List<String> lines = Files.readAllLines(sigFile);
    assertThat(lines.subList(0, 3))
        .containsExactly("qcfg-signature v1", "sequence 7", "signed-at 2025-03-01T10:15:30Z");
    assertThat(lines.subList(3, lines.size() - 1))
        .extracting(l -> l.substring(70))
        .containsExactly(
            "application.conf",
            "environments/production.conf",
            "environments/staging.conf.peb",
            "migrations/0001-rename.conf",
            "rules.conf",
            "schema.json",
            "secrets/db.password");
    assertThat(lines.get(3)).matches("file [0-9a-f]{64} application\\.conf");
    assertThat(lines.get(lines.size() - 1)).startsWith("signature ");

    DirectorySigner.Verification v = DirectorySigner.verify(dir, KEYS.getPublic(), 7);
    assertThat(v.problems()).isEmpty();
    assertThat(v.ok()).isTrue();
    assertThat(v.sequence()).isEqualTo(7);
    assertThat(v.signedAt()).isEqualTo(Instant.parse("2025-03-01T10:15:30Z"));
  }

  @Test
  void signCountsTheSequenceUp() {
    assertThat(DirectorySigner.sign(dir, KEYS.getPrivate())).isEqualTo(1);
    assertThat(DirectorySigner.sign(dir, KEYS.getPrivate())).isEqualTo(2);
    assertThat(DirectorySigner.verify(dir, KEYS.getPublic(), 2).sequence()).isEqualTo(2);
  }

  @Test
  void unsignedFilesAndHiddenEntriesMayChange() throws Exception {
    DirectorySigner.sign(dir, KEYS.getPrivate());
    write("README.md", "edited");
    write(".git/HEAD", "new");
    write("notes.txt", "new");
    write(".application.conf.swp", "swap");
    assertThat(DirectorySigner.verify(dir, KEYS.getPublic(), 0).problems()).isEmpty();
  }

  @Test
  void changedAddedAndRemovedFilesAreEachReported() throws Exception {
    DirectorySigner.sign(dir, KEYS.getPrivate());
    write("application.conf", "http.port = 8081\n");
    write("environments/evil.conf", "x = 1\n");
    write("secrets/api.token", "new secret");
    Files.delete(dir.resolve("rules.conf"));

    List<Problem> problems = DirectorySigner.verify(dir, KEYS.getPublic(), 0).problems();
    assertThat(problems)
        .extracting(Problem::id, Problem::location)
        .containsExactly(
            Tuple.tuple("QCFG-4053", dir.resolve("application.conf").toString()),
            Tuple.tuple("QCFG-4054", dir.resolve("environments/evil.conf").toString()),
            Tuple.tuple("QCFG-4055", dir.resolve("rules.conf").toString()),
            Tuple.tuple("QCFG-4054", dir.resolve("secrets/api.token").toString()));
    assertThat(problems.get(0).reason())
        .startsWith("expected the content signed at sequence 1 (SHA-256 ")
        .contains("found it changed");
    assertThat(problems.get(1).reason()).contains("found this one added");
    assertThat(problems.get(2).reason()).contains("found it removed");
    assertThat(problems.toString()).doesNotContain("hunter2", "new secret");
  }

  @Test
  void anotherKeyOrAnEditedManifestIsABadSignature() throws Exception {
    DirectorySigner.sign(dir, KEYS.getPrivate());
    KeyPair other = DirectorySigner.generateKeyPair();
    assertThat(DirectorySigner.verify(dir, other.getPublic(), 0).problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.id()).isEqualTo("QCFG-4052");
              assertThat(p.location()).isEqualTo(sigFile + ":11");
              assertThat(p.reason()).contains("does not match");
            });

    // Someone edits a file and puts its new hash into the manifest.
    write("application.conf", "http.port = 1\n");
    String text = Files.readString(sigFile);
    String forged =
        text.replaceFirst(
            "file [0-9a-f]{64} application.conf", "file " + "0".repeat(64) + " application.conf");
    Files.writeString(sigFile, forged);
    DirectorySigner.Verification v = DirectorySigner.verify(dir, KEYS.getPublic(), 0);
    assertThat(v.problems()).extracting(Problem::id).containsExactly("QCFG-4052");
    assertThat(v.sequence()).isEqualTo(-1);
  }

  @Test
  void anOlderSignedDirectoryIsAReplay() throws Exception {
    DirectorySigner.sign(dir, KEYS.getPrivate());
    String oldSignature = Files.readString(sigFile);
    String oldContent = Files.readString(dir.resolve("application.conf"));
    write("application.conf", "http.port = 9090\n");
    DirectorySigner.sign(dir, KEYS.getPrivate());
    long accepted = DirectorySigner.verify(dir, KEYS.getPublic(), 0).sequence();
    assertThat(accepted).isEqualTo(2);

    // Put the old, validly signed state back.
    write("application.conf", oldContent);
    Files.writeString(sigFile, oldSignature);
    List<Problem> problems = DirectorySigner.verify(dir, KEYS.getPublic(), accepted).problems();
    assertThat(problems)
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.id()).isEqualTo("QCFG-4056");
              assertThat(p.location()).isEqualTo(sigFile.toString());
              assertThat(p.reason()).startsWith("expected signature sequence 2 or later, found 1");
            });
  }

  @Test
  void unsignedAndMalformedSignatureFiles() throws Exception {
    assertThat(DirectorySigner.verify(dir, KEYS.getPublic(), 0).problems())
        .singleElement()
        .hasToString(
            sigFile
                + ": expected a signed configuration directory, found no signature file"
                + " [QCFG-4050]");

    DirectorySigner.sign(dir, KEYS.getPrivate());
    String text = Files.readString(sigFile);
    Files.writeString(sigFile, text.substring(0, text.lastIndexOf("signature ")));
    assertThat(DirectorySigner.verify(dir, KEYS.getPublic(), 0).problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.id()).isEqualTo("QCFG-4051");
              assertThat(p.reason()).startsWith("expected a last line 'signature <base64>'");
            });

    Files.writeString(sigFile, text.replace("\nsignature ", "\nsignature !!!"));
    assertThat(DirectorySigner.verify(dir, KEYS.getPublic(), 0).problems())
        .extracting(Problem::id)
        .containsExactly("QCFG-4052");

    Files.writeString(sigFile, "");
    assertThat(DirectorySigner.verify(dir, KEYS.getPublic(), 0).problems())
        .extracting(Problem::id, Problem::location)
        .containsExactly(Tuple.tuple("QCFG-4051", sigFile + ":1"));
  }

  @Test
  void kubernetesSecretVolumeLinksAreFollowed() throws Exception {
    write("secrets/..2025_01_01/api.token", "t0ken-v1");
    Files.createSymbolicLink(dir.resolve("secrets/..data"), Path.of("..2025_01_01"));
    Files.createSymbolicLink(dir.resolve("secrets/api.token"), Path.of("..data/api.token"));
    DirectorySigner.sign(dir, KEYS.getPrivate());
    assertThat(Files.readString(sigFile)).contains(" secrets/api.token\n").doesNotContain("..data");
    assertThat(DirectorySigner.verify(dir, KEYS.getPublic(), 0).ok()).isTrue();

    write("secrets/..2025_01_01/api.token", "t0ken-v2");
    assertThat(DirectorySigner.verify(dir, KEYS.getPublic(), 0).problems())
        .extracting(Problem::id, Problem::location)
        .containsExactly(Tuple.tuple("QCFG-4053", dir.resolve("secrets/api.token").toString()));
  }

  @Test
  void keyFilesRoundTripAsPem() throws Exception {
    Path priv = dir.resolve("signing.key");
    Path pub = dir.resolve("signing.pub");
    DirectorySigner.writePrivate(priv, KEYS.getPrivate());
    DirectorySigner.writePublic(pub, KEYS.getPublic());
    assertThat(Files.readString(priv))
        .startsWith("-----BEGIN PRIVATE KEY-----\n")
        .endsWith("\n-----END PRIVATE KEY-----\n");
    assertThat(Files.readString(pub)).startsWith("-----BEGIN PUBLIC KEY-----\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(priv)))
        .isEqualTo("rw-------");

    DirectorySigner.sign(dir, DirectorySigner.readPrivate(priv));
    assertThat(DirectorySigner.verify(dir, DirectorySigner.readPublic(pub), 0).ok()).isTrue();

    // Bare base64 works too.
    Path bare = dir.resolve("bare.pub");
    Files.writeString(bare, Base64.getEncoder().encodeToString(KEYS.getPublic().getEncoded()));
    assertThat(DirectorySigner.readPublic(bare)).isEqualTo(KEYS.getPublic());
  }

  @Test
  void badKeyFilesNameTheFileButNotTheContent() throws Exception {
    Path pub = dir.resolve("signing.pub");
    DirectorySigner.writePublic(pub, KEYS.getPublic());
    Path missing = dir.resolve("absent.key");
    Path garbage = dir.resolve("garbage.key");
    Files.writeString(garbage, "not a key at all");

    assertThat(KeyRingTest.problems(() -> DirectorySigner.readPrivate(pub)))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.id()).isEqualTo("QCFG-4058");
              assertThat(p.location()).isEqualTo(pub.toString());
              assertThat(p.reason()).contains("expected '-----BEGIN PRIVATE KEY-----'");
            });
    assertThat(KeyRingTest.problems(() -> DirectorySigner.readPrivate(missing)))
        .singleElement()
        .satisfies(p -> assertThat(p.reason()).contains("cannot read the key file"));
    assertThat(KeyRingTest.problems(() -> DirectorySigner.readPublic(garbage)))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.reason()).contains("expected an Ed25519 public key");
              assertThat(p.toString()).doesNotContain("not a key at all");
            });
  }

  private void write(String rel, String content) throws Exception {
    Path p = dir.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
  }
}
