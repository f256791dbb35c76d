package io.qcfg.internal.audit;

import io.qcfg.internal.crypto.Hmac;
import io.qcfg.internal.log.Log;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

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
 * see {@link AuditFormat} for the exact format. This class is the appender (queue, group commit,
 * buffering during outages); {@link AuditChain} writes the files, {@link AuditRecovery} reads their
 * end at open.
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
  private final long maxBytesPerFile;
  private final int keepFiles;
  private final int maxBuffered;

  // Appenders queue their event here and take a ticket, both under `queue`; whoever then holds
  // `this` writes the whole queue as one batch with one fsync (group commit).
  private final ArrayDeque<Item> queue = new ArrayDeque<>();
  private long lastTicket; // guarded by queue

  // Guarded by this.
  private long writtenTicket;
  private AuditChain chain; // null until recovered
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
      if (log.chain != null && log.chain.headStale()) {
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
   * Renders one event in memory, as {@link #append} does (issue 16: the first snapshot's line is
   * written right after the first publish, and a short-lived JVM's exit waits for it). Writes
   * nothing; never throws.
   */
  public static void warm() {
    try {
      AuditFormat.render(AuditEvent.of(AuditEvent.Type.STARTUP, "qcfg", "warm")
          .withVersions(null, 1L).withPaths(List.of("a")), Instant.now(), 1, AuditFormat.GENESIS);
    } catch (IOException | RuntimeException e) {
      // only a warm-up: the real write reports its own failures
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
    if (key.length == 0) {
      throw new IllegalArgumentException("empty key"); // as javax.crypto.spec.SecretKeySpec did
    }
    // Hmac, not javax.crypto.Mac: the same bytes without the JCE's first-use cost (issue 16).
    return HexFormat.of().formatHex(new Hmac(key).doFinal(value.getBytes(StandardCharsets.UTF_8)));
  }

  // ---- writing ----

  /** Writes the buffered events, then {@code fresh}, then the head; records a failure instead. */
  private void drain(List<Item> fresh) {
    if (chain == null) {
      recover();
      if (chain == null) {
        fresh.forEach(this::enqueue);
        buffered = pending.size();
        return;
      }
    }
    int backlog = pending.size();
    int done = 0;
    try {
      if (!pending.isEmpty() || !fresh.isEmpty()) {
        if (!Files.isDirectory(stateDir)) { // else createDirectories throws two exceptions
          Files.createDirectories(stateDir);
        }
        try (AuditChain.Batch out = chain.batch()) {
          while (!pending.isEmpty()) {
            Item item = pending.peekFirst();
            out.write(eventOf(item), item.time());
            pending.pollFirst();
          }
          for (; done < fresh.size(); done++) {
            out.write(eventOf(fresh.get(done)), fresh.get(done).time());
          }
          out.sync();
        }
      }
      if (chain.headStale()) {
        chain.writeHead();
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

  // ---- reading the state at open ----

  /** Finds where the chain stands (see {@link AuditRecovery}); records a failure instead. */
  private void recover() {
    try {
      AuditRecovery.Position at = AuditRecovery.run(stateDir);
      headIntactAtOpen = at.headIntact();
      lastVersionAtOpen = at.lastVersion();
      chain = new AuditChain(stateDir, maxBytesPerFile, keepFiles, at);
    } catch (IOException | UncheckedIOException | SecurityException e) {
      fail(e);
    }
  }
}
