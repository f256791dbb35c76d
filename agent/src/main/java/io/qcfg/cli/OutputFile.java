package io.qcfg.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files the CLI writes ({@code render --out}, key files): parent directories created, the content
 * written to a temporary file beside the target and moved into place, so that a reader never sees
 * half a file. Files that hold key material or plaintext secrets are created owner-only ({@code
 * rw-------}) where the file system has POSIX permissions.
 */
final class OutputFile {
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> ANYONE =
      PosixFilePermissions.fromString("rw-rw-rw-");

  private OutputFile() {}

  /**
   * Writes {@code text} (UTF-8) to {@code file}, replacing it if present.
   *
   * @throws CliFailure (QCFG-5224) naming the file and the I/O error, never the content
   */
  static void replace(Path file, String text, boolean ownerOnly) {
    Path target = file.toAbsolutePath();
    Path tmp = null;
    try {
      Files.createDirectories(target.getParent());
      tmp =
          Files.createTempFile(target.getParent(), ".qcfg-", ".tmp", attributes(target, ownerOnly));
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      if (!ownerOnly && posix(target) && Files.exists(target)) {
        // A replaced file keeps its mode (not subject to the umask, unlike creation).
        Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(target));
      }
      try {
        Files.move(
            tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      tmp = null;
    } catch (IOException | SecurityException e) {
      throw cannotWrite(file, e);
    } finally {
      deleteQuietly(tmp);
    }
  }

  /**
   * Writes {@code text} (UTF-8) to {@code file}, which must not exist yet: creating it is what
   * refuses, so two runs at once cannot both succeed.
   *
   * @throws CliFailure (QCFG-5225) when the file exists, (QCFG-5224) for any other I/O error
   */
  static void create(Path file, String text, boolean ownerOnly, String ifExists) {
    Path target = file.toAbsolutePath();
    boolean created = false;
    try {
      Files.createDirectories(target.getParent());
      Files.createFile(target, attributes(target, ownerOnly));
      created = true;
      Files.writeString(target, text, StandardCharsets.UTF_8);
    } catch (FileAlreadyExistsException e) {
      throw CliFailure.failed("QCFG-5225", file + ": already exists; " + ifExists);
    } catch (IOException | SecurityException e) {
      if (created) {
        deleteQuietly(target); // never leave a half-written key behind
      }
      throw cannotWrite(file, e);
    }
  }

  /**
   * Owner-only, or else {@code rw-rw-rw-} less the umask: what any new file gets (a temporary file
   * would otherwise be owner-only).
   */
  private static FileAttribute<?>[] attributes(Path target, boolean ownerOnly) throws IOException {
    if (!posix(target)) {
      return new FileAttribute<?>[0];
    }
    return new FileAttribute<?>[] {
      PosixFilePermissions.asFileAttribute(ownerOnly ? OWNER_ONLY : ANYONE)
    };
  }

  private static boolean posix(Path target) throws IOException {
    return Files.getFileStore(target.getParent())
        .supportsFileAttributeView(PosixFileAttributeView.class);
  }

  private static CliFailure cannotWrite(Path file, Exception e) {
    return CliFailure.failed(
        "QCFG-5224",
        file
            + ": cannot write: "
            + e.getClass().getSimpleName()
            + " " + io.qcfg.internal.crypto.ForeignText.describe(e));
  }

  private static void deleteQuietly(Path p) {
    if (p == null) {
      return;
    }
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      // Best effort: the write already failed and says so.
    }
  }
}
