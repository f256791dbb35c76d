package io.qcfg.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qcfg.QcfgException;
import io.qcfg.internal.crypto.ForeignText;
import io.qcfg.internal.snapshot.ConfigSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19 item 3, eighth session: a reload skips the work whose inputs did not change (the
 * decode of an unchanged file, the schema's, the {@code ENC[} walk of unchanged subtrees, the
 * redactor's relearning of an unchanged secret layer). Each cache here must still see a change,
 * also one that keeps the file's size and modification time, and a pipeline that skipped gives
 * the checksum a fresh pipeline gives.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UnchangedInputsReloadTest {
  @TempDir Path dir;
  @TempDir Path state;

  static final String SCHEMA = """
      {"type": "object", "properties": {"a": {"type": "integer", "minimum": %d}}}
      """;

  @AfterEach
  void forgetSecrets() {
    ForeignText.forget();
  }

  Pipeline pipeline() {
    return SchemaPassReuseTest.pipeline(dir, state);
  }

  ConfigSnapshot build(Pipeline p) {
    return SchemaPassReuseTest.build(p, dir);
  }

  /** Writes a file of the configuration directory, and its folder. */
  Path write(String file, CharSequence text) throws Exception {
    Path path = dir.resolve(file);
    Files.createDirectories(path.getParent());
    return Files.writeString(path, text);
  }

  /** Writes {@code text} keeping the file's size (asserted) and its modification time. */
  static void replaceKeepingSizeAndTime(Path file, String text) throws Exception {
    FileTime time = Files.getLastModifiedTime(file);
    long size = Files.size(file);
    Files.writeString(file, text);
    Files.setLastModifiedTime(file, time);
    assertThat(Files.size(file)).isEqualTo(size);
  }

  /** The reloaded snapshot equals a fresh pipeline's build of the same files. */
  void assertSameAsFresh(ConfigSnapshot reloaded) {
    assertThat(reloaded.checksum()).isEqualTo(build(pipeline()).checksum());
  }

  @Test
  void aLayerFileReplacedWithTheSameSizeAndTimeIsSeen() throws Exception {
    write("application.conf", "a = 1\nb = x\n");
    write("environments/development.conf", "b = y\n");
    Pipeline p = pipeline();
    assertThat(build(p).getInt("a")).isEqualTo(1);
    replaceKeepingSizeAndTime(dir.resolve("application.conf"), "a = 2\nb = x\n");
    ConfigSnapshot reloaded = build(p);
    assertThat(reloaded.getInt("a")).isEqualTo(2);
    assertThat(reloaded.getString("b")).isEqualTo("y");
    assertSameAsFresh(reloaded);
  }

  @Test
  void anEditedSchemaFileIsSeenAlsoWithTheSameSizeAndTime() throws Exception {
    write("application.conf", "a = 5\n");
    write("schema.json", String.format(SCHEMA, 1));
    Pipeline p = pipeline();
    String checksum = build(p).checksum();
    assertThat(build(p).checksum()).as("nothing changed").isEqualTo(checksum);
    replaceKeepingSizeAndTime(dir.resolve("schema.json"), String.format(SCHEMA, 9));
    assertThatThrownBy(() -> build(p)).isInstanceOf(QcfgException.Invalid.class)
        .hasMessageContaining("a: 5 is not greater or equal to 9");
    replaceKeepingSizeAndTime(dir.resolve("schema.json"), String.format(SCHEMA, 2));
    assertSameAsFresh(build(p));
  }

  @Test
  void anEditedSecretIsLearnedByTheRedactor() throws Exception {
    write("application.conf", "a = 1\n");
    write("secrets/db.conf", "db.password = first-secret-1\n");
    Pipeline p = pipeline();
    build(p);
    assertThat(ForeignText.scrub("x first-secret-1 y")).doesNotContain("first-secret-1");
    build(p); // the same secret layer: not walked again, still known
    assertThat(ForeignText.scrub("x first-secret-1 y")).doesNotContain("first-secret-1");

    replaceKeepingSizeAndTime(dir.resolve("secrets/db.conf"), "db.password = other-secret-2\n");
    assertSameAsFresh(build(p));
    assertThat(ForeignText.scrub("x other-secret-2 y")).doesNotContain("other-secret-2");

    ForeignText.forget(); // what was known is gone: the same layer is learned again
    build(p);
    assertThat(ForeignText.scrub("x other-secret-2 y")).doesNotContain("other-secret-2");
  }

  @Test
  void aNewEncValueInAnUnchangedLookingFileIsSeen() throws Exception {
    String enc = "a = 1\nsvc { token = \"ENC[v1,k1,AAAAAAAAAAAAAAAAAAAAAAAAAAAA]\" }\n";
    String plain = enc.replace('[', '(').replace(']', ')'); // the same size, no "ENC["
    write("application.conf", plain);
    Pipeline p = pipeline();
    build(p);
    build(p); // every object of the tree now known free of "ENC["
    replaceKeepingSizeAndTime(dir.resolve("application.conf"), enc);
    assertThatThrownBy(() -> build(p)).isInstanceOf(QcfgException.Invalid.class)
        .satisfies(e -> assertThat(((QcfgException.Invalid) e).problems())
            .anySatisfy(pr -> assertThat(pr.path()).isEqualTo("svc.token")));
  }

  /** A one-leaf edit of a dotted override file: only the objects on its path are walked. */
  @Test
  void aReloadAsksAboutEncOnlyOnTheChangedPath() throws Exception {
    StringBuilder base = new StringBuilder();
    StringBuilder override = new StringBuilder();
    for (int m = 0; m < 3; m++) {
      base.append("module-").append(m).append(" {\n");
      for (int s = 0; s < 20; s++) {
        base.append("  section-").append(s).append(" { port = ").append(s).append(", name = n")
            .append(s).append(" }\n");
        override.append("module-").append(m).append(".section-").append(s).append(".port = ")
            .append(100 + s).append('\n');
      }
      base.append("}\n");
    }
    write("application.conf", base);
    Path env = write("environments/development.conf", override);
    Pipeline p = pipeline();
    build(p);
    assertThat(p.lastEncWalkedObjects()).isEqualTo(1 + 3 + 60);
    Files.writeString(env, override.toString()
        .replace("module-1.section-7.port = 107", "module-1.section-7.port = 7"));
    ConfigSnapshot reloaded = build(p);
    assertThat(reloaded.getInt("module-1.section-7.port")).isEqualTo(7);
    assertThat(p.lastEncWalkedObjects()).as("root, module-1, module-1.section-7").isEqualTo(3);
    assertSameAsFresh(reloaded);
  }
}
