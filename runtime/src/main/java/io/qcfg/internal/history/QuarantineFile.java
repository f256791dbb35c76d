package io.qcfg.internal.history;

import io.qcfg.internal.crypto.ChecksumKey;
import io.qcfg.internal.crypto.Hmac;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The quarantined configuration of probation (issue 18), kept across restarts: {@code
 * <state>/quarantine}, three lines closed by an HMAC, ({@link SealedFile}). A file that is
 * edited, truncated or written under another key is {@link SealedFile.Broken}: ignored, never
 * trusted. Written with {@link DurableFiles#replace} (a crash leaves the old file or the new one).
 *
 * <p>Format: {@code qcfg-quarantine 1}, {@code checksum HEX}, {@code version N} (the version that
 * failed probation), {@code mac HEX}.
 *
 * @param checksum the quarantined checksum
 * @param version the version that failed probation with it
 */
public record QuarantineFile(String checksum, long version) {
  /** The file's name in the state directory. */
  public static final String NAME = "quarantine";

  /** The HMAC purpose its key is derived for. */
  public static final String PURPOSE = "qcfg quarantine file v1";

  private static final String MAGIC = "qcfg-quarantine 1";

  public QuarantineFile {
    if (!checksum.matches("[0-9a-f]{1,128}")) { // also keeps the file one item a line
      throw new IllegalArgumentException("not a checksum");
    }
  }

  /**
   * Reads {@code file} and checks its MAC; null when it does not exist.
   *
   * @throws SealedFile.Broken when it exists but is not intact
   */
  public static QuarantineFile read(Path file, Hmac mac) throws SealedFile.Broken {
    String body = SealedFile.read(file, mac);
    if (body == null) {
      return null;
    }
    String[] lines = body.split("\n");
    if (lines.length != 3 || !lines[0].equals(MAGIC) || !lines[1].startsWith("checksum ")
        || !lines[2].startsWith("version ")) {
      throw new SealedFile.Broken("is not in the expected format");
    }
    try {
      return new QuarantineFile(lines[1].substring(9), Long.parseLong(lines[2].substring(8)));
    } catch (RuntimeException e) {
      throw new SealedFile.Broken("is not in the expected format");
    }
  }

  /** Writes this file under {@code mac}, atomically and durably. */
  public void write(Path file, Hmac mac) throws IOException {
    String body = MAGIC + "\nchecksum " + checksum + "\nversion " + version + "\n";
    DurableFiles.replace(file, SealedFile.sealed(body, mac));
  }

  /** Removes the file, if any. */
  public static void clear(Path file) throws IOException {
    if (Files.deleteIfExists(file)) {
      DurableFiles.syncDirectory(file.getParent());
    }
  }

  // --- in a state directory, under its checksum key -----------------------------------------

  /** The file in {@code state}. */
  public static Path in(Path state) {
    return state.resolve(NAME);
  }

  /**
   * The quarantine kept in {@code state}; null when there is none.
   *
   * @throws SealedFile.Broken when the file is not intact (or the state dir keeps no key)
   */
  public static QuarantineFile load(Path state) throws SealedFile.Broken {
    if (!Files.exists(in(state))) {
      return null;
    }
    ChecksumKey key = ChecksumKey.of(null, state);
    if (!key.persistent()) {
      throw new SealedFile.Broken("cannot be checked (the state directory keeps no key)");
    }
    return read(in(state), key.derivedMac(PURPOSE));
  }

  /** Keeps this quarantine in {@code state}. */
  public void save(Path state) throws IOException {
    write(in(state), ChecksumKey.of(null, state).derivedMac(PURPOSE));
  }
}
