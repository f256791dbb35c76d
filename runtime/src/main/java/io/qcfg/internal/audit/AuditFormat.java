package io.qcfg.internal.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.qcfg.internal.text.Sha256;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The audit log's format on disk, shared by {@link AuditLog} (which writes it), {@link
 * AuditRecovery} (which reads its end at open) and {@link AuditVerifier} (which checks it).
 *
 * <h2>Files</h2>
 *
 * {@code audit.log} is the active file; rotated files are {@code audit.<seq>.log}, {@code <seq>}
 * being the seq of their last line zero-padded to 19 digits so that names sort in log order. {@code
 * audit.head} holds {@code {"seq":N,"hash":"<sha256 of line N>","first":F}}.
 *
 * <h2>Lines</h2>
 *
 * Keys always in this order, absent fields left out: {@code seq} (1, 2, ... for the life of the
 * state directory), {@code time} (ISO-8601, UTC), {@code event} ({@link AuditEvent.Type#wireName}),
 * {@code actor}, {@code cause}, {@code version}, {@code fromVersion}, {@code paths}, {@code
 * problems}, {@code details} (keys sorted), {@code prev}: the lower-case hex SHA-256 of the exact
 * bytes of the previous line without its {@code \n}, or 64 zeros for seq 1. Lines are UTF-8 and end
 * in {@code \n}; Jackson escapes every control character inside strings, so a line is never split.
 */
final class AuditFormat {
  static final String ACTIVE = "audit.log";
  static final String HEAD = "audit.head";
  // A rotated file's name. In a holder: AuditFormat is initialised before a restart's publish,
  // which never looks at rotated files (issue 16).
  static final String GENESIS = "0".repeat(64);
  // Tree model only, no default typing; strict so that a doctored line does not parse leniently.
  // In a holder: opening an empty log must not initialise jackson-databind (start-up, issue 16).
  static final class Json {
    static final JsonMapper MAPPER =
        JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private Json() {}
  }

  private AuditFormat() {}

  /** One line without its newline: the fields in the documented order, absent ones left out. */
  static byte[] render(AuditEvent e, Instant time, long seq, String prev) throws IOException {
    return AuditLine.render(e, time, seq, prev);
  }

  /** The seq in a rotated file's name. */
  static long lastSeqOf(Path rotated) {
    String seq = rotatedSeq(rotated.getFileName().toString());
    return seq != null ? Long.parseLong(seq) : 0;
  }

  /**
   * The 19 digits of a rotated file's name ({@code audit.<seq>.log}), or null for any other name:
   * what the pattern {@code audit\.(\d{19})\.log} matched, read by hand (a restart lists the
   * state directory before its publish; no regex is compiled there, issue 16).
   */
  static String rotatedSeq(String name) {
    if (name.length() != 29 || !name.startsWith("audit.") || !name.endsWith(".log")) {
      return null;
    }
    for (int i = 6; i < 25; i++) {
      char c = name.charAt(i);
      if (c < '0' || c > '9') {
        return null;
      }
    }
    return name.substring(6, 25);
  }

  /** The content of {@code audit.head}. */
  record Head(long seq, String hash, long first) {}

  /** Parses {@code audit.head}; throws IOException naming what is wrong. */
  static Head parseHead(byte[] bytes) throws IOException {
    AuditLine.Fields f = AuditLine.read(bytes);
    if (f.seq() < 0 || f.hash() == null || !isHash(f.hash()) || f.first() < 0) {
      String found = new String(bytes, java.nio.charset.StandardCharsets.UTF_8).strip();
      throw new MalformedHead("expected {\"seq\":N,\"hash\":\"<64 hex digits>\",\"first\":N},"
          + " found " + (found.length() > 200 ? found.substring(0, 200) + "..." : found));
    }
    return new Head(f.seq(), f.hash(), f.first());
  }

  /** Every log file in order: rotated files oldest first, then {@code audit.log} if present. */
  static List<Path> logFiles(Path stateDir) throws IOException {
    List<Path> files = new ArrayList<>(rotatedFiles(stateDir));
    Path active = stateDir.resolve(ACTIVE);
    if (Files.isRegularFile(active)) {
      files.add(active);
    }
    return files;
  }

  static List<Path> rotatedFiles(Path stateDir) throws IOException {
    TreeMap<String, Path> byName = new TreeMap<>(); // 19-digit names sort as numbers
    try (java.nio.file.DirectoryStream<Path> listing = Files.newDirectoryStream(stateDir)) {
      for (Path p : listing) {
        String seq = rotatedSeq(p.getFileName().toString());
        if (seq != null) {
          byName.put(seq, p);
        }
      }
    } catch (java.nio.file.DirectoryIteratorException e) {
      throw e.getCause(); // as Files.list's stream threw it (an UncheckedIOException there)
    }
    return new ArrayList<>(byName.values());
  }

  static boolean isHash(String s) {
    if (s.length() != 64) {
      return false;
    }
    for (int i = 0; i < 64; i++) { // a loop, not a stream: read before a restart's publish
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  static String sha256(byte[] bytes) {
    return Sha256.hex(bytes);
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

  /** Position of the last '\n' before {@code end} (exclusive), or -1. Reads backwards in blocks. */
  static long lastNewlineBefore(RandomAccessFile f, long end) throws IOException {
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
}
