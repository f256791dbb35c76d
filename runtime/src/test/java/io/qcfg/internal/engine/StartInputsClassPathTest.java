package io.qcfg.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.qcfg.internal.QcfgOptions;
import io.qcfg.internal.crypto.Hmac;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The class path's part of the fast start's fingerprint, read from {@code java.class.path}
 * without opening a jar: a jar counts by its size and time, a directory by its reference.conf.
 */
@Timeout(30)
class StartInputsClassPathTest {
  @TempDir Path tmp;
  private StartInputs inputs;
  private Path jar;
  private Path classes;
  private String classPath;

  @BeforeEach
  void setUp() throws Exception {
    QcfgOptions options = QcfgOptions.resolve(
        Map.of("dir", tmp.resolve("config").toString()), new Properties(), Map.of());
    inputs = new StartInputs(options, ClassLoader.getSystemClassLoader(),
        () -> new Hmac(new byte[32]));
    jar = Files.write(tmp.resolve("lib.jar"), new byte[] {1, 2, 3});
    classes = Files.createDirectories(tmp.resolve("classes"));
    Files.writeString(classes.resolve("reference.conf"), "lib.a = 1\n");
    Files.writeString(classes.resolve("other.conf"), "x = 1\n");
    classPath = jar + File.pathSeparator + classes;
  }

  private String digest() throws Exception {
    return inputs.classPath(classPath);
  }

  @Test
  void theSameClassPathGivesTheSameDigest() throws Exception {
    assertThat(digest()).isEqualTo(digest()).hasSize(64);
  }

  @Test
  void aJarOfAnotherSizeOrTimeChangesIt() throws Exception {
    String before = digest();
    Files.write(jar, new byte[] {1, 2, 3, 4});
    Files.setLastModifiedTime(jar, FileTime.fromMillis(1_000_000));
    String bigger = digest();
    assertThat(bigger).isNotEqualTo(before);
    Files.setLastModifiedTime(jar, FileTime.fromMillis(2_000_000));
    assertThat(digest()).isNotEqualTo(bigger);
  }

  @Test
  void aDirectoryCountsByItsReferenceConfOnly() throws Exception {
    String before = digest();
    Files.writeString(classes.resolve("other.conf"), "x = 2\n");
    assertThat(digest()).isEqualTo(before);
    Files.writeString(classes.resolve("reference.conf"), "lib.a = 2\n");
    String edited = digest();
    assertThat(edited).isNotEqualTo(before);
    Files.delete(classes.resolve("reference.conf"));
    assertThat(digest()).isNotEqualTo(edited).isNotEqualTo(before);
  }

  @Test
  void entriesCountInTheirOrderAndMissingOnesAreStable() throws Exception {
    String before = digest();
    classPath = classes + File.pathSeparator + jar;
    assertThat(digest()).isNotEqualTo(before);
    classPath = tmp.resolve("missing.jar").toString();
    String missing = digest();
    assertThat(digest()).isEqualTo(missing);
    Files.write(tmp.resolve("missing.jar"), new byte[] {9});
    assertThat(digest()).isNotEqualTo(missing);
  }
}
