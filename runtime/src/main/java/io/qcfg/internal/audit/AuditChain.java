package io.qcfg.internal.audit;

import io.qcfg.internal.history.DurableFiles;
import io.qcfg.internal.log.Log;
import io.qcfg.internal.text.Digits;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * The audit chain on disk: appends lines to {@code audit.log} (each carrying the hash of the one
 * before), rotates and prunes files, and keeps {@code audit.head} in step. {@link AuditLog} decides
 * what to write and when; this class only writes it.
 *
 * <p>A failed write never leaves half a line: the file is cut back (or, if even that fails, cut
 * back before the next write), so the next line is never glued to a fragment.
 *
 * <p>Concurrency: none; {@link AuditLog} calls it under its monitor.
 */
final class AuditChain {
  private final Path stateDir;
  private final Path active;
  private final Path head;
  private final long maxBytesPerFile;
  private final int keepFiles;
  private long lastSeq;
  private String lastHash;
  private long firstSeq; // seq of the oldest kept line; 0 while there is none
  private long activeSize;
  private long truncateTo = -1;
  private boolean headStale;

  /** Continues the chain from where {@link AuditRecovery} found it. */
  AuditChain(Path stateDir, long maxBytesPerFile, int keepFiles, AuditRecovery.Position at) {
    this.stateDir = stateDir;
    this.active = stateDir.resolve(AuditFormat.ACTIVE);
    this.head = stateDir.resolve(AuditFormat.HEAD);
    this.maxBytesPerFile = maxBytesPerFile;
    this.keepFiles = keepFiles;
    this.lastSeq = at.lastSeq();
    this.lastHash = at.lastHash();
    this.firstSeq = at.firstSeq();
    this.activeSize = at.activeSize();
    this.headStale = at.headStale();
  }

  /** Starts writing lines; close it (after {@link Batch#sync()}) when done. */
  Batch batch() {
    return new Batch();
  }

  /** Whether {@code audit.head} lags behind the lines written. */
  boolean headStale() {
    return headStale;
  }

  /** Rewrites {@code audit.head} crash-safely. */
  void writeHead() throws IOException {
    DurableFiles.replace(head, (AuditLine.head(lastSeq, lastHash, firstSeq) + "\n")
        .getBytes(StandardCharsets.UTF_8));
    headStale = false;
  }

  /** Appends lines to {@code audit.log}, rotating it when full. Updates the chain per line. */
  final class Batch implements AutoCloseable {
    private RandomAccessFile file;
    private boolean created;

    private Batch() {}

    /** Writes {@code event} as the next line (not yet synced). */
    void write(AuditEvent event, Instant time) throws IOException {
      byte[] json = AuditFormat.render(event, time, lastSeq + 1, lastHash);
      byte[] line = Arrays.copyOf(json, json.length + 1);
      line[json.length] = '\n';
      if (file == null) {
        openActive();
      }
      if (activeSize > 0 && activeSize + line.length > maxBytesPerFile) {
        sync();
        file.close();
        file = null;
        rotate();
        openActive();
      }
      long start = activeSize;
      try {
        file.seek(start);
        file.write(line);
      } catch (IOException e) {
        // Never leave half a line: the next line would be glued to it.
        try {
          file.setLength(start);
        } catch (IOException again) {
          truncateTo = start;
          e.addSuppressed(again);
        }
        throw e;
      }
      activeSize += line.length;
      lastSeq++;
      if (firstSeq == 0) {
        firstSeq = lastSeq;
      }
      lastHash = AuditFormat.sha256(json);
      headStale = true;
    }

    private void openActive() throws IOException {
      created = created || !Files.exists(active);
      file = new RandomAccessFile(active.toFile(), "rw");
      long length = file.length();
      if (truncateTo >= 0 && length > truncateTo) {
        file.setLength(truncateTo);
        length = truncateTo;
      }
      truncateTo = -1;
      activeSize = length;
    }

    /** Forces the lines written so far to the device. */
    void sync() throws IOException {
      if (file != null) {
        file.getFD().sync();
      }
      if (created) {
        DurableFiles.syncDirectory(stateDir);
        created = false;
      }
    }

    @Override
    public void close() throws IOException {
      if (file != null) {
        file.close();
      }
    }
  }

  private void rotate() throws IOException {
    // The head covers every line before the file is renamed, so after a crash it can lag only
    // behind lines of the newest file, which open checks and repairs.
    writeHead();
    Path target = stateDir.resolve("audit." + Digits.zeroPadded(lastSeq, 19) + ".log");
    if (Files.exists(target)) {
      // An atomic rename may silently replace it; a rotated file is never overwritten.
      throw new FileAlreadyExistsException(target.toString(), null, "cannot rotate audit.log");
    }
    try {
      Files.move(active, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(active, target);
    }
    DurableFiles.syncDirectory(stateDir);
    List<Path> rotated = AuditFormat.rotatedFiles(stateDir);
    int excess = rotated.size() - keepFiles;
    if (excess <= 0) {
      return;
    }
    // Rotated names carry their last seq: the log will start just after the newest one deleted.
    // The head says so before anything is deleted; a crash in between leaves old lines that
    // should be gone, which verify accepts, rather than missing lines, which it must not.
    firstSeq = AuditFormat.lastSeqOf(rotated.get(excess - 1)) + 1;
    writeHead();
    for (int i = 0; i < excess; i++) {
      Path oldest = rotated.get(i);
      try {
        Files.deleteIfExists(oldest);
      } catch (IOException e) {
        Log.warnOnce(
            "audit-prune:" + oldest,
            oldest + ": cannot delete old audit file (" + AuditFormat.reason(e) + ") [QCFG-4109]");
        break; // Oldest first only, so that what is kept has no hole; the next rotation retries.
      }
    }
  }
}
