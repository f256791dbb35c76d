package io.qcfg.internal.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file's settled identity (issue 16, the fast restart's stat pre-check): the racy rule, and
 * every way of rewriting a file with the same size and modification time changes it.
 */
@Timeout(30)
class FileIdentityTest {
  static final long LATER = 10_000; // ms: "read" well after the margin, without waiting for it

  @TempDir Path tmp;
  Path file;

  @BeforeEach
  void unixOnly() throws Exception {
    assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("unix"));
    file = Files.writeString(tmp.resolve("application.conf"), "port = 8080\n");
  }

  @Test
  void theRacyRuleWantsBothTimesOlderThanTheReadByTheMargin() {
    long readAt = 1_764_900_000_000L;
    long margin = FileIdentity.RACY_MARGIN_NANOS;
    long at = readAt * 1_000_000L;
    assertThat(FileIdentity.settled(at - margin - 1, at - margin - 1, readAt)).isTrue();
    assertThat(FileIdentity.settled(at - margin, at - margin - 1, readAt)).isFalse();
    assertThat(FileIdentity.settled(at - margin - 1, at - margin, readAt)).isFalse();
    assertThat(FileIdentity.settled(at + 5, at - 2 * margin, readAt)).isFalse(); // a future mtime
  }

  @Test
  void aFileWrittenJustBeforeItsReadHasNoSettledIdentity() {
    assertThat(FileIdentity.settled(file, System.currentTimeMillis())).isNull();
    assertThat(FileIdentity.settled(file, System.currentTimeMillis() + LATER))
        .matches("s12:m\\d+:c\\d+:d\\d+:i\\d+");
  }

  @Test
  void anEditOfTheSameSizeWithItsTimePutBackChangesIt() throws Exception {
    FileTime mtime = Files.getLastModifiedTime(file);
    String before = FileIdentity.settled(file, System.currentTimeMillis() + LATER);
    Files.writeString(file, "port = 9090\n");
    Files.setLastModifiedTime(file, mtime); // touch -d: the status-change time moves on
    assertThat(Files.getLastModifiedTime(file)).isEqualTo(mtime);
    assertThat(Files.size(file)).isEqualTo(12);
    assertThat(FileIdentity.settled(file, System.currentTimeMillis() + LATER))
        .isNotNull().isNotEqualTo(before);
  }

  @Test
  void aFileReplacedByRenameWithTheSameSizeAndTimeIsAnotherFile() throws Exception {
    FileTime mtime = Files.getLastModifiedTime(file);
    String before = FileIdentity.settled(file, System.currentTimeMillis() + LATER);
    Path next = Files.writeString(tmp.resolve("application.conf.tmp"), "port = 9090\n");
    Files.setLastModifiedTime(next, mtime);
    Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    String after = FileIdentity.settled(file, System.currentTimeMillis() + LATER);
    assertThat(after).isNotNull().isNotEqualTo(before);
    assertThat(inode(after)).isNotEqualTo(inode(before));
  }

  @Test
  void anUntouchedFileKeepsIt() {
    long readAt = System.currentTimeMillis() + LATER;
    assertThat(FileIdentity.settled(file, readAt)).isEqualTo(FileIdentity.settled(file, readAt))
        .isEqualTo(FileIdentity.of(file));
  }

  private static String inode(String identity) {
    return identity.substring(identity.lastIndexOf(":i"));
  }
}
