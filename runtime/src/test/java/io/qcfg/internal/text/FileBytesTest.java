package io.qcfg.internal.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A file's bytes without a FileChannel, with the failures of {@code Files.readAllBytes}. */
@Timeout(30)
class FileBytesTest {
  @TempDir Path tmp;

  @Test
  void givesTheBytesFilesReadAllBytesGives() throws IOException {
    byte[] large = new byte[3 << 20];
    new Random(16).nextBytes(large);
    for (byte[] content : new byte[][] {{}, {'k', 'e', 'y', '\n'}, large}) {
      Path f = Files.write(tmp.resolve("f" + content.length), content);
      assertThat(FileBytes.read(f)).isEqualTo(Files.readAllBytes(f)).isEqualTo(content);
    }
  }

  @Test
  void aFileWhoseSizeIsNotKnownAheadIsReadToItsEnd() throws IOException {
    Path cmdline = Path.of("/proc/self/cmdline"); // its size says 0
    assumeTrue(Files.isReadable(cmdline));
    assertThat(FileBytes.read(cmdline)).isNotEmpty().isEqualTo(Files.readAllBytes(cmdline));
  }

  @Test
  void aMissingFileOrADirectoryFailsAsWithFilesReadAllBytes() {
    // The callers tell "no file" (NoSuchFileException) from "cannot be read" (any other).
    assertThatThrownBy(() -> FileBytes.read(tmp.resolve("missing")))
        .isInstanceOf(NoSuchFileException.class);
    assertThatThrownBy(() -> FileBytes.read(tmp))
        .isInstanceOf(IOException.class)
        .isNotInstanceOf(NoSuchFileException.class)
        .isNotInstanceOf(FileNotFoundException.class);
  }
}
