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

  /**
   * The default from the engine's status. A change listener registered here marks where each
   * version's listener failures start counting: failures counted after the previous change's
   * listeners belong to the active version (a failure of a user listener that runs after this one
   * may be blamed on the next version: it is registered when the engine starts, so it runs after
   * every {@code @OnConfigChange} method and before listeners added later).
   */
  static LocalHealth standard(Engine engine) {
    Status s = engine.status();
    long[] marks = {s.listenerFailures(), s.listenerFailures()}; // {baseline, at last change}
    engine.addListener(c -> {
      synchronized (marks) {
        marks[0] = marks[1];
        marks[1] = s.listenerFailures();
      }
    });
    return new LocalHealth() {
      @Override
      public String probation() {
        return "off";
      }

      @Override
      public boolean healthy() {
        long baseline;
        synchronized (marks) {
          baseline = marks[0];
        }
        return s.lastReloadSuccessful() && s.listenerFailures() == baseline;
      }

      @Override
      public long autoRollbacks() {
        return 0;
      }
    };
  }
}
