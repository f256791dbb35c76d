package io.qcfg.internal.text;

import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A small file's bytes, read through {@link FileInputStream} (issue 16). {@link
 * Files#readAllBytes} opens a {@code FileChannel}: its first use in a JVM loads twenty-odd JDK
 * classes that the class-data archive lacks and the native library {@code libnio} (4-6 ms cold,
 * measured), and a second thread that needs them meanwhile waits for that initialisation. The
 * fast restart's reads before the publish (the checksum key, the fingerprint, the history head
 * stamp, the start tree, the command line) come this way; {@code FileInputStream} is loaded and
 * initialised before {@code main}.
 *
 * <p>The failures are {@link Files#readAllBytes}'s: a file that cannot be opened (missing, not
 * readable, a directory) is read again through it, which throws {@code NoSuchFileException},
 * {@code AccessDeniedException} or another {@code IOException} as before. A path of another file
 * system is read through it too.
 */
public final class FileBytes {
  private FileBytes() {}

  /** The bytes of {@code file}; see the class for the failures. */
  public static byte[] read(Path file) throws IOException {
    if (file.getFileSystem() != FileSystems.getDefault()) {
      return Files.readAllBytes(file);
    }
    FileInputStream in;
    try {
      in = new FileInputStream(file.toFile());
    } catch (FileNotFoundException e) { // which failure: NIO's exceptions say it precisely
      return Files.readAllBytes(file);
    }
    try (in) {
      return in.readAllBytes();
    }
  }
}
