package io.qcfg.internal.history;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.qcfg.QcfgException;
import io.qcfg.internal.log.Log;
import io.qcfg.internal.text.Digits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The applied snapshots of this installation, newest last, kept in the state directory so that
 * versions keep rising across restarts, {@code rollback(version)} and {@code diff} work after a
 * restart, and a start-up with an invalid configuration can fall back to {@link #latest()}.
 *
 * <p>Layout: {@code <state>/history/<version>.json}, one file per version, the version zero-padded
 * to 19 digits so that names sort like numbers. Only the newest {@code keep} files are kept (option
 * {@code history}, default {@value #DEFAULT_KEEP}). Each file is written by {@link
 * DurableFiles#replace} (temporary file, fsync, atomic rename, directory fsync), so a {@code kill
 * -9} at any moment leaves every entry file complete.
 *
 * <p>Opening never fails the start: leftover temporary files are deleted, and an unreadable,
 * truncated or corrupt entry file is skipped with a warning (QCFG-4202) that names it. Its version
 * still counts for {@link #lastVersion()}, so a version number is never handed out twice. A state
 * directory that cannot be created or written leaves the store empty and not {@link #writable()};
 * {@link #append} then refuses with QCFG-4204 and the engine keeps running on the snapshot in
 * memory.
 *
 * <p>Files are read into Jackson's tree model only; no polymorphic or default typing is ever
 * enabled, so a planted history file cannot instantiate classes.
 *
 * <p>Two JVMs must not share one state directory; {@link StateDir} takes its lock ({@link
 * StateLock}) before the engine opens this store, and numbers versions through {@link
 * VersionCounter}, so that losing history never brings a number back.
 *
 * <p>Concurrency: {@link #append} is the only writer (the engine's applier thread; it is
 * synchronized for safety). It publishes a new immutable list with one volatile write, so readers
 * (JMX threads, the CLI) never block and never see a half-updated list.
 */
public final class HistoryStore {
  /** The default of option {@code history}: how many versions are kept. */
  public static final int DEFAULT_KEEP = 50;

  /** The file format written into each entry; a file with a higher number is skipped. */
  static final int FORMAT = 1;

  private static final String PROBE = ".probe";

  // Exact numbers (no double rounding of the tree), strict parsing, tree model only. In a holder:
  // opening the store must not initialise jackson-databind (start-up, issue 16).
  static final class Json {
    static final JsonMapper MAPPER = mapper(StreamReadConstraints.defaults());
  }

  /** History's mapper under {@code limits} (entries are read back under the defaults). */
  static JsonMapper mapper(StreamReadConstraints limits) {
    return JsonMapper.builder(JsonFactory.builder().streamReadConstraints(limits).build())
        .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
        .build();
  }

  private final Path dir;
  private final int keep;
  private final TreeMap<Long, Path> filesAtOpen; // newest `keep` entry files, read lazily; guarded by this

  private volatile List<HistoryEntry> entries; // null until first needed (start-up, issue 16)
  private final List<HistoryEntry> pending = new ArrayList<>(); // appended before; guarded by this
  private volatile long lastVersion;
  private volatile boolean writable;

  private HistoryStore(
      Path dir, int keep, TreeMap<Long, Path> files, long lastVersion, boolean writable) {
    this.dir = dir;
    this.keep = keep;
    this.filesAtOpen = files;
    this.lastVersion = lastVersion;
    this.writable = writable;
  }

  /**
   * Opens the history under {@code stateDir}, creating the directories if needed, and loads every
   * readable entry. Never throws for a problem on disk; see the class comment.
   *
   * @param stateDir the state directory (option {@code state}, default {@code ./.qcfg})
   * @param keep how many versions to keep, 1 or more (option {@code history})
   * @throws QcfgException.BadOption if {@code keep} is less than 1
   */
  public static HistoryStore open(Path stateDir, int keep) {
    if (keep < 1) {
      throw new QcfgException.BadOption(
          "option history: expected a number of versions to keep, at least 1, found " + keep);
    }
    Path dir = stateDir.resolve("history");
    boolean writable = true;
    try {
      if (!Files.isDirectory(dir)) { // else createDirectories throws and catches two exceptions
        Files.createDirectories(dir);
      }
      // Directories can exist yet refuse writes (read-only mount, permissions): find out now.
      // A file made and deleted says so; it needs no fsync (two of them, before a restart's
      // publish, when it was written durably).
      Files.write(dir.resolve(PROBE), new byte[0]);
      Files.delete(dir.resolve(PROBE));
    } catch (IOException | SecurityException e) {
      writable = false;
      Log.warn(
          dir
              + ": cannot write the history directory ("
              + reason(e)
              + "); history is not kept until it can be written [QCFG-4201]");
    }
    TreeMap<Long, Path> files = new TreeMap<>();
    if (Files.isDirectory(dir)) {
      // A directory stream, not Files.list: no stream pipeline before a restart's publish
      try (java.nio.file.DirectoryStream<Path> listing = Files.newDirectoryStream(dir)) {
        for (Path file : listing) {
          String name = file.getFileName().toString();
          long version = versionOf(name);
          if (version > 0) {
            files.put(version, file);
          } else if (name.endsWith(DurableFiles.TEMP_SUFFIX)) {
            deleteLeftover(file);
          }
        }
      } catch (IOException | RuntimeException e) {
        Log.warn(dir + ": cannot list the history directory (" + reason(e) + ") [QCFG-4201]");
      }
    }
    long lastVersion = files.isEmpty() ? 0 : files.lastKey();
    // Only the newest `keep` files matter; older ones are pruned below. They are read when first
    // needed ({@link #entries}): the start-up needs only the newest one's head ({@link #head}).
    TreeMap<Long, Path> newest = new TreeMap<>();
    for (var e : files.descendingMap().entrySet()) {
      if (newest.size() == keep) {
        break;
      }
      newest.put(e.getKey(), e.getValue());
    }
    HistoryStore store = new HistoryStore(dir, keep, newest, lastVersion, writable);
    if (writable && files.size() > keep) { // the listing above: no second one (issue 16)
      store.prune(files);
    }
    return store;
  }

  /** The version, checksum and environment of an entry, without its tree. */
  public record Head(long version, String checksum, String environment) {}

  /**
   * The head of the newest entry file, read with jackson-core's streaming parser (no tree, no
   * databind: this runs before the first snapshot is published); empty when there is none or it
   * is unreadable (then {@link #entries} warns about it). Once the entries are loaded, the newest
   * readable entry's.
   */
  public Optional<Head> head() {
    List<HistoryEntry> loaded = entries;
    if (loaded != null) {
      return loaded.isEmpty() ? Optional.empty() : Optional.of(headOf(loaded.get(loaded.size() - 1)));
    }
    HistoryEntry appended = lastPending();
    if (appended != null) {
      return Optional.of(headOf(appended));
    }
    Optional<Head> read = headAtOpen;
    if (read == null) { // the files found at open never change: their newest is read once
      var newest = newestFile();
      read = newest == null ? Optional.empty() : readHead(newest.getValue(), newest.getKey());
      headAtOpen = read;
    }
    return read;
  }

  // The head of one entry file; when the file did not change around the read, it is also known
  // for a stamp (the identity is taken first: a replace during the read then differs from it).
  private Optional<Head> readHead(Path file, long version) {
    String before = FileIdentity.of(file);
    Optional<Head> read = HistoryHead.read(file, version, FORMAT);
    if (read.isPresent() && before != null && before.equals(FileIdentity.of(file))) {
      known = stamp(read.get(), before);
    }
    return read;
  }

  /**
   * The head in {@code stamp} when the newest entry file found at open is still the stamped one
   * (its version in the name, and its {@link FileIdentity}): then no entry is read, and {@link
   * #head} answers the same from now on. Empty when the stamp does not serve; the caller then asks
   * {@link #head}, which reads the entry. Once the head is known in memory, that head.
   */
  public synchronized Optional<Head> headIfStamped(HeadStamp stamp) {
    if (entries != null || !pending.isEmpty() || headAtOpen != null) {
      return head();
    }
    var newest = filesAtOpen.lastEntry();
    if (newest == null || newest.getKey() != stamp.head().version()
        || !stamp.file().equals(FileIdentity.of(newest.getValue()))) {
      return Optional.empty();
    }
    known = stamp;
    headAtOpen = Optional.of(stamp.head());
    return headAtOpen;
  }

  /**
   * The newest entry's head and file identity, for a {@link HeadStamp}, when this process knows
   * them for sure: it wrote that file, read its head while the file stayed unchanged, or found a
   * matching stamp. Empty otherwise.
   */
  public Optional<HeadStamp> newestStamp() {
    HeadStamp k = known;
    return k != null && k.head().version() == lastVersion ? Optional.of(k) : Optional.empty();
  }

  // The newest entry file's head and identity as this process knows them, or null; see
  // newestStamp().
  private volatile HeadStamp known;

  private void knowWritten(Path file, HistoryEntry entry) {
    String id = FileIdentity.of(file);
    known = id == null ? null : stamp(headOf(entry), id);
  }

  private static HeadStamp stamp(Head head, String file) {
    try {
      return new HeadStamp(head, file);
    } catch (IllegalArgumentException e) { // a checksum no stamp can hold: read the entry instead
      return null;
    }
  }

  // The head of the newest file found at open, or null before the first head(): a fast restart
  // asks three times before its publish (the fast path, the entry check, the version), and each
  // read tokenizes the whole entry (246 KB at 10,000 leaves).
  private volatile Optional<Head> headAtOpen;

  /**
   * The newest entry file as a whole, read like {@link #head} without databind (the fast start,
   * issue 16); empty when there is none or it is unreadable. Once the entries are loaded, {@link
   * #latest}.
   */
  public Optional<HistoryEntry> newest() {
    if (entries != null) {
      return latest();
    }
    HistoryEntry appended = lastPending();
    if (appended != null) {
      return Optional.of(appended);
    }
    var newest = newestFile();
    return newest == null ? Optional.empty()
        : HistoryHead.readEntry(newest.getValue(), newest.getKey(), FORMAT);
  }

  private synchronized HistoryEntry lastPending() {
    return pending.isEmpty() ? null : pending.get(pending.size() - 1);
  }

  private synchronized java.util.Map.Entry<Long, Path> newestFile() {
    return filesAtOpen.lastEntry();
  }

  private static Head headOf(HistoryEntry e) {
    return new Head(e.version(), e.checksum(), e.environment());
  }

  /** Reads the entry files found at open (newest `keep`), once. */
  private List<HistoryEntry> loaded() {
    List<HistoryEntry> current = entries;
    if (current != null) {
      return current;
    }
    synchronized (this) {
      if (entries == null) {
        List<HistoryEntry> loaded = new ArrayList<>();
        for (var e : filesAtOpen.entrySet()) {
          read(e.getValue(), e.getKey()).ifPresent(loaded::add);
        }
        loaded.addAll(pending);
        pending.clear();
        if (loaded.size() > keep) {
          loaded.subList(0, loaded.size() - keep).clear();
        }
        entries = List.copyOf(loaded);
      }
      return entries;
    }
  }

  /**
   * The highest version named by an entry file under {@code stateDir}, without opening the store
   * (which would delete leftovers and prune): for read-only checks such as {@code audit verify}.
   */
  public static long lastVersionOnDisk(Path stateDir) {
    Path dir = stateDir.resolve("history");
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try {
      TreeMap<Long, Path> files = entryFiles(dir);
      return files.isEmpty() ? 0 : files.lastKey();
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /**
   * The entry files in {@code dir} by version. A directory stream, not {@code Files.list}: no
   * stream pipeline before a restart's publish (issue 16).
   */
  private static TreeMap<Long, Path> entryFiles(Path dir) throws IOException {
    TreeMap<Long, Path> files = new TreeMap<>();
    try (java.nio.file.DirectoryStream<Path> listing = Files.newDirectoryStream(dir)) {
      for (Path f : listing) {
        long version = versionOf(f.getFileName().toString());
        if (version > 0) {
          files.put(version, f);
        }
      }
    }
    return files;
  }

  /** The highest version ever stored here (also counting unreadable entries); 0 when none. */
  public long lastVersion() {
    return lastVersion;
  }

  /**
   * Whether the last attempt to write the history (or, before any, to create its directory)
   * succeeded. The engine shows this over JMX; {@link #append} retries regardless.
   */
  public boolean writable() {
    return writable;
  }

  /** The readable entries, oldest first, at most {@code keep}. An immutable list. */
  public List<HistoryEntry> entries() {
    return loaded();
  }

  /** The entry of {@code version}, if it is kept and readable. */
  public Optional<HistoryEntry> get(long version) {
    for (HistoryEntry e : loaded()) {
      if (e.version() == version) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }

  /** The newest readable entry: the "last valid snapshot" for the start-up fallback. */
  public Optional<HistoryEntry> latest() {
    List<HistoryEntry> current = loaded();
    return current.isEmpty() ? Optional.empty() : Optional.of(current.get(current.size() - 1));
  }

  /**
   * Stores {@code entry} durably, then prunes versions beyond {@code keep}. When this returns the
   * entry survives a crash. The engine parses the tree first ({@link EntryTree#parse}, before it
   * reserves the version) and calls {@link #append(HistoryEntry, EntryTree)}.
   *
   * @throws IllegalArgumentException if the version is not above {@link #lastVersion()} or the tree
   *     is not JSON that history can read back (both are bugs of the caller)
   * @throws QcfgException.Refused (QCFG-4204) if the file cannot be written; nothing changed
   */
  public void append(HistoryEntry entry) {
    EntryTree tree;
    try {
      tree = EntryTree.parse(entry.tree());
    } catch (EntryTree.CannotHold e) {
      throw new IllegalArgumentException(
          "history version " + entry.version() + ": " + e.getMessage() + " (at " + e.path() + ")");
    }
    append(entry, tree);
  }

  /**
   * Runs once, in memory, what checking and writing an entry runs (issue 16: the first entry is
   * checked just before the first publish and written right after it, and a short-lived JVM's
   * exit waits for that write). Writes nothing; never throws.
   */
  public static void warm() {
    try {
      EntryTree t = EntryTree.parse("{\"a\":{\"b\":[1,\"x\",true,null,1.5]}}");
      EntryJson.render(new HistoryEntry(1, "0", "warm", "warm", Instant.now(), "warm", "qcfg",
          List.of(), t.json()), t.json(), FORMAT);
    } catch (IOException | EntryTree.CannotHold | RuntimeException e) {
      // only a warm-up: the real write reports its own failures
    }
  }

  /**
   * As {@link #append(HistoryEntry)}, with the entry's tree already parsed ({@code entry.tree()}
   * is not read again).
   */
  public synchronized void append(HistoryEntry entry, EntryTree parsed) {
    if (entry.version() <= lastVersion) {
      throw new IllegalArgumentException(
          "history version " + entry.version() + " is not after the last version " + lastVersion);
    }
    EntryJson.Rendered rendered;
    try { // jackson-core alone: no databind after the first publish (issue 16)
      rendered = EntryJson.render(entry, parsed.json(), FORMAT); // checked to fit by EntryTree
    } catch (IOException e) {
      throw new IllegalArgumentException("history version " + entry.version()
          + ": tree is not JSON");
    }
    Path file = dir.resolve(fileName(entry.version()));
    try {
      if (!Files.isDirectory(dir)) { // else createDirectories throws and catches two exceptions
        Files.createDirectories(dir);
      }
      DurableFiles.replace(file, rendered.bytes());
      knowWritten(file, entry);
    } catch (IOException | SecurityException e) {
      String message =
          file
              + ": cannot write history version "
              + entry.version()
              + " ("
              + reason(e)
              + "); the snapshot stays applied but is not kept in history";
      if (writable) {
        Log.error(message + " [QCFG-4204]");
      }
      writable = false;
      throw new QcfgException.Refused("QCFG-4204", message);
    }
    if (!writable) {
      Log.info(dir + ": history is writable again [QCFG-4205]");
    }
    writable = true;
    HistoryEntry stored =
        new HistoryEntry(
            entry.version(),
            entry.checksum(),
            entry.environment(),
            entry.environmentSource(),
            entry.createdAt(),
            entry.cause(),
            entry.actor(),
            entry.files(),
            rendered.tree(),
            entry.confirmed());
    if (entries == null) {
      // Not read yet (a start-up that only needed the head): the files found at open are read
      // when first needed, this entry is kept in memory until then.
      pending.add(stored);
      lastVersion = entry.version();
      prune();
      return;
    }
    List<HistoryEntry> next = new ArrayList<>(loaded());
    next.add(stored);
    if (next.size() > keep) {
      next.subList(0, next.size() - keep).clear();
    }
    // lastVersion first: a reader that sees the new list also sees a lastVersion that covers it.
    lastVersion = entry.version();
    entries = List.copyOf(next);
    prune();
  }

  /**
   * Rewrites the kept entry of {@code version} as confirmed (issue 18), durably as {@link #append}
   * writes. A failure is logged once and leaves the entry as it was.
   *
   * @return whether the entry is kept and now confirmed on disk
   */
  public synchronized boolean markConfirmed(long version) {
    List<HistoryEntry> current = loaded();
    for (int i = 0; i < current.size(); i++) {
      HistoryEntry e = current.get(i);
      if (e.version() != version) {
        continue;
      }
      if (e.confirmed()) {
        return true;
      }
      HistoryEntry c = e.asConfirmed();
      try {
        DurableFiles.replace(dir.resolve(fileName(version)),
            EntryJson.render(c, c.tree(), FORMAT).bytes());
        if (version == lastVersion) {
          knowWritten(dir.resolve(fileName(version)), c);
        }
      } catch (IOException | SecurityException e2) {
        Log.warnOnce("history-confirm", dir + ": cannot mark version " + version
            + " confirmed (" + reason(e2) + ") [QCFG-4710]");
        return false;
      }
      List<HistoryEntry> next = new ArrayList<>(current);
      next.set(i, c);
      entries = List.copyOf(next);
      return true;
    }
    return false;
  }

  /**
   * The version an entry file is named for ({@code \\d{19}\\.json}: 19 ASCII digits), or 0 for
   * any other name. Without a regular expression: the class is initialised before a restart's
   * publish.
   */
  static long versionOf(String fileName) {
    if (fileName.length() != 24 || !fileName.endsWith(".json")) {
      return 0;
    }
    for (int i = 0; i < 19; i++) {
      char c = fileName.charAt(i);
      if (c < '0' || c > '9') {
        return 0;
      }
    }
    try {
      return Long.parseLong(fileName, 0, 19, 10);
    } catch (NumberFormatException e) {
      return 0; // 19 digits beyond Long.MAX_VALUE: not ours.
    }
  }

  static String fileName(long version) {
    return Digits.zeroPadded(version, 19) + ".json";
  }

  /** Deletes entry files beyond the newest {@code keep}, readable or not. */
  private void prune() {
    TreeMap<Long, Path> files;
    try {
      files = entryFiles(dir);
    } catch (IOException | RuntimeException e) {
      return; // The next append tries again.
    }
    prune(files);
  }

  /** Deletes the oldest of {@code files} (entry files by version; emptied) beyond {@code keep}. */
  private void prune(TreeMap<Long, Path> files) {
    while (files.size() > keep) {
      Path oldest = files.pollFirstEntry().getValue();
      try {
        Files.deleteIfExists(oldest);
      } catch (IOException | RuntimeException e) {
        Log.warnOnce(
            "history-prune:" + oldest,
            oldest + ": cannot delete old history entry (" + reason(e) + ") [QCFG-4206]");
      }
    }
  }

  private static void deleteLeftover(Path file) {
    try {
      Files.deleteIfExists(file);
      Log.warn(file + ": removed the leftover of an interrupted history write [QCFG-4203]");
    } catch (IOException | RuntimeException e) {
      Log.warn(
          file
              + ": ignoring the leftover of an interrupted history write; cannot delete it ("
              + reason(e)
              + ") [QCFG-4203]");
    }
  }

  /** Reads one entry file; empty (with a warning) when it is unreadable in any way. */
  private static Optional<HistoryEntry> read(Path file, long versionFromName) {
    try {
      JsonNode node = Json.MAPPER.readTree(Files.readAllBytes(file));
      if (!node.isObject()) {
        throw new Corrupt("expected a JSON object, found " + describe(node));
      }
      long format = number(node, "format");
      if (format != FORMAT) {
        throw new Corrupt(
            "format "
                + format
                + " is not known to this qcfg (expected "
                + FORMAT
                + "); written by a newer version?");
      }
      long version = number(node, "version");
      if (version != versionFromName) {
        throw new Corrupt("holds version " + version + " but is named for " + versionFromName);
      }
      Instant createdAt;
      try {
        createdAt = io.qcfg.internal.text.IsoTime.parseInstant(text(node, "createdAt"));
      } catch (DateTimeParseException e) {
        throw new Corrupt(
            "createdAt: expected an ISO-8601 instant, found " + node.get("createdAt"));
      }
      JsonNode filesNode = node.get("files");
      if (filesNode == null || !filesNode.isArray()) {
        throw new Corrupt("files: expected an array of strings, found " + describe(filesNode));
      }
      List<String> files = new ArrayList<>();
      for (JsonNode f : filesNode) {
        if (!f.isTextual()) {
          throw new Corrupt("files: expected an array of strings, found " + describe(f));
        }
        files.add(f.asText());
      }
      JsonNode tree = node.get("tree");
      if (tree == null) {
        throw new Corrupt("tree: missing");
      }
      return Optional.of(
          new HistoryEntry(
              version,
              text(node, "checksum"),
              text(node, "environment"),
              text(node, "environmentSource"),
              createdAt,
              text(node, "cause"),
              text(node, "actor"),
              files,
              tree.toString(),
              node.path("confirmed").asBoolean(false)));
    } catch (IOException | Corrupt | IllegalArgumentException e) {
      String why;
      if (e instanceof JsonProcessingException j) {
        // qcfg's words and the position; the parser's own text never reaches the log
        com.fasterxml.jackson.core.JsonLocation at = j.getLocation();
        why = "not valid JSON, truncated or edited"
            + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")");
      } else if (e instanceof Corrupt) {
        why = e.getMessage();
      } else {
        why = reason(e);
      }
      Log.warn(file + ": skipping unreadable history entry: " + why + " [QCFG-4202]");
      return Optional.empty();
    }
  }

  private static long number(JsonNode node, String field) throws Corrupt {
    JsonNode v = node.get(field);
    if (v == null || !v.canConvertToExactIntegral() || !v.canConvertToLong()) {
      throw new Corrupt(field + ": expected a whole number, found " + describe(v));
    }
    return v.asLong();
  }

  private static String text(JsonNode node, String field) throws Corrupt {
    JsonNode v = node.get(field);
    if (v == null || !v.isTextual()) {
      throw new Corrupt(field + ": expected a string, found " + describe(v));
    }
    return v.asText();
  }

  private static String describe(JsonNode node) {
    return node == null || node.isMissingNode()
        ? "nothing"
        : node.getNodeType().name().toLowerCase(Locale.ROOT);
  }

  static String reason(Throwable e) {
    return io.qcfg.internal.crypto.ForeignText.describe(e); // qcfg's wording, scrubbed
  }

  /** A readable file whose content is not a history entry. */
  private static final class Corrupt extends Exception {
    private static final long serialVersionUID = 1L;

    Corrupt(String message) {
      super(message, null, false, false);
    }
  }
}
