package io.qcfg.internal.log;

/**
 * The INFO lines of accepted changes: "applied version N (cause)" for every new version (file
 * change, reload, override, environment switch, rollback: the cause names which), and a
 * "recovered" line for the first accepted change after a rejected one, so that the last line of a
 * log is never a stale ERROR once the configuration is good again.
 *
 * <p>Concurrency: called on the one applier thread; the field is volatile for tests that start
 * another runtime in the same JVM ({@link Log#configure} resets it).
 */
public final class ChangeLog {
  private static volatile long rejectedSeen;

  private ChangeLog() {}

  /**
   * A candidate was accepted: {@code after} is the active version, {@code before} the one before
   * (-1: none; equal: the same checksum, nothing applied), {@code rejectedSoFar} the runtime's
   * count of rejected candidates.
   */
  public static void accepted(long before, long after, String cause, long rejectedSoFar) {
    if (after != before) {
      Log.info("applied version " + after + " (" + cause + ")");
    }
    long missed = rejectedSoFar - rejectedSeen;
    rejectedSeen = rejectedSoFar;
    if (missed > 0) {
      Log.info("recovered: version " + after + " is active and valid"
          + (after == before ? " (unchanged: the rejected edit was undone)" : "")
          + " after " + missed + (missed == 1 ? " rejected change" : " rejected changes"));
    }
  }

  static void reset() {
    rejectedSeen = 0;
  }
}
