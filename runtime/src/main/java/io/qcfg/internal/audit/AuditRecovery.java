package io.qcfg.internal.audit;

import io.qcfg.internal.log.Log;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * What {@link AuditLog#open} finds at the end of an existing log: where the chain stands, repaired
 * where a crash explains the damage, reported where it does not.
 *
 * <ul>
 *   <li>A last line without its newline (a {@code kill -9} in the middle of a write) is cut off
 *       (QCFG-4104).
 *   <li>A head one or more lines behind an intact chain (a crash between writing lines and the
 *       head) is brought up to date (QCFG-4105); a missing head is recreated from the last line
 *       (QCFG-4105).
 *   <li>A head that names other lines, or a last line that is not JSON, is reported (QCFG-4108,
 *       QCFG-4106) and the chain continues from the head, so that the damage stays visible to
 *       {@link AuditVerifier}.
 * </ul>
 *
 * <p>It also reports the newest configuration version the log mentions and whether the head was
 * intact, for the engine's cross-check with the version counter.
 */
final class AuditRecovery {
  /**
   * Where the chain stands.
   *
   * @param lastSeq seq of the last line (0: none)
   * @param lastHash SHA-256 of the last line (64 zeros: none)
   * @param firstSeq seq of the oldest kept line (0: none)
   * @param activeSize bytes in {@code audit.log}
   * @param headStale whether {@code audit.head} must be rewritten
   * @param headIntact whether the head matched the end (or a crash explains it, or there was
   *     neither)
   * @param lastVersion the newest configuration version a line mentions (0: none)
   */
  record Position(
      long lastSeq,
      String lastHash,
      long firstSeq,
      long activeSize,
      boolean headStale,
      boolean headIntact,
      long lastVersion) {}

  private final Path active;
  private final Path head;
  private long lastSeq;
  private String lastHash = AuditFormat.GENESIS;
  private boolean headStale;
  private boolean headIntact;

  private AuditRecovery(Path stateDir) {
    this.active = stateDir.resolve(AuditFormat.ACTIVE);
    this.head = stateDir.resolve(AuditFormat.HEAD);
  }

  /** Finds where the chain stands: seq and hash of the last line, cross-checked with the head. */
  static Position run(Path stateDir) throws IOException {
    AuditRecovery r = new AuditRecovery(stateDir);
    if (!Files.exists(stateDir)) {
      // A fresh installation; created at the first append.
      return new Position(0, AuditFormat.GENESIS, 0, 0, false, true, 0);
    }
    if (Files.isRegularFile(r.active)) {
      repairPartialLine(r.active);
    }
    Tail tail = null;
    List<Path> files = AuditFormat.logFiles(stateDir);
    for (int i = files.size() - 1; i >= 0 && tail == null; i--) {
      tail = readTail(files.get(i));
    }
    AuditFormat.Head h = r.readHead();
    r.decide(tail, h);
    long firstSeq = 0;
    if (h != null) {
      firstSeq = h.first();
    } else if (!files.isEmpty()) {
      firstSeq = firstSeqOf(files.get(0));
    }
    long activeSize = Files.isRegularFile(r.active) ? Files.size(r.active) : 0;
    // The last line usually carries a version: one parse of it serves both (issue 16: a start-up
    // line lists every path, 300 KB for 10,000 leaves).
    long lastVersion = tail != null && tail.version() > 0 ? tail.version()
        : AuditVersions.last(files);
    return new Position(r.lastSeq, r.lastHash, firstSeq, activeSize, r.headStale, r.headIntact,
        lastVersion);
  }

  private void decide(Tail tail, AuditFormat.Head h) throws IOException {
    if (tail == null) {
      headIntact = h == null || h.seq() == 0;
      if (h != null && h.seq() > 0) {
        Log.error(
            head
                + ": says the log ends at seq "
                + h.seq()
                + " but there is no audit line: the log files were deleted; run `audit verify`"
                + " [QCFG-4108]");
        continueFrom(h.seq(), h.hash());
      }
      return;
    }
    if (tail.seq() < 0) {
      Log.error(
          tail.file()
              + ": the last audit line is not valid JSON: edited or damaged; run `audit verify`"
              + " [QCFG-4106]");
      if (h != null) {
        continueFrom(h.seq(), h.hash());
      } else {
        continueFrom(0, tail.hash());
        headStale = true;
      }
      return;
    }
    if (h == null) {
      Log.warn(
          head
              + ": missing; recreated from the last line of "
              + tail.file().getFileName()
              + " [QCFG-4105]");
      continueFrom(tail.seq(), tail.hash());
      headStale = true;
    } else if (h.seq() == tail.seq() && h.hash().equals(tail.hash())) {
      headIntact = true;
      continueFrom(h.seq(), h.hash());
    } else if (h.seq() < tail.seq() && chainsOnFrom(tail.file(), h)) {
      headIntact = true;
      Log.warn(
          head
              + ": "
              + (tail.seq() - h.seq())
              + " line(s) behind "
              + tail.file().getFileName()
              + " (the JVM stopped between writing lines and the head); brought up to date"
              + " [QCFG-4105]");
      continueFrom(tail.seq(), tail.hash());
      headStale = true;
    } else {
      Log.error(
          tail.file()
              + ": the audit log ends at seq "
              + tail.seq()
              + " but audit.head says seq "
              + h.seq()
              + " with another hash: lines were edited, added or removed; run `audit verify`"
              + " [QCFG-4108]");
      if (h.seq() >= tail.seq()) {
        // Chain on from the head, so that the damage stays visible to verify.
        continueFrom(h.seq(), h.hash());
      } else {
        continueFrom(tail.seq(), tail.hash());
        headStale = true;
      }
    }
  }

  /**
   * Whether the lines of {@code file} after the one the head names form an intact chain from it to
   * the end: what a crash between writing lines and the head leaves. The head never lags behind a
   * rotated file, so looking at one file is enough.
   */
  private static boolean chainsOnFrom(Path file, AuditFormat.Head h) throws IOException {
    byte[] bytes = io.qcfg.internal.text.FileBytes.read(file);
    boolean started = false;
    long prevSeq = 0;
    String prevHash = null;
    int start = 0;
    for (int end = 0; end < bytes.length; end++) {
      if (bytes[end] != '\n') {
        continue;
      }
      byte[] line = Arrays.copyOfRange(bytes, start, end);
      start = end + 1;
      AuditLine.Fields node;
      try {
        node = AuditLine.read(line);
      } catch (IOException e) {
        if (started) {
          return false;
        }
        continue;
      }
      long seq = node.seq();
      String prev = node.prev() == null ? "" : node.prev();
      String hash = AuditFormat.sha256(line);
      if (started && (seq != prevSeq + 1 || !prev.equals(prevHash))) {
        return false;
      }
      if (!started) {
        boolean isHeadLine = seq == h.seq() && hash.equals(h.hash());
        boolean followsHead = seq == h.seq() + 1 && prev.equals(h.hash());
        started = isHeadLine || followsHead;
      }
      prevSeq = seq;
      prevHash = hash;
    }
    return started;
  }

  private void continueFrom(long seq, String hash) {
    lastSeq = seq;
    lastHash = hash;
  }

  /** A kill -9 in the middle of a write can leave a last line without its newline: cut it off. */
  private static void repairPartialLine(Path file) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      long length = f.length();
      if (length == 0) {
        return;
      }
      f.seek(length - 1);
      if (f.read() == '\n') {
        return;
      }
      long keep = AuditFormat.lastNewlineBefore(f, length - 1) + 1;
      f.setLength(keep);
      f.getFD().sync();
      Log.warn(
          file
              + ": removed an incomplete last line ("
              + (length - keep)
              + " bytes) left by an interrupted write [QCFG-4104]");
    }
  }

  /** The last line: its hash, seq (-1: not JSON) and version ({@link AuditVersions}, 0: none). */
  private record Tail(Path file, String hash, long seq, long version) {}

  /** The last line of a file that ends in a newline; null if the file is empty. */
  private static Tail readTail(Path file) throws IOException {
    byte[] line;
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      long end = f.length() - 1; // the final '\n'
      if (end < 0) {
        return null;
      }
      long start = AuditFormat.lastNewlineBefore(f, end) + 1;
      if (end - start > Integer.MAX_VALUE - 16) {
        throw new IOException(file + ": last line too long");
      }
      line = new byte[(int) (end - start)];
      f.seek(start);
      f.readFully(line);
    }
    long seq = -1;
    long version = 0;
    try {
      AuditLine.Fields fields = AuditLine.read(line);
      seq = fields.seq();
      version = Math.max(0, Math.max(fields.version(), fields.fromVersion()));
    } catch (IOException e) {
      // Reported by the caller as an unreadable last line.
    }
    return new Tail(file, AuditFormat.sha256(line), seq, version);
  }

  /** The seq of a file's first line, or 0 if it has none or it is unreadable. */
  private static long firstSeqOf(Path file) {
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line = in.readLine();
      return line == null ? 0
          : Math.max(0, AuditLine.read(line.getBytes(StandardCharsets.UTF_8)).seq());
    } catch (IOException e) {
      return 0; // verify will say what is wrong with it
    }
  }

  private AuditFormat.Head readHead() {
    if (!Files.exists(head)) {
      return null;
    }
    try {
      return AuditFormat.parseHead(io.qcfg.internal.text.FileBytes.read(head));
    } catch (IOException e) {
      Log.error(head + ": unreadable (" + AuditFormat.describe(e) + "); treated as missing [QCFG-4107]");
      return null;
    }
  }
}
