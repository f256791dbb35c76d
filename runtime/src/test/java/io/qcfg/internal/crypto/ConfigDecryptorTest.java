package io.qcfg.internal.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigOrigin;
import io.qcfg.Problem;
import io.qcfg.QcfgException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigDecryptorTest {
  private final KeyRing ring = KeyRing.generate("k1");
  @TempDir Path dir;
  private Path file;
  private String dbEnc;
  private Config config;

  @BeforeEach
  void writeTree() throws Exception {
    dbEnc = ValueCipher.encrypt(ring, "db.password", "hunter22");
    String tokenEnc = ValueCipher.encrypt(ring, "api.tokens.1", "tok-en-2");
    String movedEnc = ValueCipher.encrypt(ring, "elsewhere", "moved-secret");
    file = dir.resolve("application.conf");
    Files.writeString(
        file,
        String.join(
            "\n",
            "db {", // 1
            "  user = app", // 2
            "  password = \"" + dbEnc + "\"", // 3
            "}", // 4
            "api.tokens = [ plain-token, \"" + tokenEnc + "\" ]", // 5
            "cache.key = \"" + movedEnc + "\"", // 6
            "broken = \"ENC[v1,k1,not base64!]\"", // 7
            "port = 8080", // 8
            ""));
    config = ConfigFactory.parseFile(file.toFile()).resolve();
  }

  @Test
  void decryptsObjectsAndListsAndReportsEveryBrokenValue() {
    ConfigDecryptor.Result r = ConfigDecryptor.decrypt(config, ring);

    Config out = r.config();
    assertThat(out.getString("db.password")).isEqualTo("hunter22");
    assertThat(out.getStringList("api.tokens")).containsExactly("plain-token", "tok-en-2");
    assertThat(out.getString("db.user")).isEqualTo("app");
    assertThat(out.getInt("port")).isEqualTo(8080);
    // Decrypted values keep where they came from.
    ConfigOrigin o = out.getValue("db.password").origin();
    assertThat(o.filename()).isEqualTo(file.toString());
    assertThat(o.lineNumber()).isEqualTo(3);
    assertThat(out.getList("api.tokens").get(1).origin().lineNumber()).isEqualTo(5);
    assertThat(out.getList("api.tokens").origin().lineNumber()).isEqualTo(5);
    // Failing values are left as they were.
    assertThat(out.getString("broken")).isEqualTo("ENC[v1,k1,not base64!]");

    assertThat(r.encryptedPaths())
        .containsExactly("api.tokens.1", "broken", "cache.key", "db.password");
    assertThat(r.ciphertexts()).contains(dbEnc).hasSize(4);
    assertThat(r.ok()).isFalse();
    assertThat(r.problems())
        .extracting(Problem::id, Problem::location, Problem::path)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("QCFG-4010", file + ":7", "broken"),
            org.assertj.core.groups.Tuple.tuple("QCFG-4013", file + ":6", "cache.key"));
    assertThat(r.problems().toString()).doesNotContain("moved-secret", "not base64!");
    assertThat(r.toString()).isEqualTo("ConfigDecryptor.Result[4 encrypted paths, 2 problems]");
  }

  @Test
  void aWholeValueCopyBySubstitutionDecrypts() {
    Config withCopy =
        ConfigFactory.parseString(
                "db.password = \"" + dbEnc + "\"\nreplica.password = ${db.password}")
            .resolve();
    ConfigDecryptor.Result r = ConfigDecryptor.decrypt(withCopy, ring);
    assertThat(r.problems()).isEmpty();
    assertThat(r.config().getString("replica.password")).isEqualTo("hunter22");
    assertThat(r.encryptedPaths()).containsExactly("db.password", "replica.password");
  }

  @Test
  void aMovedValueWithoutItsOriginalFails() {
    Config moved = ConfigFactory.parseString("replica.password = \"" + dbEnc + "\"").resolve();
    ConfigDecryptor.Result r = ConfigDecryptor.decrypt(moved, ring);
    assertThat(r.problems()).singleElement().extracting(Problem::id).isEqualTo("QCFG-4013");
  }

  @Test
  void withoutAKeyEveryEncValueIsAProblem() {
    ConfigDecryptor.Result r =
        ConfigDecryptor.decrypt(config, null, origin -> "L" + origin.lineNumber());
    assertThat(r.problems())
        .extracting(Problem::path)
        .containsExactly("api.tokens.1", "broken", "cache.key", "db.password");
    assertThat(r.problems()).allSatisfy(p -> assertThat(p.id()).isEqualTo("QCFG-4020"));
    assertThat(r.problems().get(3))
        .hasToString(
            "L3: db.password: expected a key to decrypt this ENC value for key 'k1', found no key"
                + " configured: set the key option (--key, -Dqcfg.key, QCFG_KEY) [QCFG-4020]");
    assertThat(r.problems().get(1).reason()).doesNotContain("for key");
    assertThat(r.config()).isSameAs(config);
  }

  @Test
  void aTreeWithoutEncValuesIsReturnedAsIs() {
    Config plain = ConfigFactory.parseString("a = 1, b = [x, {c = ENC}]").resolve();
    ConfigDecryptor.Result r = ConfigDecryptor.decrypt(plain, null);
    assertThat(r.config()).isSameAs(plain);
    assertThat(r.encryptedPaths()).isEmpty();
    assertThat(r.ok()).isTrue();
  }

  @Test
  void unresolvedConfigIsABug() {
    Config unresolved = ConfigFactory.parseString("a = ${b}, b = 1");
    assertThatThrownBy(() -> ConfigDecryptor.decrypt(unresolved, ring))
        .isInstanceOf(QcfgException.BugOrBroken.class);
  }

  @Test
  void quotedKeysAndNestedListsUseTheDocumentedPaths() {
    String enc = ValueCipher.encrypt(ring, "\"a.b\".list.0.1.x", "deep-secret");
    Config c = ConfigFactory.parseString("\"a.b\".list = [[1, {x = \"" + enc + "\"}]]").resolve();
    ConfigDecryptor.Result r = ConfigDecryptor.decrypt(c, ring);
    assertThat(r.problems()).isEmpty();
    assertThat(r.encryptedPaths()).containsExactly("\"a.b\".list.0.1.x");
    assertThat(r.config().getList("\"a.b\".list").render()).contains("deep-secret");
  }

  /**
   * decrypt remembers a tree in which no string holds "ENC[" so that embeddedCiphertexts need not
   * walk it again (issue 19 item 3); a tree that holds an ENC value only inside a longer text is
   * not such a tree, and one that was checked does not vouch for another.
   */
  @Test
  void theNoEncShortcutNeverHidesAnEmbeddedCiphertext() {
    Config clean = ConfigFactory.parseString("a = 1\nb = text\nc = [x, y]").resolve();
    ConfigDecryptor.Result r = ConfigDecryptor.decrypt(clean, ring);
    assertThat(r.config()).isSameAs(clean);
    assertThat(ConfigDecryptor.embeddedCiphertexts(r.config(), o -> "here")).isEmpty();

    Config embedded = ConfigFactory.parseString(
        "a = 1\nb = \"pre-" + dbEnc + "\"\nc = [x, y]").resolve();
    ConfigDecryptor.Result e = ConfigDecryptor.decrypt(embedded, ring);
    assertThat(e.encryptedPaths()).isEmpty();
    assertThat(ConfigDecryptor.embeddedCiphertexts(e.config(), o -> "here"))
        .extracting(Problem::id, Problem::path).containsExactly(
            org.assertj.core.groups.Tuple.tuple("QCFG-4021", "b"));
    assertThat(ConfigDecryptor.checkShapes(embedded, o -> "here").encryptedPaths()).isEmpty();
    // Checked again after the clean tree: still reported.
    ConfigDecryptor.decrypt(clean, ring);
    assertThat(ConfigDecryptor.embeddedCiphertexts(embedded, o -> "here")).hasSize(1);
  }
}
