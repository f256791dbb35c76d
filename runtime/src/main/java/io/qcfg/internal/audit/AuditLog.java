package io.qcfg.internal.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qcfg.internal.history.DurableFiles;
import io.qcfg.internal.log.Log;
import java.io.BufferedReader;
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
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
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
 * Keys always in this order, absent fields left out: {@code seq} (1, 2, ... for the life of the
 * state directory), {@code time} (ISO-8601, UTC), {@code event} ({@link AuditEvent.Type#wireName}),
 * {@code actor}, {@code cause}, {@code version}, {@code fromVersion}, {@code paths}, {@code
 * problems}, {@code details} (keys sorted), {@code prev}: the lower-case hex SHA-256 of the exact
 * bytes of the previous line without its {@code \n}, or 64 zeros for seq 1. Lines are UTF-8 and end
 * in {@code \n}; Jackson escapes every control character inside strings, so a line is never split.
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

  static final String ACTIVE = "audit.log";
  static final String HEAD = "audit.head";
  static final Pattern ROTATED = Pattern.compile("audit\\.(\\d{19})\\.log");
  static final String GENESIS = "0".repeat(64);
  // Tree model only, no default typing; strict so that a doctored line does not parse leniently.
  static final JsonMapper JSON =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

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
  private String lastHash = GENESIS;
  private long firstSeq; // seq of the oldest kept line; 0 while there is none
  private long activeSize;
  private long truncateTo = -1;
  private boolean headStale;
  private final ArrayDeque<Item> pending = new ArrayDeque<>();

  private volatile boolean healthy = true;
  private volatile String lastFailure;
  private volatile int buffered;

  /** An event waiting to be written; {@code lost > 0} makes it an events-lost marker instead. */
  private record Item(Instant time, AuditEvent event, long lost) {}

  private AuditLog(Path stateDir, long maxBytesPerFile, int keepFiles, int maxBuffered) {
    this.stateDir = stateDir;
    this.active = stateDir.resolve(ACTIVE);
    this.head = stateDir.resolve(HEAD);
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
            + reason(e)
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
    ObjectNode node = JSON.createObjectNode();
    node.put("seq", lastSeq);
    node.put("hash", lastHash);
    node.put("first", firstSeq);
    DurableFiles.replace(head, (node + "\n").getBytes(StandardCharsets.UTF_8));
    headStale = false;
  }

  /** Appends lines to {@code audit.log}, rotating it when full. Updates the chain per line. */
  private final class Appender implements AutoCloseable {
    private RandomAccessFile file;
    private boolean created;

    void write(Item item) throws IOException {
      byte[] json = render(item, lastSeq + 1, lastHash);
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
      lastHash = sha256(json);
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
    List<Path> rotated = rotatedFiles(stateDir);
    int excess = rotated.size() - keepFiles;
    if (excess <= 0) {
      return;
    }
    // Rotated names carry their last seq: the log will start just after the newest one deleted.
    // The head says so before anything is deleted; a crash in between leaves old lines that
    // should be gone, which verify accepts, rather than missing lines, which it must not.
    firstSeq = lastSeqOf(rotated.get(excess - 1)) + 1;
    writeHead();
    for (int i = 0; i < excess; i++) {
      Path oldest = rotated.get(i);
      try {
        Files.deleteIfExists(oldest);
      } catch (IOException e) {
        Log.warnOnce(
            "audit-prune:" + oldest,
            oldest + ": cannot delete old audit file (" + reason(e) + ") [QCFG-4109]");
        break; // Oldest first only, so that what is kept has no hole; the next rotation retries.
      }
    }
  }

  /** The seq in a rotated file's name. */
  static long lastSeqOf(Path rotated) {
    Matcher m = ROTATED.matcher(rotated.getFileName().toString());
    return m.matches() ? Long.parseLong(m.group(1)) : 0;
  }

  private static byte[] render(Item item, long seq, String prev) throws IOException {
    AuditEvent e =
        item.lost() > 0
            ? AuditEvent.of(
                    AuditEvent.Type.EVENTS_LOST,
                    "qcfg",
                    "the audit log could not be written and its buffer was full")
                .withDetails(Map.of("lost", Long.toString(item.lost())))
            : item.event();
    ObjectNode n = JSON.createObjectNode();
    n.put("seq", seq);
    n.put("time", item.time().toString());
    n.put("event", e.type().wireName());
    n.put("actor", e.actor());
    n.put("cause", e.cause());
    if (e.version() != null) {
      n.put("version", e.version());
    }
    if (e.fromVersion() != null) {
      n.put("fromVersion", e.fromVersion());
    }
    if (!e.paths().isEmpty()) {
      ArrayNode a = n.putArray("paths");
      e.paths().forEach(a::add);
    }
    if (!e.problems().isEmpty()) {
      ArrayNode a = n.putArray("problems");
      e.problems().forEach(a::add);
    }
    if (!e.details().isEmpty()) {
      ObjectNode d = n.putObject("details");
      e.details().forEach(d::put);
    }
    n.put("prev", prev);
    return JSON.writeValueAsBytes(n);
  }

  // ---- reading the state at open ----

  /** Finds where the chain stands: seq and hash of the last line, cross-checked with the head. */
  private void recover() {
    try {
      if (!Files.exists(stateDir)) {
        recovered = true; // A fresh installation; created at the first append.
        return;
      }
      if (Files.isRegularFile(active)) {
        repairPartialLine(active);
      }
      Tail tail = null;
      List<Path> files = logFiles(stateDir);
      for (int i = files.size() - 1; i >= 0 && tail == null; i--) {
        tail = readTail(files.get(i));
      }
      Head h = readHead();
      decide(tail, h);
      if (h != null) {
        firstSeq = h.first();
      } else if (!files.isEmpty()) {
        firstSeq = firstSeqOf(files.get(0));
      }
      activeSize = Files.isRegularFile(active) ? Files.size(active) : 0;
      recovered = true;
    } catch (IOException | UncheckedIOException | SecurityException e) {
      fail(e);
    }
  }

  private void decide(Tail tail, Head h) throws IOException {
    if (tail == null) {
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
      continueFrom(h.seq(), h.hash());
    } else if (h.seq() < tail.seq() && chainsOnFrom(tail.file(), h)) {
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
  private static boolean chainsOnFrom(Path file, Head h) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
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
      JsonNode node;
      try {
        node = JSON.readTree(line);
      } catch (JsonProcessingException e) {
        if (started) {
          return false;
        }
        continue;
      }
      long seq = node == null ? -1 : node.path("seq").asLong(-1);
      String prev = node == null ? "" : node.path("prev").asText("");
      String hash = sha256(line);
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
      long keep = lastNewlineBefore(f, length - 1) + 1;
      f.setLength(keep);
      f.getFD().sync();
      Log.warn(
          file
              + ": removed an incomplete last line ("
              + (length - keep)
              + " bytes) left by an interrupted write [QCFG-4104]");
    }
  }

  private record Tail(Path file, String hash, long seq) {}

  /** The content of {@code audit.head}. */
  record Head(long seq, String hash, long first) {}

  /** The last line of a file that ends in a newline; null if the file is empty. */
  private static Tail readTail(Path file) throws IOException {
    byte[] line;
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      long end = f.length() - 1; // the final '\n'
      if (end < 0) {
        return null;
      }
      long start = lastNewlineBefore(f, end) + 1;
      if (end - start > Integer.MAX_VALUE - 16) {
        throw new IOException(file + ": last line too long");
      }
      line = new byte[(int) (end - start)];
      f.seek(start);
      f.readFully(line);
    }
    long seq = -1;
    try {
      JsonNode node = JSON.readTree(line);
      if (node != null && node.path("seq").canConvertToLong()) {
        seq = node.path("seq").asLong();
      }
    } catch (IOException e) {
      // Reported by the caller as an unreadable last line.
    }
    return new Tail(file, sha256(line), seq);
  }

  /** The seq of a file's first line, or 0 if it has none or it is unreadable. */
  private static long firstSeqOf(Path file) {
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line = in.readLine();
      return line == null ? 0 : JSON.readTree(line).path("seq").asLong(0);
    } catch (IOException e) {
      return 0; // verify will say what is wrong with it
    }
  }

  /** Position of the last '\n' before {@code end} (exclusive), or -1. Reads backwards in blocks. */
  private static long lastNewlineBefore(RandomAccessFile f, long end) throws IOException {
    byte[] block = new byte[8192];
    long pos = end;
    while (pos > 0) {
      int n = (int) Math.min(block.length, pos);
      pos -= n;
      f.seek(pos);
      f.readFully(block, 0, n);
      for (int i = n - 1; i >= 0; i--) {
        if (block[i] == '\n') {
          return pos + i;
        }
      }
    }
    return -1;
  }

  private Head readHead() {
    if (!Files.exists(head)) {
      return null;
    }
    try {
      return parseHead(Files.readAllBytes(head));
    } catch (IOException e) {
      Log.error(head + ": unreadable (" + describe(e) + "); treated as missing [QCFG-4107]");
      return null;
    }
  }

  /** Parses {@code audit.head}; throws IOException naming what is wrong. */
  static Head parseHead(byte[] bytes) throws IOException {
    JsonNode node = JSON.readTree(bytes);
    if (node == null
        || !node.path("seq").canConvertToLong()
        || !node.path("hash").isTextual()
        || !isHash(node.path("hash").asText())
        || !node.path("first").canConvertToLong()) {
      throw new MalformedHead(
          "expected {\"seq\":N,\"hash\":\"<64 hex digits>\",\"first\":N}, found " + node);
    }
    return new Head(
        node.path("seq").asLong(), node.path("hash").asText(), node.path("first").asLong());
  }

  // ---- shared with AuditVerifier ----

  /** Every log file in order: rotated files oldest first, then {@code audit.log} if present. */
  static List<Path> logFiles(Path stateDir) throws IOException {
    List<Path> files = new ArrayList<>(rotatedFiles(stateDir));
    Path active = stateDir.resolve(ACTIVE);
    if (Files.isRegularFile(active)) {
      files.add(active);
    }
    return files;
  }

  private static List<Path> rotatedFiles(Path stateDir) throws IOException {
    TreeMap<String, Path> byName = new TreeMap<>(); // 19-digit names sort as numbers
    try (Stream<Path> listing = Files.list(stateDir)) {
      listing.forEach(
          p -> {
            Matcher m = ROTATED.matcher(p.getFileName().toString());
            if (m.matches()) {
              byName.put(m.group(1), p);
            }
          });
    }
    return new ArrayList<>(byName.values());
  }

  static boolean isHash(String s) {
    return s.length() == 64
        && s.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }

  /** {@code audit.head} holds JSON of the wrong shape. */
  static final class MalformedHead extends IOException {
    private static final long serialVersionUID = 1L;

    MalformedHead(String message) {
      super(message);
    }
  }

  /** A read failure for a message: the parser's own words, or the exception type and message. */
  static String describe(IOException e) {
    if (e instanceof JsonProcessingException j) {
      return j.getOriginalMessage();
    }
    return e instanceof MalformedHead ? e.getMessage() : reason(e);
  }

  static String reason(Throwable e) {
    return io.qcfg.internal.crypto.ForeignText.describe(e); // qcfg's wording, scrubbed
  }
}
