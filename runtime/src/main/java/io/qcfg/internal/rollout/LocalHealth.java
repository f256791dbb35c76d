package io.qcfg.internal.rollout;

import io.qcfg.internal.engine.Engine;
import io.qcfg.internal.engine.Status;

/**
 * This JVM's verdict on its active configuration, as its status entry reports it and the
 * automatic rollout steps judge it.
 *
 * <p>Until probation exists, {@link #standard} derives it from {@link Status}: unhealthy while the
 * last change was rejected (a canary that refuses the staged texts), or when a change listener
 * or {@code @OnConfigChange} method threw while the active version was applied.
 */
public interface LocalHealth {
  /** The probation state, {@code off} without probation. */
  String probation();

  /** Whether the active configuration is healthy. */
  boolean healthy();

  /** How many automatic rollbacks this JVM made. */
  long autoRollbacks();

  /** The default from the engine's status; call {@code healthy()} from one thread only. */
  static LocalHealth standard(Engine engine) {
    return new LocalHealth() {
      private long version = -1;
      private long failuresBefore; // listener failures counted before the active version
      private long failuresSeen;

      @Override
      public String probation() {
        return "off";
      }

      @Override
      public boolean healthy() {
        Status s = engine.status();
        long v = engine.current().version();
        long failures = s.listenerFailures();
        if (v != version) {
          // Failures counted up to the last look belong to the earlier version, unless this is
          // the first look; then every failure is this version's.
          failuresBefore = version < 0 ? 0 : failuresSeen;
          version = v;
        }
        failuresSeen = failures;
        return s.lastReloadSuccessful() && failures == failuresBefore;
      }

      @Override
      public long autoRollbacks() {
        return 0;
      }
    };
  }
}
