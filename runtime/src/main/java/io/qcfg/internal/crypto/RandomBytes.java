package io.qcfg.internal.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;

/**
 * Random bytes for keys and IVs. The JDK's {@link SecureRandom} is made on first use only: its
 * construction initialises the JCA provider framework, tens of milliseconds that a start without
 * {@code ENC[...]} values need not pay (issue 16). Thread-safe.
 */
final class RandomBytes {
  private static final Path URANDOM = Path.of("/dev/urandom");

  private RandomBytes() {}

  /** Fills {@code bytes} from the JVM's shared {@link SecureRandom} (keys, IVs). */
  static void fill(byte[] bytes) {
    Shared.RANDOM.nextBytes(bytes);
  }

  /**
   * {@code n} bytes for a key made on the start path (the state dir's checksum key): read from the
   * operating system's generator where there is one, which is what the default {@link
   * SecureRandom} on Linux and macOS (NativePRNG) reads too, else from {@link #fill}.
   */
  static byte[] forStartKey(int n) {
    byte[] bytes = new byte[n];
    if (Files.isReadable(URANDOM)) {
      try (InputStream in = Files.newInputStream(URANDOM)) {
        if (in.readNBytes(bytes, 0, n) == n) {
          return bytes;
        }
      } catch (IOException | RuntimeException e) {
        // not a usable device after all: the JDK's generator below
      }
    }
    fill(bytes);
    return bytes;
  }

  // The holder idiom: the class, and so the SecureRandom, is initialised on the first fill().
  private static final class Shared {
    // One generator for the JVM: SecureRandom is thread-safe and seeding it is the slow part.
    static final SecureRandom RANDOM = new SecureRandom();
  }
}
