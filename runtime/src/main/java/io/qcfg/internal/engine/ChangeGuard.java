package io.qcfg.internal.engine;

import io.qcfg.internal.snapshot.ConfigSnapshot;

/**
 * What the engine tells the probation guard ({@code internal.guard}, option {@code probation}) and
 * asks of it. The engine holds {@link #NONE} until the guard's extension installs itself with
 * {@link Engine#guard(ChangeGuard)}; an implementation never throws.
 */
public interface ChangeGuard {
  /** The guard of an engine without probation. */
  ChangeGuard NONE = new ChangeGuard() {};

  /**
   * A new version was published, bound and recorded; listeners have not run yet. Applier thread.
   *
   * @param rollback whether it was a rollback (operator's or automatic): it does not enter
   *     probation, and its version counts as confirmed
   */
  default void applied(ConfigSnapshot before, ConfigSnapshot after, boolean rollback) {}

  /** A change listener or an {@code @OnConfigChange} method threw. Any thread. */
  default void listenerFailed() {}

  /**
   * Whether {@code candidate} must not be applied because its checksum is quarantined. Applier
   * thread, before a candidate is applied. {@code fromInputs}: the candidate comes from a file or
   * etcd change, and a different checksum releases the quarantine (the inputs moved on).
   */
  default boolean quarantined(ConfigSnapshot candidate, boolean fromInputs) {
    return false;
  }

  /** Ends the quarantine (operator, JMX or CLI {@code release-quarantine}): what it did. */
  default String releaseQuarantine(String actor) {
    return "nothing is quarantined (probation is off)";
  }

  /** The probation state, for JMX, {@code /status}, the CLI and a fleet reporter. */
  default GuardState state() {
    return GuardState.OFF;
  }
}
