package io.qcfg.internal.layer;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import io.qcfg.Problem;
import io.qcfg.QcfgException;
import io.qcfg.internal.text.Sha256;
import io.qcfg.internal.tree.Origins;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import io.qcfg.internal.log.StartupTrace;

/**
 * Reads and parses one HOCON layer file under {@link Limits}, strictly: the bytes must be UTF-8,
 * the file must not be empty, nesting and substitutions are bounded before the recursive parser
 * sees the text, and every include goes through {@link SafeIncluder}.
 *
 * <p>Parsed files are cached by path and SHA-256 of content, so a reload re-parses only what
 * changed. Concurrency: the cache is a small LRU map under its own lock (held for a lookup or an
 * insert, never during a parse), safe for the parallel parse of layers. No Caffeine: it is not
 * worth its class loading on the start-up path, and its shaded copy reaches for System.Logger.
 */
public final class LayerFileReader {

  /**
   * One parsed file: what was read.
   *
   * @param includedFiles every file it includes, transitively, that existed (real paths)
   */
  public record Parsed(Path file, String display, Config config, List<Path> includedFiles) {}

  /** A file's text as read, with its display name and hash. */
  record Text(String display, String text, String sha256) {}

  private final Limits limits;

  /** Whether a file is first offered to {@link PlainHocon} (false only for tests: see below). */
  private final boolean plainFirst;

  /**
   * The last parse of each file: one entry per path, so old versions of an edited file go. The
   * key is the file's text and every include's hash (a missing include's hash is empty): an edit
   * of an included file, or one appearing or disappearing, is a change of the parse (issue 15
   * item 1). The file's own text is compared, not hashed (issue 16: a first start hashed every
   * layer file before its publish only to find the cache empty); it is kept here anyway.
   */
  private record CachedParse(String text, Config config, List<SafeIncluder.Included> includes) {}

  static final int MAX_CACHED_FILES = 256;

  private final java.util.Map<String, CachedParse> parsed = boundedByFile();

  /**
   * The last bytes read of each file and their strict UTF-8 decoding (issue 19 item 3): a reload
   * reads every layer file and the schema again, and an unchanged one then skips the decode and
   * hands out the very same text, whose hash and parse {@link #read} and the schema's cache
   * already hold. Keyed by the bytes themselves, compared whole: never by size or time, which a
   * replaced file can keep. Bounded and locked as {@link #parsed}.
   */
  private record Decoded(byte[] bytes, String text) {}

  private final java.util.Map<String, Decoded> decoded = boundedByFile();

  /** A map of at most {@link #MAX_CACHED_FILES} entries, least recently used out first; locked. */
  private static <V> java.util.Map<String, V> boundedByFile() {
    return java.util.Collections.synchronizedMap(
        new java.util.LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(java.util.Map.Entry<String, V> eldest) {
            return size() > MAX_CACHED_FILES;
          }
        });
  }

  public LayerFileReader(Limits limits) {
    this(limits, true);
  }

  private LayerFileReader(Limits limits, boolean plainFirst) {
    this.limits = limits;
    this.plainFirst = plainFirst;
  }

  /**
   * A reader that parses every file with Typesafe's parser, as before the build offered files to
   * {@link PlainHocon}: only for the tests that build the same trees both ways and compare them.
   */
  public static LayerFileReader typesafeOnly(Limits limits) {
    return new LayerFileReader(limits, false);
  }

  /** How many files' parses are cached (for tests: the cache is bounded). */
  int cachedFiles() {
    return parsed.size();
  }

  public Limits limits() {
    return limits;
  }

  /**
   * Reads {@code file} (inside the real configuration directory {@code realRoot}) and parses it.
   *
   * @throws QcfgException.Invalid with one problem naming the file (and line, where known)
   */
  public Parsed read(Path file, Path realRoot) {
    String display = Origins.display(file);
    requireInside(file, realRoot, display);
    String text = readText(file, display);
    CachedParse cached = parsed.get(display);
    // The same text object when the bytes were those of the cached parse (readText's memo).
    if (cached == null || !(cached.text() == text || cached.text().equals(text))
        || !unchanged(cached.includes())) {
      List<SafeIncluder.Included> includes = new java.util.ArrayList<>();
      SafeIncluder includer = new SafeIncluder(
          new SafeIncluder.Directory(realRoot, file.toAbsolutePath().getParent()), this, 0,
          includes);
      Config config = parseLayer(display, text, cached, includer);
      cached = new CachedParse(text, config, List.copyOf(includes));
      parsed.put(display, cached);
    }
    List<Path> files = new java.util.ArrayList<>();
    for (SafeIncluder.Included i : cached.includes()) {
      if (i.file() != null && !i.sha256().isEmpty() && !files.contains(i.file())) {
        files.add(i.file());
      }
    }
    return new Parsed(file, display, cached.config(), List.copyOf(files));
  }

  /**
   * Reads {@code file} as {@link #read} does and parses it with {@link PlainHocon}, without
   * Typesafe's parser and without caching the result; null when the plain reader declines or the
   * file cannot be read (then {@link #read} gives the parse, or the problem).
   */
  public Config readPlain(Path file, Path realRoot) {
    PlainHocon.Tree tree = readPlainTree(file, realRoot);
    try {
      return tree == null ? null : tree.config();
    } catch (RuntimeException e) { // never the fast path's failure: read will parse it
      return null;
    }
  }

  /**
   * {@link #readPlain}'s parse before its objects are made Typesafe's ({@link PlainHocon.Tree}):
   * for the secret layer's read ahead of a fast restart, which looks values up in it (issue 16).
   */
  public PlainHocon.Tree readPlainTree(Path file, Path realRoot) {
    String display = Origins.display(file);
    try {
      requireInside(file, realRoot, display);
      long t = StartupTrace.begin();
      String text = readText(file, display);
      PlainHocon.Tree plain = plainFirst ? PlainHocon.parseTree(text, display, limits.maxDepth())
          : null;
      StartupTrace.end((plain == null ? "plain parse declined " : "plain parse ") + display, t);
      return plain;
    } catch (RuntimeException e) { // Invalid, or anything: never the fast path's failure
      return null;
    }
  }

  /**
   * The parse of a layer file's {@code text} by {@link PlainHocon}, or null when it declines (or
   * this reader is {@link #typesafeOnly}): then Typesafe parses it, and a bad file's problem comes
   * from that parse, worded as always. What the plain reader accepts passes {@link
   * #checkStructure} (it declines {@code ${}, {@code +=} and any nesting over the limit, and a
   * bracket never nests deeper than its key's path), so that scan is skipped; Typesafe's parse of
   * it would be the same tree ({@code PlainHoconDifferentialTest}, {@code PlainLayerReadTest}).
   */
  private Config plain(String text, String display) {
    if (!plainFirst) {
      return null;
    }
    try {
      return PlainHocon.parse(text, display, limits.maxDepth());
    } catch (RuntimeException e) { // declining is always allowed: Typesafe then parses it
      return null;
    }
  }

  /** Whether every include of a cached parse still has the content (or absence) it had. */
  private boolean unchanged(List<SafeIncluder.Included> includes) {
    for (SafeIncluder.Included i : includes) {
      if (i.file() == null) {
        continue; // class-path resources do not change while the JVM runs
      }
      if (!Files.exists(i.file())) {
        if (!i.sha256().isEmpty()) {
          return false;
        }
        continue;
      }
      if (i.sha256().isEmpty()) {
        return false;
      }
      try {
        if (!Sha256.hex(readBytes(i.file(), i.file().toString())).equals(i.sha256())) {
          return false;
        }
      } catch (QcfgException.Invalid e) {
        return false;
      }
    }
    return true;
  }

  /** Reads an included file of the configuration directory. */
  Text readIncluded(Path real) {
    String display = Origins.display(real);
    String text = readText(real, display);
    return new Text(display, text, Sha256.hex(text));
  }

  /** Reads a class-path resource (a reference.conf or what it includes) as UTF-8 text. */
  String readResource(java.net.URL url, String name) {
    try (java.io.InputStream in = url.openStream()) {
      byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limits.maxFileSize() + 1));
      if (bytes.length > limits.maxFileSize()) {
        throw invalid("QCFG-1003", name + " @ " + url, "the resource is over the limit of "
            + limits.maxFileSize() + " bytes (option max-file-size)");
      }
      return new String(bytes, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw invalid("QCFG-1001", name + " @ " + url, "cannot read the class-path resource ("
          + e.getClass().getSimpleName() + ")");
    }
  }

  /**
   * Refuses a layer file whose real path (after symlinks) is outside the configuration directory
   * (issue 15 item 15): edits of its target would never be noticed by the watcher, and it would
   * bring in a file the directory does not hold. Symlinks that stay inside (a Kubernetes volume's
   * {@code ..data} links) are fine.
   *
   * @throws QcfgException.Invalid QCFG-1024
   */
  public static void requireInside(Path file, Path realRoot, String display) {
    if (realRoot == null || !Files.exists(file)) {
      return;
    }
    Path real;
    try {
      real = file.toRealPath();
    } catch (IOException e) {
      return; // reading it reports the problem
    }
    if (!real.startsWith(realRoot)) {
      throw invalid("QCFG-1024", display, "the file is a symbolic link to " + real
          + ", outside the configuration directory; refused (edits there would never be noticed):"
          + " copy the file into the directory, or link the whole directory instead");
    }
  }

  /** As {@link #readText} but an empty file is an empty string (secret files, templates). */
  public String readTextAllowEmpty(Path file, String display) {
    return decodeOnce(readBytes(file, display), display);
  }

  /** Reads a file as strict UTF-8 text within the size limit; an empty file is an error. */
  public String readText(Path file, String display) {
    byte[] bytes = readBytes(file, display);
    if (bytes.length == 0 || isBlank(bytes)) {
      throw invalid(
          "QCFG-1005",
          display,
          "the file is empty (a layer file must hold at least one setting; delete it instead,"
              + " or it may be a save still in progress)");
    }
    return decodeOnce(bytes, display);
  }

  /** {@link #decode}, or the text of the last decode of {@code display} when the bytes are equal. */
  private String decodeOnce(byte[] bytes, String display) {
    Decoded last = decoded.get(display);
    if (last != null && java.util.Arrays.equals(last.bytes(), bytes)) {
      return last.text();
    }
    String text = decode(bytes, display);
    decoded.put(display, new Decoded(bytes, text));
    return text;
  }

  /**
   * {@code bytes} as strict UTF-8, else QCFG-1004 naming the line. The JDK's lenient decode (its
   * fast path: an ASCII file is copied as is) gives the strict decode's text whenever it holds no
   * U+FFFD, the character it puts where the strict one would fail; only a text with one (bad
   * bytes, or a file that really holds U+FFFD) is decoded again strictly. A cold build decoded
   * every file and the schema through a {@code CharsetDecoder} (issue 19: 5% of its samples).
   */
  static String decode(byte[] bytes, String display) {
    String lenient = new String(bytes, StandardCharsets.UTF_8);
    if (lenient.indexOf('\uFFFD') < 0) {
      return lenient;
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      int line = 1 + countNewlinesBeforeInvalidUtf8(bytes);
      throw invalid("QCFG-1004", display + ":" + line, "the file is not valid UTF-8 text");
    }
  }

  /** Reads a file's bytes within the size limit; errors name the file and the reason. */
  public byte[] readBytes(Path file, String display) {
    try {
      // One stat for the kind and the size: every reload reads every layer file again.
      java.nio.file.attribute.BasicFileAttributes attributes =
          Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class);
      if (attributes.isDirectory()) {
        throw invalid("QCFG-1002", display, "expected a file, found a directory");
      }
      if (!attributes.isRegularFile()) {
        // A FIFO or device would block the reader (opening a FIFO waits for a writer).
        throw invalid("QCFG-1002", display, "expected a regular file, found a FIFO or device");
      }
      long size = attributes.size();
      if (size > limits.maxFileSize()) {
        throw invalid(
            "QCFG-1003",
            display,
            "the file is " + size + " bytes, over the limit of " + limits.maxFileSize()
                + " bytes (option max-file-size)");
      }
      byte[] bytes = io.qcfg.internal.text.FileBytes.read(file); // no FileChannel: issue 16
      if (bytes.length > limits.maxFileSize()) {
        throw invalid("QCFG-1003", display, "the file grew over the size limit while read");
      }
      return bytes;
    } catch (AccessDeniedException e) {
      throw invalid("QCFG-1001", display, "cannot read the file: permission denied");
    } catch (NoSuchFileException e) {
      throw invalid("QCFG-1001", display, "cannot read the file: it does not exist (any more)");
    } catch (IOException e) {
      throw invalid("QCFG-1001", display, "cannot read the file: " + e.getMessage());
    }
  }

  /**
   * Parses a layer file that is new or changed since {@code last} (null when new). An edit of a
   * file without includes first goes to {@link EditReparse}, which parses only the blocks the edit
   * touched when it can show that equal to the whole parse: the untouched subtrees keep their
   * identity, which the merge's diff, the index and the schema verdicts rely on. Otherwise the
   * whole text goes to {@link PlainHocon}, and to Typesafe's parser when it declines, which then
   * also words the problem of a bad file, as it always did.
   */
  private Config parseLayer(
      String display, String text, CachedParse last, SafeIncluder includer) {
    long t = StartupTrace.begin();
    ConfigParseOptions options = options(display, ConfigSyntax.CONF, includer);
    boolean edit = last != null && last.includes().isEmpty();
    if (edit) {
      checkStructure(display, text);
      Config edited = EditReparse.reparse(last.text(), last.config(), text, part -> {
        Config plain = plain(part, display);
        return plain != null ? plain : UnsyncStringReader.parse(part, options);
      });
      if (edited != null) {
        StartupTrace.end("edited blocks parse " + display, t);
        return edited;
      }
    }
    Config plain = plain(text, display);
    if (plain != null) {
      StartupTrace.end("plain parse " + display, t);
      return plain;
    }
    if (!edit) {
      checkStructure(display, text);
    }
    Config parsed = parseChecked(display, text, options);
    StartupTrace.end("parse " + display, t);
    return parsed;
  }

  private static ConfigParseOptions options(
      String display, ConfigSyntax syntax, SafeIncluder includer) {
    return ConfigParseOptions.defaults()
        .setSyntax(syntax)
        .setOriginDescription(display)
        .setAllowMissing(false)
        .setIncluder(includer);
  }

  /**
   * Parses text under the structure limits with {@code includer}; every failure is a problem
   * naming {@code display} (a file, or {@code name @ jar:...} for a resource) and the line. HOCON
   * text (an included file, a {@code reference.conf}, a rendered template) is offered to {@link
   * PlainHocon} first, as a layer file is.
   */
  Config parseText(
      Path file, String display, String text, ConfigSyntax syntax, SafeIncluder includer) {
    Config plain = syntax == ConfigSyntax.CONF ? plain(text, display) : null;
    if (plain != null) {
      return plain;
    }
    checkStructure(display, text);
    return parseChecked(display, text, options(display, syntax, includer));
  }

  /** Parses text that passed {@link #checkStructure}; failures as {@link #parseText}'s. */
  private Config parseChecked(String display, String text, ConfigParseOptions options) {
    try {
      return UnsyncStringReader.parse(text, options);
    } catch (SafeIncluder.Refused e) {
      String reason = e.getMessage().replaceFirst("^.*?\\(include ([^)]*)\\): ", "");
      String what = e.origin() == null ? "" : e.origin().description()
          .replaceFirst("^.*\\(include (.*)\\)$", "$1");
      int line = includeLine(text, what);
      throw invalid("QCFG-1007", line > 0 ? display + ":" + line : display, reason);
    } catch (ConfigException e) {
      throw new QcfgException.Invalid(SyntaxProblems.problem(e, display, text));
    } catch (StackOverflowError e) {
      throw invalid(
          "QCFG-1008", display, "nesting too deep for the parser (limit " + limits.maxDepth() + ")");
    }
  }

  /** The line of the include statement that names {@code what}, else of the first include. */
  private static int includeLine(String text, String what) {
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].contains("include") && !what.isEmpty() && lines[i].contains(what)) {
        return i + 1;
      }
    }
    return lineOf(text, "include");
  }

  /**
   * Bounds nesting and substitutions before the recursive parser sees the text. Counts brackets
   * outside quoted strings and comments; a rough scan is enough, since it only has to stop
   * pathological input, not judge syntax.
   */
  private void checkStructure(String display, String text) {
    int depth = 0;
    int substitutions = 0;
    // Path segments of the open objects ({@code a.b { c {} }} is 3), and their path text.
    java.util.ArrayDeque<Integer> segments = new java.util.ArrayDeque<>();
    java.util.ArrayDeque<String> paths = new java.util.ArrayDeque<>();
    java.util.Map<String, Integer> appends = new java.util.HashMap<>();
    HoconScanner scan = new HoconScanner(text);
    for (int c = scan.next(); c != HoconScanner.END; c = scan.next()) {
      int line = scan.line();
      switch (c) {
        case '{', '[' -> {
          if (++depth > limits.maxDepth()) {
            throw invalid(
                "QCFG-1008",
                display + ":" + line,
                "nesting deeper than " + limits.maxDepth() + " levels (refused before parsing;"
                    + " option max-depth)");
          }
          String key = SyntaxProblems.keyBefore(text, scan.keyStart(), scan.position());
          int deep = checkSegments(display, line, segments, key);
          segments.push(deep);
          paths.push(key.isEmpty() ? (paths.isEmpty() ? "" : paths.peek())
              : (paths.isEmpty() || paths.peek().isEmpty() ? key : paths.peek() + "." + key));
        }
        case '}', ']' -> {
          depth = Math.max(0, depth - 1);
          if (!segments.isEmpty()) {
            segments.pop();
            paths.pop();
          }
        }
        case '=', ':' -> {
          boolean append = scan.isAppend();
          String key = SyntaxProblems.keyBefore(text, scan.keyStart(),
              append ? scan.position() - 1 : scan.position());
          if (!key.isEmpty()) {
            checkSegments(display, line, segments, key);
          }
          if (append && !key.isEmpty()) {
            String path = paths.isEmpty() || paths.peek().isEmpty() ? key : paths.peek() + "." + key;
            if (appends.merge(path, 1, Integer::sum) > limits.maxAppends()) {
              throw invalid("QCFG-1025", display + ":" + line,
                  "more than " + limits.maxAppends() + " '+=' on the path " + path + " (each one"
                      + " makes resolving slower; option max-appends): write the list once");
            }
          }
        }
        case '$' -> {
          if (++substitutions > limits.maxSubstitutions()) {
            throw invalid(
                "QCFG-1009",
                display + ":" + line,
                "more than " + limits.maxSubstitutions() + " substitutions in one file");
          }
        }
        default -> {} // ',' only moves where the next key starts
      }
    }
  }

  /** The path-segment depth of {@code key} inside the open objects; refused over max-depth. */
  private int checkSegments(
      String display, int line, java.util.ArrayDeque<Integer> open, String key) {
    int segs = 1;
    boolean quoted = false;
    for (int k = 0; k < key.length(); k++) {
      char ch = key.charAt(k);
      if (ch == '"') {
        quoted = !quoted;
      } else if (ch == '.' && !quoted) {
        segs++;
      }
    }
    int deep = (open.isEmpty() ? 0 : open.peek()) + segs;
    if (deep > limits.maxDepth()) {
      throw invalid("QCFG-1008", display + ":" + line, "nesting deeper than " + limits.maxDepth()
          + " path segments (a.b.c counts 3, as a { b { c } } does; refused before parsing;"
          + " option max-depth)");
    }
    return deep;
  }

  private static int count(String s, int from, int to, char c) {
    int k = 0;
    for (int i = from; i < to && i < s.length(); i++) {
      if (s.charAt(i) == c) {
        k++;
      }
    }
    return k;
  }

  private static int lineOf(String text, String needle) {
    int idx = text.indexOf(needle);
    return idx < 0 ? -1 : 1 + count(text, 0, idx, '\n');
  }

  private static boolean isBlank(byte[] bytes) {
    for (byte b : bytes) {
      if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
        return false;
      }
    }
    return true;
  }

  private static int countNewlinesBeforeInvalidUtf8(byte[] bytes) {
    var decoder =
        StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT);
    int lines = 0;
    int start = 0;
    for (int i = 0; i <= bytes.length; i++) {
      if (i == bytes.length || bytes[i] == '\n') {
        try {
          decoder.reset().decode(ByteBuffer.wrap(bytes, start, i - start));
        } catch (CharacterCodingException e) {
          return lines;
        }
        lines++;
        start = i + 1;
      }
    }
    return 0;
  }

  static QcfgException.Invalid invalid(String id, String location, String reason) {
    return new QcfgException.Invalid(List.of(new Problem(id, location, "", reason)));
  }
}
