package io.qcfg.internal.watch;

import io.qcfg.internal.text.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HexFormat;

/**
 * The content fingerprint of a file, for the settle check of in-place writes: its SHA-256 (the
 * content itself is never kept, it may be a secret). Reads at most {@link #MAX_BYTES}; beyond that
 * the size and modification time stand in.
 */
final class Fingerprint {
  static final long MAX_BYTES = 64L * 1024 * 1024;

  private Fingerprint() {}

  /** The fingerprint of {@code file}, or null if it is not a regular file (gone, a directory). */
  static Object of(Path file) {
    try {
      if (!Files.isRegularFile(file)) {
        return null;
      }
      long size = Files.size(file);
      if (size > MAX_BYTES) {
        return size + "@" + Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS);
      }
      Sha256 sha = Sha256.create();
      try (InputStream in = Files.newInputStream(file)) {
        byte[] buf = new byte[8192];
        for (int n; (n = in.read(buf)) > 0; ) {
          sha.update(buf, 0, n);
        }
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (IOException | RuntimeException e) {
      return "unreadable"; // unreadable twice in a row is stable; the pipeline will report it
    }
  }
}
