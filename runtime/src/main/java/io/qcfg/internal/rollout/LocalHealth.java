package io.qcfg.internal.rollout;

import io.qcfg.internal.engine.Engine;
import io.qcfg.internal.engine.Status;

/**
 * This JVM's verdict on its active configuration, as its status entry reports it and the
 * automatic rollout steps judge it.
 *
 * <p>{@link #standard} derives it from {@link Status} and the probation guard: unhealthy while the
 * last change was rejected (a canary that refuses the staged texts), when a change listener or
 * {@code @OnConfigChange} method threw while the active version was applied, or when probation's
 * last verdict was unhealthy; automatic rollbacks are probation's.
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
      private String lastRollbackSeen = ""; // guarded by this
      private long rollbacks; // guarded by this

      @Override
      public String probation() {
        io.qcfg.internal.engine.GuardState g = s.guard().state();
        if (!g.enabled()) {
          return "off";
        }
        String on = g.probation();
        return on.isEmpty() ? "confirmed version " + g.confirmedVersion() : on;
      }

      @Override
      public boolean healthy() {
        long baseline;
        synchronized (marks) {
          baseline = marks[0];
        }
        return s.lastReloadSuccessful() && s.listenerFailures() == baseline
            && s.guard().state().healthy();
      }

      @Override
      public synchronized long autoRollbacks() {
        // Probation keeps the line of its last automatic rollback; each new line is one more.
        String last = s.guard().state().lastAutoRollback();
        if (!last.isEmpty() && !last.equals(lastRollbackSeen)) {
          lastRollbackSeen = last;
          rollbacks++;
        }
        return rollbacks;
      }
    };
  }
}
