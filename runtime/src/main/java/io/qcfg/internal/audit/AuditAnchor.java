package io.qcfg.internal.audit;

import java.util.Locale;

/**
 * An anchor: {@code <seq>:<sha256 of that line>}, the end of an intact log as {@code qcfg audit
 * anchor} prints it, kept off the machine. Checking a log against it catches what the chain alone
 * cannot: lines cut off the end with the head rewritten to match, or a whole forged chain.
 *
 * @param seq the anchored line's seq
 * @param hash the anchored line's SHA-256, lower-case hex
 */
record AuditAnchor(long seq, String hash) {
  /**
   * Parses {@code <seq>:<64 hex digits>}.
   *
   * @throws IllegalArgumentException (QCFG-4123) for anything else
   */
  static AuditAnchor parse(String text) {
    int colon = text == null ? -1 : text.indexOf(':');
    if (colon > 0) {
      String hash = text.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
      try {
        long seq = Long.parseLong(text.substring(0, colon).trim());
        if (seq > 0 && AuditFormat.isHash(hash)) {
          return new AuditAnchor(seq, hash);
        }
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    throw new IllegalArgumentException(
        "an anchor is <seq>:<64 hex digits>, as `qcfg audit anchor` prints it; found '"
            + text
            + "' [QCFG-4123]");
  }

  /**
   * What is wrong with a log against this anchor (ending in QCFG-4122), or null when it holds.
   *
   * @param seenHash the hash of the line with this seq, or null if the walk met no such line
   * @param lastSeq the seq of the log's last line (0: none)
   * @param firstSeq the seq of its first kept line
   */
  String check(String seenHash, long lastSeq, long firstSeq) {
    if (seenHash != null) {
      return seenHash.equals(hash)
          ? null
          : "the line with seq " + seq + " does not match the anchor: the log was rewritten"
              + " [QCFG-4122]";
    }
    if (seq > lastSeq) {
      return "the log ends at seq "
          + lastSeq
          + ", before the anchor's seq "
          + seq
          + ": lines were cut off the end, or the log was replaced [QCFG-4122]";
    }
    return "the anchor's line (seq "
        + seq
        + ") is older than the oldest kept line (seq "
        + firstSeq
        + "); it was rotated away and cannot be checked: keep a newer anchor [QCFG-4122]";
  }
}
