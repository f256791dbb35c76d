package io.qcfg.internal.history;

import io.qcfg.internal.crypto.Hmac;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A small text file of the state directory closed by an HMAC over everything before it (issue
 * 16): the fingerprint of the inputs ({@link StartInputsFile}), the stamp of history's newest
 * entry ({@link HeadStamp}) and probation's quarantine ({@link QuarantineFile}). A file that is
 * edited, truncated or written under another key is {@link Broken} and must be ignored, never
 * trusted.
 *
 * <p>The last line is {@code mac HEX}. Each file is replaced as a whole ({@link DurableFiles}): a
 * crash leaves the old file or the new one, and the MAC catches anything else.
 */
public final class SealedFile {
  private SealedFile() {}

  /** The file is there but cannot be trusted: edited, truncated, or another key's. */
  public static final class Broken extends Exception {
    private static final long serialVersionUID = 1L;

    Broken(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * The text before the MAC line of {@code file}, checked with {@code mac}; null when the file
   * does not exist.
   *
   * @throws Broken when it exists but is not intact
   */
  static String read(Path file, Hmac mac) throws Broken {
    byte[] bytes;
    try {
      bytes = io.qcfg.internal.text.FileBytes.read(file); // no FileChannel before the publish
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new Broken("cannot be read");
    }
    String text = new String(bytes, StandardCharsets.UTF_8);
    int macLine = text.lastIndexOf("\nmac ");
    if (macLine < 0 || !text.endsWith("\n")) {
      throw new Broken("has no integrity line (truncated?)");
    }
    String body = text.substring(0, macLine + 1);
    String given = text.substring(macLine + 5, text.length() - 1);
    byte[] expected = mac.doFinal(body.getBytes(StandardCharsets.UTF_8));
    byte[] found;
    try {
      found = HexFormat.of().parseHex(given);
    } catch (IllegalArgumentException e) {
      throw new Broken("has a malformed integrity line");
    }
    if (!MessageDigest.isEqual(expected, found)) {
      throw new Broken("does not match its integrity check (edited, or written under another key)");
    }
    return body;
  }

  /** {@code body} (lines, each ending in a newline) followed by its MAC line, as bytes to write. */
  static byte[] sealed(String body, Hmac mac) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    byte[] tail = ("mac " + HexFormat.of().formatHex(mac.doFinal(bytes)) + "\n")
        .getBytes(StandardCharsets.UTF_8);
    byte[] out = java.util.Arrays.copyOf(bytes, bytes.length + tail.length);
    System.arraycopy(tail, 0, out, bytes.length, tail.length);
    return out;
  }

  /** {@code s} as unpadded URL-safe base64, so that any text fits in one field of a line. */
  static String encode(String s) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(
        s.getBytes(StandardCharsets.UTF_8));
  }

  static String decode(String s) {
    return new String(Base64.getUrlDecoder().decode(s), StandardCharsets.UTF_8);
  }
}
