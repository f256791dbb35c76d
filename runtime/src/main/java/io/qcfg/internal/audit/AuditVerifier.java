package io.qcfg.internal.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Checks an audit log written by {@link AuditLog} ({@code qcfg audit verify}): walks every file in
 * order, recomputes the chain, checks the end against {@code audit.head}, and reports the first bad
 * line. Reads only; safe to run on a copy of a state directory.
 *
 * <p>What each damage looks like:
 *
 * <ul>
 *   <li>an edited line: the next line's {@code prev} no longer matches its hash (QCFG-4110); the
 *       edited line is reported. For the last line, the head's hash plays the next line's part
 *       (QCFG-4114).
 *   <li>a deleted, inserted or reordered line: a break in {@code seq} (QCFG-4111).
 *   <li>the oldest files removed: the first line is not the one the head names (QCFG-4118).
 *   <li>a truncated file: a last line without newline (QCFG-4113) or a line that is not JSON
 *       (QCFG-4112); lines cut off at a line boundary: the head's seq is beyond the end
 *       (QCFG-4114).
 * </ul>
 *
 * <p>Verifying while a JVM appends mostly works: the head is read first, and read again if lines
 * follow it. A line caught between its write and the head's, or a rotation that deletes a file
 * during the walk, can still show as a failure; run again, or verify a copy.
 *
 * <p>Versions: every applied version has a line, and versions only rise. A {@code version} lower
 * than one before it means numbers were reused (QCFG-4120). A log whose newest version is more
 * than one behind the state directory's version counter or history lost lines at its end
 * (QCFG-4121; one behind is what a crash between applying a version and auditing it leaves until
 * the next start records it). An {@code audit-gap} line, written at start-up when such a loss was
 * found, is reported too (QCFG-4121).
 *
 * <p>What the chain cannot prove on its own: someone who can write the state directory can cut
 * lines off the end and rewrite {@code audit.head}, the counter and history to match, or rewrite
 * the whole chain. {@link #anchor} gives the head to keep elsewhere; {@code verify} with that
 * anchor fails if the anchored line is gone or different (QCFG-4122).
 *
 * <p>When old files have been rotated away, the oldest kept line's {@code prev} cannot be checked;
 * its seq is checked against the head instead. Only a log that still starts at seq 1 is checked
 * against the 64 zeros.
 */
public final class AuditVerifier {
  private AuditVerifier() {}

  /**
   * The outcome of {@link #verify}.
   *
   * @param ok true if every line and the head check out
   * @param linesChecked lines that passed before the first bad one (all of them when ok)
   * @param firstBadFile the file name of the first bad line ({@code audit.log}, {@code
   *     audit.0000000000000000120.log}, {@code audit.head}), or null when ok
   * @param firstBadLine its line number, 1-based within that file; 0 when ok or not a line
   * @param reason what is wrong, ending with a QCFG id; null when ok
   */
  public record Result(
      boolean ok, long linesChecked, String firstBadFile, long firstBadLine, String reason) {

    static Result ok(long lines) {
      return new Result(true, lines, null, 0, null);
    }

    /** One line for people: {@code audit.log:17: edited: ... [QCFG-4110]} or an OK summary. */
    public String describe() {
      if (ok) {
        return "audit log OK: " + linesChecked + " line(s) checked";
      }
      return firstBadFile + (firstBadLine > 0 ? ":" + firstBadLine : "") + ": " + reason;
    }
  }

  /** Verifies the audit log in {@code stateDir}. Never throws for what it finds on disk. */
  public static Result verify(Path stateDir) {
    return new Walk(stateDir, null).run();
  }

  /**
   * Verifies the audit log and also that the line an earlier {@link #anchor} named is still
   * there, unchanged.
   *
   * @param anchor {@code <seq>:<64 hex digits>}
   * @throws IllegalArgumentException if {@code anchor} is not of that form
   */
  public static Result verify(Path stateDir, String anchor) {
    return new Walk(stateDir, AuditAnchor.parse(anchor)).run();
  }

  /**
   * The current end of an intact log as {@code <seq>:<sha256 of that line>}, to be stored off the
   * machine and given to {@link #verify(Path, String)} later; empty if the log has no line or does
   * not verify (an anchor on a broken log would prove nothing).
   */
  public static Optional<String> anchor(Path stateDir) {
    Walk walk = new Walk(stateDir, null);
    Result r = walk.run();
    if (!r.ok() || walk.prevSeq < 1) {
      return Optional.empty();
    }
    return Optional.of(walk.prevSeq + ":" + walk.prevHash);
  }

  /** One pass over the files; holds where the previous line was. */
  private static final class Walk {
    private final Path stateDir;
    private final AuditAnchor anchor;
    private String anchoredHash; // the hash of the anchor's line, once walked over
    private long firstSeq;
    private final AuditVersions.Tracker versions = new AuditVersions.Tracker();
    private long checked;
    private long prevSeq = -1;
    private String prevHash;
    private String prevFile;
    private long prevLine;
    // The line just after the one the head names: where uncovered lines begin.
    private String afterHeadFile;
    private long afterHeadLine;

    Walk(Path stateDir, AuditAnchor anchor) {
      this.stateDir = stateDir;
      this.anchor = anchor;
    }

    Result run() {
      AuditFormat.Head head = null;
      Path headFile = stateDir.resolve(AuditFormat.HEAD);
      if (Files.exists(headFile)) {
        try {
          head = AuditFormat.parseHead(Files.readAllBytes(headFile));
        } catch (IOException e) {
          return bad(AuditFormat.HEAD, 1, "unreadable: " + message(e) + " [QCFG-4115]");
        }
      }
      List<Path> files;
      try {
        files = AuditFormat.logFiles(stateDir);
      } catch (IOException e) {
        return bad(stateDir.toString(), 0, "cannot list: " + AuditFormat.reason(e) + " [QCFG-4119]");
      }
      for (Path file : files) {
        Result r = checkFile(file, head);
        if (r != null) {
          return r;
        }
      }
      Result end = checkEnd(head);
      if (!end.ok()) {
        return end;
      }
      Result versions = checkVersionsAgainstState();
      return versions != null ? versions : checkAnchor();
    }

    /** Lines cut off the end: the counter and history know newer versions than the log. */
    private Result checkVersionsAgainstState() {
      String wrong = checked == 0 ? null : versions.checkEnd(stateDir);
      return wrong == null ? null : bad(prevFile, prevLine, wrong);
    }

    private Result checkAnchor() {
      if (anchor == null) {
        return Result.ok(checked);
      }
      long lastSeq = checked == 0 ? 0 : prevSeq;
      String wrong = anchor.check(anchoredHash, lastSeq, firstSeq);
      if (wrong == null) {
        return Result.ok(checked);
      }
      boolean cutShort = anchoredHash == null && anchor.seq() > lastSeq;
      return cutShort && prevFile != null
          ? bad(prevFile, prevLine, wrong) // the end, where lines are missing
          : bad(AuditFormat.HEAD, 0, wrong);
    }

    private Result checkFile(Path path, AuditFormat.Head head) {
      String file = path.getFileName().toString();
      byte[] bytes;
      try {
        bytes = Files.readAllBytes(path);
      } catch (IOException e) {
        return bad(file, 0, "cannot read: " + AuditFormat.reason(e) + " [QCFG-4119]");
      }
      long lineNo = 0;
      int start = 0;
      while (start < bytes.length) {
        lineNo++;
        int end = indexOf(bytes, (byte) '\n', start);
        if (end < 0) {
          return bad(
              file,
              lineNo,
              "truncated: the last line has no newline (a cut file or an interrupted write)"
                  + " [QCFG-4113]");
        }
        byte[] line = Arrays.copyOfRange(bytes, start, end);
        start = end + 1;
        Result r = checkLine(file, lineNo, line, head);
        if (r != null) {
          return r;
        }
      }
      return null;
    }

    private Result checkLine(String file, long lineNo, byte[] line, AuditFormat.Head head) {
      JsonNode node;
      try {
        node = AuditFormat.Json.MAPPER.readTree(line);
      } catch (IOException e) {
        return bad(
            file, lineNo, "not valid JSON, edited or truncated: " + message(e) + " [QCFG-4112]");
      }
      if (node == null || !node.isObject()) {
        return bad(file, lineNo, "not a JSON object, edited or truncated [QCFG-4112]");
      }
      JsonNode seqNode = node.path("seq");
      if (!seqNode.canConvertToExactIntegral()
          || !seqNode.canConvertToLong()
          || seqNode.asLong() < 1) {
        return bad(
            file,
            lineNo,
            "seq: expected a number of 1 or more, found " + found(seqNode) + " [QCFG-4117]");
      }
      long seq = seqNode.asLong();
      String prev = node.path("prev").asText("");
      if (!node.path("prev").isTextual() || !AuditFormat.isHash(prev)) {
        return bad(
            file,
            lineNo,
            "prev: expected 64 hex digits, found " + found(node.path("prev")) + " [QCFG-4117]");
      }
      for (String field : new String[] {"time", "event", "actor", "cause"}) {
        if (!node.path(field).isTextual()) {
          return bad(
              file,
              lineNo,
              field + ": expected a string, found " + found(node.path(field)) + " [QCFG-4117]");
        }
      }
      if (prevSeq < 0) {
        firstSeq = seq;
        if (seq == 1 && !prev.equals(AuditFormat.GENESIS)) {
          return bad(file, lineNo, "the first line (seq 1) must have prev of 64 zeros [QCFG-4116]");
        }
        // Older lines than the head names are fine (a prune cut short); fewer are not.
        if (head != null && seq > head.first()) {
          return bad(
              file,
              lineNo,
              "the log starts at seq "
                  + seq
                  + " but audit.head says it starts at seq "
                  + head.first()
                  + ": older lines or files were removed [QCFG-4118]");
        }
      } else {
        if (seq != prevSeq + 1) {
          return bad(
              file,
              lineNo,
              "seq "
                  + seq
                  + " follows seq "
                  + prevSeq
                  + ": lines were deleted, inserted or reordered [QCFG-4111]");
        }
        if (!prev.equals(prevHash)) {
          return bad(
              prevFile,
              prevLine,
              "edited: its SHA-256 does not match the prev of the next line ("
                  + file
                  + ":"
                  + lineNo
                  + ") [QCFG-4110]");
        }
      }
      String wrongVersion = versions.accept(node);
      if (wrongVersion != null) {
        return bad(file, lineNo, wrongVersion);
      }
      if (head != null && seq == head.seq() + 1) {
        afterHeadFile = file;
        afterHeadLine = lineNo;
      }
      checked++;
      prevSeq = seq;
      prevHash = AuditFormat.sha256(line);
      if (anchor != null && seq == anchor.seq()) {
        anchoredHash = prevHash;
      }
      prevFile = file;
      prevLine = lineNo;
      return null;
    }

    private Result checkEnd(AuditFormat.Head head) {
      if (head == null) {
        return checked == 0
            ? Result.ok(0)
            : bad(
                AuditFormat.HEAD,
                0,
                "missing: the end of the log cannot be checked (deleted?) [QCFG-4115]");
      }
      if (checked == 0) {
        return head.seq() == 0
            ? Result.ok(0)
            : bad(
                AuditFormat.HEAD,
                1,
                "says the log ends at seq " + head.seq() + " but there is no line [QCFG-4114]");
      }
      if (head.seq() == prevSeq) {
        return head.hash().equals(prevHash)
            ? Result.ok(checked)
            : bad(
                prevFile,
                prevLine,
                "edited: the last line's SHA-256 does not match audit.head [QCFG-4114]");
      }
      if (head.seq() > prevSeq) {
        return bad(
            prevFile,
            prevLine,
            "the log ends at seq "
                + prevSeq
                + " but audit.head says seq "
                + head.seq()
                + ": lines were removed from the end [QCFG-4114]");
      }
      // A JVM may have appended while we walked: a head written since then can cover the end.
      try {
        AuditFormat.Head now = AuditFormat.parseHead(Files.readAllBytes(stateDir.resolve(AuditFormat.HEAD)));
        if (now.seq() == prevSeq && now.hash().equals(prevHash)) {
          return Result.ok(checked);
        }
      } catch (IOException e) {
        // Fall through to the report below.
      }
      if (afterHeadFile == null) {
        // The head names a seq before the oldest kept line: it cannot be matched to a line.
        return bad(AuditFormat.HEAD, 1, "names seq " + head.seq() + ", before every line [QCFG-4114]");
      }
      return bad(
          afterHeadFile,
          afterHeadLine,
          "not covered by audit.head (seq "
              + head.seq()
              + "): added by hand, or the JVM stopped between writing a line and the head, which"
              + " qcfg repairs at its next start [QCFG-4114]");
    }

    private Result bad(String file, long line, String reason) {
      return new Result(false, checked, file, line, reason);
    }
  }

  private static int indexOf(byte[] bytes, byte b, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }

  private static String message(IOException e) {
    return AuditFormat.describe(e);
  }

  private static String found(JsonNode node) {
    return node.isMissingNode() ? "nothing" : node.toString();
  }
}
