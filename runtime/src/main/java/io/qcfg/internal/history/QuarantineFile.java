package io.qcfg.internal.history;

import io.qcfg.internal.crypto.ChecksumKey;
import io.qcfg.internal.crypto.Hmac;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * The quarantined configuration of probation (issue 18), kept across restarts: {@code
 * <state>/quarantine}, three lines closed by an HMAC, as {@link StartInputsFile} is. A file that is
 * edited, truncated or written under another key is {@link StartInputsFile.Broken}: ignored, never
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
   * @throws StartInputsFile.Broken when it exists but is not intact
   */
  public static QuarantineFile read(Path file, Hmac mac) throws StartInputsFile.Broken {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException | RuntimeException e) {
      throw new StartInputsFile.Broken("cannot be read");
    }
    int macLine = text.lastIndexOf("\nmac ");
    if (macLine < 0 || !text.endsWith("\n")) {
      throw new StartInputsFile.Broken("has no integrity line (truncated?)");
    }
    String body = text.substring(0, macLine + 1);
    byte[] found;
    try {
      found = HexFormat.of().parseHex(text.substring(macLine + 5, text.length() - 1));
    } catch (IllegalArgumentException e) {
      throw new StartInputsFile.Broken("has a malformed integrity line");
    }
    if (!MessageDigest.isEqual(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)), found)) {
      throw new StartInputsFile.Broken(
          "does not match its integrity check (edited, or written under another key)");
    }
    String[] lines = body.split("\n");
    if (lines.length != 3 || !lines[0].equals(MAGIC) || !lines[1].startsWith("checksum ")
        || !lines[2].startsWith("version ")) {
      throw new StartInputsFile.Broken("is not in the expected format");
    }
    try {
      return new QuarantineFile(lines[1].substring(9), Long.parseLong(lines[2].substring(8)));
    } catch (RuntimeException e) {
      throw new StartInputsFile.Broken("is not in the expected format");
    }
  }

  /** Writes this file under {@code mac}, atomically and durably. */
  public void write(Path file, Hmac mac) throws IOException {
    String body = MAGIC + "\nchecksum " + checksum + "\nversion " + version + "\n";
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    String tail = "mac " + HexFormat.of().formatHex(mac.doFinal(b)) + "\n";
    DurableFiles.replace(file, (body + tail).getBytes(StandardCharsets.UTF_8));
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
   * @throws StartInputsFile.Broken when the file is not intact (or the state dir keeps no key)
   */
  public static QuarantineFile load(Path state) throws StartInputsFile.Broken {
    if (!Files.exists(in(state))) {
      return null;
    }
    ChecksumKey key = ChecksumKey.of(null, state);
    if (!key.persistent()) {
      throw new StartInputsFile.Broken("cannot be checked (the state directory keeps no key)");
    }
    return read(in(state), key.derivedMac(PURPOSE));
  }

  /** Keeps this quarantine in {@code state}. */
  public void save(Path state) throws IOException {
    write(in(state), ChecksumKey.of(null, state).derivedMac(PURPOSE));
  }
}
