package io.qcfg.internal.engine;

/**
 * The probation state of one JVM at one moment (issue 18): what JMX ({@code Probation}, {@code
 * LastAutoRollback}), {@code qcfg status}, {@code /status} and a fleet reporter show.
 *
 * @param enabled whether option {@code probation} is on
 * @param probationVersion the version on probation, or 0 when none is
 * @param remainingMillis how long its probation still runs, 0 when none is
 * @param confirmedVersion the last confirmed version: the target of an automatic rollback
 * @param healthy the last verdict of the health signals (true before any)
 * @param quarantinedChecksum the checksum that is not applied again, or "" when none
 * @param lastAutoRollback one line on the last automatic rollback, or "" when none happened
 */
public record GuardState(boolean enabled, long probationVersion, long remainingMillis,
    long confirmedVersion, boolean healthy, String quarantinedChecksum, String lastAutoRollback) {
  /** Without option {@code probation}. */
  public static final GuardState OFF = new GuardState(false, 0, 0, 0, true, "", "");

  /** "version 7, 1.4 s left", or "" when no version is on probation. */
  public String probation() {
    if (probationVersion == 0) {
      return "";
    }
    return "version " + probationVersion + ", " + String.format(java.util.Locale.ROOT, "%.1f",
        remainingMillis / 1000.0) + " s left";
  }
}
