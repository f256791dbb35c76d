package io.qcfg.internal.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qcfg.internal.history.DurableFiles;
import io.qcfg.internal.log.Log;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The tamper-evident audit log: JSON Lines in the state directory, each line carrying the SHA-256
 * of the line before it, so that {@link AuditVerifier} finds any edit, deletion or reordering.
 *
 * <h2>Files</h2>
 *
 * <ul>
 *   <li>{@code audit.log}: the active file. When the next line would take it beyond {@code
 *       maxBytesPerFile} it is renamed to {@code audit.<seq>.log}, where {@code <seq>} is the seq
 *       of its last line zero-padded to 19 digits, so names sort in log order; the rename is one
 *       atomic step, and a crash in the middle of a rotation leaves no gap and no odd name. Only
 *       the newest {@code keepFiles} rotated files are kept. The first line of a new file chains to
 *       the last line of the file before it.
 *   <li>{@code audit.head}: {@code {"seq":N,"hash":"<sha256 of line N>","first":F}}, rewritten
 *       crash-safely after every append; {@code F} is the seq of the oldest line kept (older lines
 *       may remain for a while if deleting a file fails or is cut short by a crash). The chain
 *       alone cannot reveal an edit of the very last line (no line follows it to carry its hash),
 *       lines cut off the end, or whole files removed from the start (the oldest kept line's {@code
 *       prev} cannot be checked once older files are rotated away); the head can.
 * </ul>
 *
 * <h2>Lines</h2>
 *
 * JSON objects, one a line, each with {@code seq} and {@code prev} (the SHA-256 of the line before);
 * see {@link AuditFormat} for the exact format.
 *
 * <h2>What it proves</h2>
 *
 * An edit by anyone who does not recompute the hashes of every later line and the head. Someone
 * with write access to the state directory who does recompute them is not detected; ship the lines
 * elsewhere (or compare the head with a copy kept off the machine) where that matters.
 *
 * <h2>Failures</h2>
 *
 * {@link #append} never throws for a write failure (disk full, read-only mount, the state path
 * turned into a file): it marks the log not {@link #healthy()}, keeps {@link #lastFailure()}, logs
 * one error per outage (QCFG-4101), and buffers up to {@value #MAX_BUFFERED} events in memory. The
 * next successful append or {@link #retry()} writes the buffered events first, in order, so the
 * chain resumes intact. Beyond the bound, further events are counted and an {@code events-lost}
 * line records how many. The engine refuses mutating JMX operations while the log is unhealthy.
 *
 * <p>{@link #open} repairs what a crash can leave (a partly written last line, a head one line
 * behind) with a warning, and never throws for a problem on disk.
 *
 * <p>Secrets: the log writes only what {@link AuditEvent} carries (paths, redacted problem texts,
 * details); {@link #keyedHash} lets the engine record that a secret changed without its value.
 *
 * <p>Concurrency: appends come from the applier thread and JMX threads. Each {@link #append} queues
 * its event under a small lock (which fixes the order and the time stamp), then takes the log's
 * monitor; the holder writes every queued event with one fsync (group commit), so appenders that
 * arrive during a write share the next fsync instead of waiting for one each. All file state is
 * guarded by the monitor; {@link #healthy()}, {@link #lastFailure()} and {@link #buffered()} read
 * volatile fields and never wait for a write.
 */
public final class AuditLog {
  /** How many events are kept in memory while the log cannot be written. */
  public static final int MAX_BUFFERED = 10_000;

  private final Path stateDir;
  private final Path active;
  private final Path head;
  private final long maxBytesPerFile;
  private final int keepFiles;
  private final int maxBuffered;

  // Appenders queue their event here and take a ticket, both under `queue`; whoever then holds
  // `this` writes the whole queue as one batch with one fsync (group commit).
  private final ArrayDeque<Item> queue = new ArrayDeque<>();
  private long lastTicket; // guarded by queue

  // Guarded by this.
  private long writtenTicket;
  private boolean recovered;
  private long lastSeq;
  private String lastHash = AuditFormat.GENESIS;
  private long firstSeq; // seq of the oldest kept line; 0 while there is none
  private long activeSize;
  private long truncateTo = -1;
  private boolean headStale;
  private final ArrayDeque<Item> pending = new ArrayDeque<>();

  // Found by the recovery at open, for the engine's cross-check with the version counter.
  private volatile long lastVersionAtOpen;
  private volatile boolean headIntactAtOpen = true;

  private volatile boolean healthy = true;
  private volatile String lastFailure;
  private volatile int buffered;

  /** An event waiting to be written; {@code lost > 0} makes it an events-lost marker instead. */
  private record Item(Instant time, AuditEvent event, long lost) {}

  private AuditLog(Path stateDir, long maxBytesPerFile, int keepFiles, int maxBuffered) {
    this.stateDir = stateDir;
    this.active = stateDir.resolve(AuditFormat.ACTIVE);
    this.head = stateDir.resolve(AuditFormat.HEAD);
    this.maxBytesPerFile = maxBytesPerFile;
    this.keepFiles = keepFiles;
    this.maxBuffered = maxBuffered;
  }

  /**
   * Opens the audit log in {@code stateDir} and continues its chain and seq from the last line
   * written. The directory is created at the first append. Never throws for a problem on disk: the
   * log is then not {@link #healthy()} and {@link #lastFailure()} says why.
   *
   * @param maxBytesPerFile rotate {@code audit.log} before it would grow beyond this; a single
   *     longer line still gets a file of its own
   * @param keepFiles how many rotated files to keep besides {@code audit.log}; 0 keeps none
   */
  public static AuditLog open(Path stateDir, long maxBytesPerFile, int keepFiles) {
    return open(stateDir, maxBytesPerFile, keepFiles, MAX_BUFFERED);
  }

  static AuditLog open(Path stateDir, long maxBytesPerFile, int keepFiles, int maxBuffered) {
    if (maxBytesPerFile < 1 || keepFiles < 0 || maxBuffered < 1) {
      throw new IllegalArgumentException(
          "maxBytesPerFile " + maxBytesPerFile + ", keepFiles " + keepFiles);
    }
    AuditLog log = new AuditLog(stateDir, maxBytesPerFile, keepFiles, maxBuffered);
    synchronized (log) {
      log.recover();
      if (log.recovered && log.headStale) {
        log.drain(List.of());
      }
    }
    return log;
  }

  /**
   * Writes {@code event} as the next line, after any events buffered during an outage. When this
   * returns the line is on the device, or buffered if the log cannot be written; it does not throw
   * for a write failure (see the class comment).
   */
  public void append(AuditEvent event) {
    Objects.requireNonNull(event, "event");
    long ticket;
    synchronized (queue) {
      ticket = ++lastTicket;
      queue.addLast(new Item(Instant.now(), event, 0));
    }
    synchronized (this) {
      if (writtenTicket >= ticket) {
        return; // Another appender wrote it in its batch, and synced it before we got the lock.
      }
      List<Item> batch;
      synchronized (queue) {
        batch = new ArrayList<>(queue);
        queue.clear();
        writtenTicket = lastTicket;
      }
      drain(batch);
    }
  }

  /**
   * Tries to write what an outage left buffered (and the head). The engine calls it before a
   * mutating operation when the log is unhealthy.
   *
   * @return {@link #healthy()} afterwards
   */
  public synchronized boolean retry() {
    drain(List.of());
    return healthy;
  }

  /** Whether the last write succeeded. False from a failed write until a write succeeds again. */
  public boolean healthy() {
    return healthy;
  }

  /**
   * The message of the most recent write failure (with QCFG-4101, the directory and the reason);
   * kept after recovery, for diagnosis. Empty if there never was one.
   */
  public Optional<String> lastFailure() {
    return Optional.ofNullable(lastFailure);
  }

  /**
   * The newest configuration version the log mentioned when it was opened (0 for none): the
   * engine compares it with the version counter to find versions that have no audit line.
   */
  public long lastVersionAtOpen() {
    return lastVersionAtOpen;
  }

  /**
   * Whether {@code audit.head} matched the end of the log at open (or a crash explains the
   * difference, or there was neither). False when the head was missing, unreadable or named other
   * lines: then lines cut off the end cannot be told from a crash.
   */
  public boolean headIntactAtOpen() {
    return headIntactAtOpen;
  }

  /** How many events wait in memory for the log to become writable. */
  public int buffered() {
    return buffered;
  }

  /**
   * HMAC-SHA256 of {@code value} under {@code key}, lower-case hex. Lets the audit log show that a
   * secret changed (the hash changed) without the value, and without the dictionary attack a plain
   * hash of a short password would allow: only the key holder can compute it. Use a
   * per-installation secret key, never one written to the log.
   *
   * @throws IllegalArgumentException if {@code key} is empty
   */
  public static String keyedHash(byte[] key, String value) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is required of every JVM", e);
    }
  }

  // ---- writing ----

  /** Writes the buffered events, then {@code fresh}, then the head; records a failure instead. */
  private void drain(List<Item> fresh) {
    if (!recovered) {
      recover();
      if (!recovered) {
        fresh.forEach(this::enqueue);
        buffered = pending.size();
        return;
      }
    }
    int backlog = pending.size();
    int done = 0;
    try {
      if (!pending.isEmpty() || !fresh.isEmpty()) {
        Files.createDirectories(stateDir);
        try (Appender out = new Appender()) {
          while (!pending.isEmpty()) {
            out.write(pending.peekFirst());
            pending.pollFirst();
          }
          for (; done < fresh.size(); done++) {
            out.write(fresh.get(done));
          }
          out.sync();
        }
      }
      if (headStale) {
        writeHead();
      }
    } catch (IOException | UncheckedIOException | SecurityException e) {
      for (int i = done; i < fresh.size(); i++) {
        enqueue(fresh.get(i));
      }
      buffered = pending.size();
      fail(e);
      return;
    }
    buffered = pending.size();
    if (!healthy) {
      healthy = true;
      Log.warn(
          stateDir
              + ": the audit log is writable again; wrote "
              + backlog
              + " buffered event(s) [QCFG-4102]");
    }
  }

  private void enqueue(Item item) {
    if (pending.size() < maxBuffered) {
      pending.addLast(item);
      return;
    }
    Item last = pending.peekLast();
    if (last.lost() > 0) {
      pending.pollLast();
      pending.addLast(new Item(last.time(), null, last.lost() + 1));
    } else {
      pending.addLast(new Item(item.time(), null, 1));
      Log.error(
          stateDir
              + ": the audit log is still not writable and "
              + maxBuffered
              + " events are buffered; further events are only counted [QCFG-4103]");
    }
  }

  private void fail(Exception e) {
    String message =
        stateDir
            + ": cannot write the audit log ("
            + AuditFormat.reason(e)
            + "); events are kept in memory (up to "
            + maxBuffered
            + ") and written once it works again; changes over JMX are refused until then"
            + " [QCFG-4101]";
    lastFailure = message;
    if (healthy) {
      healthy = false;
      Log.error(message);
    }
  }

  private void writeHead() throws IOException {
    ObjectNode node = AuditFormat.JSON.createObjectNode();
    node.put("seq", lastSeq);
    node.put("hash", lastHash);
    node.put("first", firstSeq);
    DurableFiles.replace(head, (node + "\n").getBytes(StandardCharsets.UTF_8));
    headStale = false;
  }

  /** The event an item writes: its own, or the events-lost marker. */
  private static AuditEvent eventOf(Item item) {
    if (item.lost() == 0) {
      return item.event();
    }
    return AuditEvent.of(
            AuditEvent.Type.EVENTS_LOST,
            "qcfg",
            "the audit log could not be written and its buffer was full")
        .withDetails(Map.of("lost", Long.toString(item.lost())));
  }

  /** Appends lines to {@code audit.log}, rotating it when full. Updates the chain per line. */
  private final class Appender implements AutoCloseable {
    private RandomAccessFile file;
    private boolean created;

    void write(Item item) throws IOException {
      byte[] json = AuditFormat.render(eventOf(item), item.time(), lastSeq + 1, lastHash);
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
    Path target = stateDir.resolve(String.format("audit.%019d.log", lastSeq));
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

  // ---- reading the state at open ----

  /** Finds where the chain stands (see {@link AuditRecovery}); records a failure instead. */
  private void recover() {
    try {
      AuditRecovery.Position at = AuditRecovery.run(stateDir);
      lastSeq = at.lastSeq();
      lastHash = at.lastHash();
      firstSeq = at.firstSeq();
      activeSize = at.activeSize();
      headStale = headStale || at.headStale();
      headIntactAtOpen = at.headIntact();
      lastVersionAtOpen = at.lastVersion();
      recovered = true;
    } catch (IOException | UncheckedIOException | SecurityException e) {
      fail(e);
    }
  }
}
