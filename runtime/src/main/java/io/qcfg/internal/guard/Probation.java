package io.qcfg.internal.guard;

import io.qcfg.internal.engine.GuardState;
import java.time.Duration;

/**
 * The probation state machine of one JVM (issue 18), without threads or I/O so that it can be
 * tested step by step: which version is on probation until when, which is the last confirmed one,
 * what is quarantined. {@link Guard} drives it and acts on its {@link Verdict}s.
 *
 * <ul>
 *   <li>The version active at start-up is the confirmed baseline.
 *   <li>Every applied change starts a new probation; a second change during a probation replaces
 *       it, and the confirmed version stays what it was.
 *   <li>A rollback (an operator's or probation's own) never enters probation: the version it
 *       applies counts as confirmed, so a probation never rolls back past it.
 *   <li>A healthy end of probation confirms the version; an unhealthy verdict quarantines its
 *       checksum and names the confirmed version to return to.
 * </ul>
 *
 * <p>Concurrency: every method is synchronized; callers are the applier (changes), the health
 * threads (verdicts) and JMX (state, release). Nothing here blocks or calls out.
 */
final class Probation {
  /** What a verdict asks the guard to do. */
  enum Action { NONE, CONFIRM, ROLL_BACK }

  /**
   * @param action what to do
   * @param version the version on probation the verdict is about
   * @param checksum its checksum (quarantined on {@link Action#ROLL_BACK})
   * @param target the confirmed version to return to (on {@link Action#ROLL_BACK})
   * @param signal what tripped (on {@link Action#ROLL_BACK})
   */
  record Verdict(Action action, long version, String checksum, long target, String signal) {
    static final Verdict NONE = new Verdict(Action.NONE, 0, "", 0, "");
  }

  private final long probationMillis;
  private long confirmedVersion;
  private long version; // on probation; 0: none
  private String checksum = "";
  private long startedAt;
  private long endsAt;
  private long generation;
  private boolean healthy = true;
  private String quarantined = "";
  private String lastAutoRollback = "";

  Probation(Duration probation) {
    this.probationMillis = probation.toMillis();
  }

  /** The version active when probation began watching: confirmed by definition. */
  synchronized void baseline(long active) {
    confirmedVersion = active;
  }

  /**
   * A version was applied.
   *
   * @return the generation of the probation it started, or -1 when it started none (a rollback)
   */
  synchronized long applied(long applied, String appliedChecksum, boolean rollback, long now) {
    generation++;
    if (rollback) {
      confirmedVersion = applied;
      version = 0;
      checksum = "";
      return -1;
    }
    version = applied;
    checksum = appliedChecksum;
    startedAt = now;
    endsAt = now + probationMillis;
    healthy = true;
    return generation;
  }

  /**
   * The verdict of the health signals on probation {@code gen} at {@code now}: {@code unhealthy}
   * null means every signal was healthy. A stale generation (a newer change replaced it, or it
   * ended) gives {@link Verdict#NONE}.
   */
  synchronized Verdict verdict(long gen, String unhealthy, long now) {
    if (gen != generation || version == 0) {
      return Verdict.NONE;
    }
    if (unhealthy != null) {
      Verdict v = new Verdict(Action.ROLL_BACK, version, checksum, confirmedVersion, unhealthy);
      healthy = false;
      quarantined = checksum;
      version = 0;
      checksum = "";
      return v;
    }
    if (now < endsAt) {
      return Verdict.NONE;
    }
    Verdict v = new Verdict(Action.CONFIRM, version, checksum, 0, "");
    confirmedVersion = version;
    version = 0;
    checksum = "";
    return v;
  }

  /** The current probation's generation, or -1 when no version is on probation. */
  synchronized long current() {
    return version == 0 ? -1 : generation;
  }

  /** Milliseconds since the current probation began, or -1 when none runs. */
  synchronized long elapsed(long now) {
    return version == 0 ? -1 : now - startedAt;
  }

  /**
   * Whether {@code candidate} is quarantined. A candidate from the inputs with another checksum
   * releases the quarantine: the files moved on.
   *
   * @return null when it may be applied; else the quarantined checksum
   */
  synchronized String quarantined(String candidate, boolean fromInputs) {
    if (quarantined.isEmpty()) {
      return null;
    }
    if (quarantined.equals(candidate)) {
      return quarantined;
    }
    if (fromInputs) {
      quarantined = "";
    }
    return null;
  }

  /** The quarantine kept in the state directory by an earlier run. */
  synchronized void restore(String quarantinedChecksum) {
    quarantined = quarantinedChecksum;
  }

  /** Ends the quarantine. @return the checksum that was quarantined, or "" */
  synchronized String release() {
    String q = quarantined;
    quarantined = "";
    return q;
  }

  /** Records the outcome of an automatic rollback; a failed one ends the quarantine. */
  synchronized void rolledBack(String line, boolean succeeded) {
    lastAutoRollback = line;
    if (!succeeded) {
      quarantined = "";
    }
  }

  synchronized GuardState state(long now) {
    return new GuardState(true, version, version == 0 ? 0 : Math.max(0, endsAt - now),
        confirmedVersion, healthy, quarantined, lastAutoRollback);
  }
}
