package io.qcfg.internal.audit;

import com.fasterxml.jackson.databind.JsonNode;
import io.qcfg.internal.history.HistoryStore;
import io.qcfg.internal.history.VersionCounter;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.List;

/**
 * The configuration versions an audit log mentions: what {@link AuditLog} cross-checks with the
 * version counter at open, and {@link AuditVerifier} with the counter and history. Every applied
 * version gets a line, so the newest version in the log should be the newest one handed out.
 */
final class AuditVersions {
  /** How far back from the end a start-up looks for a line that carries a version. */
  static final long SCAN_LIMIT = 4L * 1024 * 1024;

  private AuditVersions() {}

  /** The larger of a line's {@code version} and {@code fromVersion}; 0 when it has neither. */
  static long of(JsonNode line) {
    if (line == null) {
      return 0;
    }
    long v = line.path("version").canConvertToLong() ? line.path("version").asLong() : 0;
    long from = line.path("fromVersion").canConvertToLong() ? line.path("fromVersion").asLong() : 0;
    return Math.max(v, from);
  }

  /**
   * The version of the newest line that carries one, reading the files (oldest first) backwards
   * from the end; 0 if none within {@link #SCAN_LIMIT} bytes. Unreadable lines are skipped: open
   * reports them.
   */
  static long last(List<Path> files) throws IOException {
    long budget = SCAN_LIMIT;
    for (int i = files.size() - 1; i >= 0 && budget > 0; i--) {
      try (RandomAccessFile f = new RandomAccessFile(files.get(i).toFile(), "r")) {
        long end = f.length();
        while (end > 0 && budget > 0) {
          long nl = AuditFormat.lastNewlineBefore(f, end - 1); // the '\n' ending the previous line, or -1
          long start = nl + 1;
          int len = (int) Math.min(end - 1 - start, Integer.MAX_VALUE - 16);
          budget -= len + 1;
          if (len > 0) {
            byte[] line = new byte[len];
            f.seek(start);
            f.readFully(line);
            long v = versionOf(line);
            if (v > 0) {
              return v;
            }
          }
          end = start;
        }
      }
    }
    return 0;
  }

  private static long versionOf(byte[] line) {
    try {
      AuditLine.Fields f = AuditLine.read(line);
      return Math.max(0, Math.max(f.version(), f.fromVersion()));
    } catch (IOException e) {
      return 0;
    }
  }

  /**
   * The version checks of one walk over the log, for {@link AuditVerifier}: versions only rise
   * (QCFG-4120), an {@code audit-gap} line is a finding (QCFG-4121), and the log's end is not more
   * than one version behind the counter and history (QCFG-4121; one is what a crash between
   * applying a version and auditing it leaves until the next start records it).
   */
  static final class Tracker {
    private long maxVersion; // the highest "version" so far
    private long maxMentioned; // the highest "version" or "fromVersion" so far

    /** Takes the next line; what is wrong with it (ending in a QCFG id), or null. */
    String accept(JsonNode line) {
      long version = line.path("version").canConvertToLong() ? line.path("version").asLong() : 0;
      if (version > 0 && version < maxVersion) {
        return "version "
            + version
            + " after version "
            + maxVersion
            + ": version numbers were reused (history or the version counter lost?) [QCFG-4120]";
      }
      if (line.path("event").asText("").equals(AuditEvent.Type.AUDIT_GAP.wireName())) {
        return "recorded at start-up: " + line.path("cause").asText() + " [QCFG-4121]";
      }
      maxVersion = Math.max(maxVersion, version);
      maxMentioned = Math.max(maxMentioned, of(line));
      return null;
    }

    /** After the last line: the log against the state directory's counter and history. */
    String checkEnd(Path stateDir) {
      long known =
          Math.max(VersionCounter.read(stateDir), HistoryStore.lastVersionOnDisk(stateDir));
      if (known - maxMentioned <= 1) {
        return null;
      }
      return "the log's newest version is "
          + maxMentioned
          + " but the version counter and history hold version "
          + known
          + ": lines were cut off the end of the log [QCFG-4121]";
    }
  }
}
