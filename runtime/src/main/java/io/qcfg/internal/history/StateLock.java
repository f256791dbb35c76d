package io.qcfg.internal.history;

import io.qcfg.QcfgException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One owner per state directory: an exclusive lock on {@code <state>/lock}, a file that holds the
 * owner's pid. Two JVMs writing one history and one audit chain would reuse versions, overwrite
 * each other's history files and break the chain, so the second one is refused.
 *
 * <p>The lock is the operating system's ({@link FileChannel#tryLock()}): it is released when the
 * owner exits in any way, {@code kill -9} included, so a stale lock file never blocks a restart.
 * The pid in the file is only for the message.
 *
 * <p>Concurrency: taken once by the engine at start, released by {@link #close()} at stop.
 */
public final class StateLock implements AutoCloseable {
  /** The lock file's name inside the state directory. */
  public static final String FILE = "lock";

  private final RandomAccessFile file;
  private final FileLock lock;

  private StateLock(RandomAccessFile file, FileLock lock) {
    this.file = file;
    this.lock = lock;
  }

  /**
   * Takes the lock of {@code stateDir}, creating the directory if needed, and writes this JVM's pid
   * into the lock file.
   *
   * @throws QcfgException.Refused QCFG-4208 if another process (or another qcfg instance of this
   *     JVM) holds it, naming its pid
   * @throws IOException if the lock file cannot be created or locked at all
   */
  public static StateLock acquire(Path stateDir) throws IOException {
    if (!Files.isDirectory(stateDir)) { // else createDirectories throws and catches two exceptions
      Files.createDirectories(stateDir);
    }
    Path path = stateDir.resolve(FILE);
    RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw");
    FileLock lock;
    try {
      lock = file.getChannel().tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null; // held by this very JVM
    } catch (IOException | RuntimeException e) {
      file.close();
      throw e;
    }
    if (lock == null) {
      String owner = owner(path);
      file.close();
      throw new QcfgException.Refused(
          "QCFG-4208",
          "state directory "
              + stateDir
              + " is in use by the JVM with pid "
              + owner
              + "; two JVMs must not share one: give each JVM its own state= (for example"
              + " -javaagent:qcfg.jar=state=/var/lib/<app>-<instance>/qcfg); this JVM runs on"
              + " its configuration files without history, rollback or audit log");
    }
    try {
      byte[] pid = (ProcessId.current() + "\n").getBytes(StandardCharsets.US_ASCII);
      file.setLength(0);
      file.seek(0);
      file.write(pid);
      file.getFD().sync();
    } catch (IOException | RuntimeException e) {
      // A full disk: the lock holds all the same; only the pid in a second JVM's message is lost.
    }
    return new StateLock(file, lock);
  }

  /** The pid written in the lock file, or "unknown". */
  static String owner(Path lockFile) {
    try {
      String s = Files.readString(lockFile, StandardCharsets.US_ASCII).trim();
      return s.matches("\\d{1,19}") ? s : "unknown";
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  /** Releases the lock; the file stays (deleting it would race with the next owner). */
  @Override
  public void close() {
    try {
      lock.release();
    } catch (IOException | RuntimeException e) {
      // Closing the file below releases it as well.
    }
    try {
      file.close();
    } catch (IOException e) {
      // Nothing left to do: the process exit releases it.
    }
  }
}
