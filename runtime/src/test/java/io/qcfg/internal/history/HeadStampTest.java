package io.qcfg.internal.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qcfg.internal.crypto.Hmac;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * History's newest head without reading the entry (issue 16): a stamp serves only while the newest
 * entry file is the very file it was taken from; every other case reads the entry, so a wrong
 * head is never trusted. The stamp file itself is sealed like the fingerprint.
 */
@Timeout(30)
class HeadStampTest {
  static final byte[] KEY = "a key of the state directory....".getBytes(StandardCharsets.UTF_8);

  @TempDir Path state;
  /** Writes {@code versions} entries and returns the stamp the writer knows for the newest. */
  HeadStamp written(int versions) {
    HistoryStore h = HistoryStore.open(state, 10);
    for (int v = 1; v <= versions; v++) {
      h.append(HistoryStoreTest.entry(v));
    }
    return h.newestStamp().orElseThrow();
  }

  Path entryFile(long version) {
    return state.resolve("history").resolve(HistoryStore.fileName(version));
  }

  static HistoryStore.Head headOf(long version) {
    HistoryEntry e = HistoryStoreTest.entry(version);
    return new HistoryStore.Head(e.version(), e.checksum(), e.environment());
  }

  @Test
  void theWriterKnowsTheStampAndARestartTakesTheHeadFromIt() {
    HeadStamp stamp = written(2);
    assertThat(stamp.head()).isEqualTo(headOf(2));
    HistoryStore reopened = HistoryStore.open(state, 10);
    assertThat(reopened.headIfStamped(stamp)).contains(headOf(2));
    assertThat(reopened.head()).contains(headOf(2));
    assertThat(reopened.newestStamp()).contains(stamp);
  }

  @Test
  void aHeadReadFromAnUnchangedEntryCanBeStamped() {
    HeadStamp stamp = written(1);
    HistoryStore reopened = HistoryStore.open(state, 10);
    assertThat(reopened.newestStamp()).isEmpty(); // nothing known yet
    assertThat(reopened.head()).contains(headOf(1)); // read from the entry
    assertThat(reopened.newestStamp()).contains(stamp);
  }

  @Test
  void aNewerEntryFromAnotherProcessARollbackOrBeforeACrashIsRead() {
    HeadStamp stamp = written(1);
    // The CLI, an older qcfg, a rollback; or this process, which crashed before it stamped it.
    HistoryStore other = HistoryStore.open(state, 10);
    other.append(HistoryStoreTest.entry(2));
    HistoryStore reopened = HistoryStore.open(state, 10);
    assertThat(reopened.headIfStamped(stamp)).isEmpty();
    assertThat(reopened.head()).contains(headOf(2));
  }

  @Test
  void aLostNewestEntryIsNotTakenFromTheStamp() throws Exception {
    HeadStamp stamp = written(2);
    Files.delete(entryFile(2));
    HistoryStore reopened = HistoryStore.open(state, 10);
    assertThat(reopened.headIfStamped(stamp)).isEmpty();
    assertThat(reopened.head()).contains(headOf(1));
  }

  @Test
  void anEntryEditedInPlaceWithItsSizeAndTimeRestoredIsRead() throws Exception {
    // Needs the status-change time, which no tool sets back (POSIX; elsewhere only size and times).
    org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.FileSystems.getDefault()
        .supportedFileAttributeViews().contains("unix"));
    HeadStamp stamp = written(1);
    Path f = entryFile(1);
    FileTime time = Files.getLastModifiedTime(f);
    byte[] b = Files.readAllBytes(f);
    String text = new String(b, StandardCharsets.UTF_8);
    String edited = text.replace(HistoryStoreTest.entry(1).checksum(), "d".repeat(64));
    assertThat(edited).hasSameSizeAs(text).isNotEqualTo(text);
    Files.writeString(f, edited, StandardOpenOption.TRUNCATE_EXISTING); // same inode
    Files.setLastModifiedTime(f, time); // as a clock set back, or touch -d, would leave it
    assertThat(Files.getLastModifiedTime(f)).isEqualTo(time);
    assertThat(Files.size(f)).isEqualTo(b.length);
    HistoryStore reopened = HistoryStore.open(state, 10);
    assertThat(reopened.headIfStamped(stamp)).isEmpty();
    assertThat(reopened.head().orElseThrow().checksum()).isEqualTo("d".repeat(64));
  }

  @Test
  void anEntryReplacedByTheSameBytesIsRead() throws Exception {
    HeadStamp stamp = written(1);
    Path f = entryFile(1);
    DurableFiles.replace(f, Files.readAllBytes(f)); // a new file (inode) under the same name
    assertThat(HistoryStore.open(state, 10).headIfStamped(stamp)).isEmpty();
  }

  @Test
  void aConfirmedNewestEntryIsStampedAnew() {
    HistoryStore h = HistoryStore.open(state, 10);
    h.append(HistoryStoreTest.entry(1));
    HeadStamp before = h.newestStamp().orElseThrow();
    assertThat(h.markConfirmed(1)).isTrue();
    HeadStamp after = h.newestStamp().orElseThrow();
    assertThat(after.head()).isEqualTo(before.head());
    assertThat(after.file()).isNotEqualTo(before.file());
    assertThat(HistoryStore.open(state, 10).headIfStamped(before)).isEmpty();
    assertThat(HistoryStore.open(state, 10).headIfStamped(after)).contains(headOf(1));
  }

  @Test
  void theStampFileReadsBackWhatItWrote() throws Exception {
    HeadStamp stamp = written(1);
    Path f = state.resolve(HeadStamp.NAME);
    stamp.write(f, new Hmac(KEY));
    assertThat(HeadStamp.read(f, new Hmac(KEY))).isEqualTo(stamp);
    assertThat(HeadStamp.read(state.resolve("absent"), new Hmac(KEY))).isNull();
  }

  @Test
  void anEditedTruncatedOrForeignStampFileIsNotTrusted() throws Exception {
    Path f = state.resolve(HeadStamp.NAME);
    written(1).write(f, new Hmac(KEY));
    String text = Files.readString(f);
    Files.writeString(f, text.replace("version 1", "version 2"));
    assertThatThrownBy(() -> HeadStamp.read(f, new Hmac(KEY)))
        .isInstanceOf(SealedFile.Broken.class).hasMessageContaining("integrity");
    Files.writeString(f, text);
    byte[] b = Files.readAllBytes(f);
    Files.write(f, Arrays.copyOf(b, b.length - 10));
    assertThatThrownBy(() -> HeadStamp.read(f, new Hmac(KEY)))
        .isInstanceOf(SealedFile.Broken.class);
    Files.writeString(f, text);
    byte[] other = "another key of another state dir".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> HeadStamp.read(f, new Hmac(other)))
        .isInstanceOf(SealedFile.Broken.class).hasMessageContaining("integrity");
  }

  @Test
  void aStampFileOfAnotherFormatIsNotReadEvenWithAGoodMac() throws Exception {
    Path f = state.resolve(HeadStamp.NAME);
    String body = "qcfg-history-head 2\nversion 1\nchecksum ab\nenvironment cA\nfile s1\n";
    Files.write(f, SealedFile.sealed(body, new Hmac(KEY)));
    assertThatThrownBy(() -> HeadStamp.read(f, new Hmac(KEY)))
        .isInstanceOf(SealedFile.Broken.class).hasMessageContaining("format");
    Files.write(f, SealedFile.sealed(body.replace(" 2\n", " 1\n").replace("file s1\n", ""),
        new Hmac(KEY)));
    assertThatThrownBy(() -> HeadStamp.read(f, new Hmac(KEY)))
        .isInstanceOf(SealedFile.Broken.class).hasMessageContaining("format");
  }

  @Test
  void aStampCannotHoldAnIdentityOrChecksumThatWouldBreakItsLines() {
    assertThatThrownBy(() -> new HeadStamp(headOf(1), "s1\nversion 9"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new HeadStamp(new HistoryStore.Head(1, "a b", "e"), "s1"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
