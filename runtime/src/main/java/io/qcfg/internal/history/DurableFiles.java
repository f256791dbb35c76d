package io.qcfg.internal.history;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Crash-safe writes for the state directory, shared by the history store and the audit log.
 *
 * <p>{@link #replace} writes the bytes to a temporary sibling, forces them to the device, moves the
 * temporary file over the target in one atomic rename, and then forces the directory entry. A
 * {@code kill -9} or power loss at any moment leaves either the old target or the new one, never a
 * torn file; at worst a leftover temporary file whose name ends in {@link #TEMP_SUFFIX}, which
 * readers ignore and delete.
 *
 * <p>Writes go through {@link FileOutputStream} and {@code FileDescriptor.sync()} (an fsync, like
 * {@code FileChannel.force(true)}) on purpose: an NIO channel is closed when the calling thread is
 * interrupted, and an interrupted JMX or applier thread must not turn into a failed write.
 */
public final class DurableFiles {
  /** The suffix of temporary files; anything ending in it is a leftover of an interrupted write. */
  public static final String TEMP_SUFFIX = ".tmp";

  private DurableFiles() {}

  /**
   * Replaces {@code target} with {@code bytes} atomically and durably. The parent directory must
   * exist.
   *
   * @throws IOException if any step fails; the target is then unchanged and the temporary file is
   *     removed when possible
   */
  public static void replace(Path target, byte[] bytes) throws IOException {
    Path temp = target.resolveSibling(target.getFileName() + TEMP_SUFFIX);
    try {
      try (FileOutputStream out = new FileOutputStream(temp.toFile())) {
        out.write(bytes);
        out.getFD().sync();
      }
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        // Some file systems (a few network mounts) cannot rename atomically; still replace.
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException | RuntimeException e) {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException | RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    syncDirectory(target.getParent());
  }

  /**
   * Replaces {@code target} with {@code bytes} in one atomic rename, without forcing them to the
   * device: for files whose loss costs a slower start, never a wrong one (the fast start's
   * fingerprint and start tree, each checked by its own MAC). The temporary sibling is named for
   * this process, so two processes never write the same one.
   */
  public static void replaceAtomically(Path target, byte[] bytes) throws IOException {
    replaceAtomically(target, bytes, bytes.length);
  }

  /** As {@link #replaceAtomically(Path, byte[])}, with the first {@code length} bytes. */
  public static void replaceAtomically(Path target, byte[] bytes, int length) throws IOException {
    Path temp = target.resolveSibling(
        target.getFileName() + "." + ProcessId.current() + TEMP_SUFFIX);
    try {
      try (java.io.OutputStream out = Files.newOutputStream(temp)) {
        out.write(bytes, 0, length);
      }
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /**
   * Forces a directory's entries (a rename, a new or deleted file) to the device, where the
   * platform allows it. Best effort: Windows cannot open a directory, and some file systems refuse;
   * the rename itself has happened either way.
   */
  public static void syncDirectory(Path dir) {
    if (dir == null) {
      return;
    }
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | RuntimeException e) {
      // Not supported here; nothing more we can do.
    }
  }
}
