package io.qcfg.internal.history;

import io.qcfg.internal.crypto.Hmac;
import java.io.IOException;
import java.nio.file.Path;

/**
 * What history's newest entry file says in its head, and how to tell that it is still that file
 * without reading it (issue 16): a fast restart needs only to know that the newest entry is the
 * one its start tree was made from, and tokenizing the whole entry for that was the longest step
 * of its critical path. {@code <state>/history-head}, sealed ({@link SealedFile}) under a key of
 * the state directory, written after the entry is written or read in full.
 *
 * <p>{@link HistoryStore#headIfStamped} takes the head from here only when the newest entry file
 * found at open has the stamped version in its name and the stamped {@link FileIdentity}. Anything
 * else falls back to reading the entry: a newer entry (another process, a rollback, an older qcfg),
 * a crash between the entry's write and this file's, an entry edited or replaced, or this file
 * edited, truncated or written under another key.
 *
 * <p>Format, one item a line: {@code qcfg-history-head 1}, {@code version N}, {@code checksum
 * HEX}, {@code environment B64}, {@code file IDENTITY}, {@code mac HEX}. Older qcfg versions do
 * not know the file and ignore it.
 *
 * @param head the entry's version, checksum and environment
 * @param file the entry file's identity ({@link FileIdentity#of}) when its head was known
 */
public record HeadStamp(HistoryStore.Head head, String file) {
  /** The file's name in the state directory. */
  public static final String NAME = "history-head";

  private static final String MAGIC = "qcfg-history-head 1";

  public HeadStamp {
    if (!oneWord(head.checksum()) || !oneWord(file)) { // keeps the file one item a line
      throw new IllegalArgumentException("not a checksum and a file identity");
    }
  }

  static boolean oneWord(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c <= ' ' || c > '~') {
        return false;
      }
    }
    return !s.isEmpty();
  }

  /**
   * Reads {@code file} and checks its MAC; null when it does not exist.
   *
   * @throws SealedFile.Broken when it exists but is not intact
   */
  public static HeadStamp read(Path file, Hmac mac) throws SealedFile.Broken {
    String body = SealedFile.read(file, mac);
    if (body == null) {
      return null;
    }
    String[] lines = body.split("\n");
    try {
      if (lines.length != 5 || !lines[0].equals(MAGIC) || !lines[1].startsWith("version ")
          || !lines[2].startsWith("checksum ") || !lines[3].startsWith("environment ")
          || !lines[4].startsWith("file ")) {
        throw new IllegalArgumentException("lines");
      }
      return new HeadStamp(new HistoryStore.Head(Long.parseLong(lines[1].substring(8)),
          lines[2].substring(9), SealedFile.decode(lines[3].substring(12))),
          lines[4].substring(5));
    } catch (RuntimeException e) { // a bug of a writer that still had the key: not trusted
      throw new SealedFile.Broken("is not in the expected format");
    }
  }

  /** Writes this stamp under {@code mac}; a crash leaves the old file or this one. */
  public void write(Path file, Hmac mac) throws IOException {
    String body = MAGIC + "\nversion " + head.version() + "\nchecksum " + head.checksum()
        + "\nenvironment " + SealedFile.encode(head.environment()) + "\nfile " + this.file + "\n";
    DurableFiles.replaceAtomically(file, SealedFile.sealed(body, mac));
  }
}
