package io.qcfg.internal.rollout;

import io.qcfg.QcfgException;
import io.qcfg.internal.QcfgOptions;
import io.qcfg.internal.engine.Engine;
import io.qcfg.internal.engine.Extension;
import io.qcfg.internal.etcd.Canary;
import io.qcfg.internal.etcd.EtcdCredentials;
import io.qcfg.internal.etcd.EtcdOptions;
import io.qcfg.internal.etcd.InstanceId;
import io.qcfg.internal.etcd.RolloutRecord;
import io.qcfg.internal.etcd.Rollouts;
import io.qcfg.internal.etcd.StatusEntry;
import io.qcfg.internal.log.Log;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * With the etcd layer: reports this JVM's {@link StatusEntry} under {@code <prefix>status/<id>}
 * on a lease (granted, kept alive and revoked on stop by the daemon thread {@code qcfg-rollout}),
 * and, while this JVM is a canary, takes the automatic rollout steps ({@link AutoSteps}).
 *
 * <p>Timing: the thread ticks every second (system property {@code qcfg.rollout.tick-ms}); the
 * lease lives {@code qcfg.rollout.lease-ttl} seconds (default 10) and is renewed every third of
 * that, so a dead JVM's entry disappears within the TTL.
 */
public final class StatusReporter implements Extension {
  private final Function<Engine, LocalHealth> health;
  private volatile Thread thread;
  private volatile boolean stopped;

  /** With {@link LocalHealth#standard}. */
  public StatusReporter() {
    this(LocalHealth::standard);
  }

  /** With another source of health (the probation engine's, once it exists). */
  public StatusReporter(Function<Engine, LocalHealth> health) {
    this.health = health;
  }

  @Override
  public void started(Engine engine) {
    QcfgOptions o = engine.options();
    if (o.etcd() == null) {
      return;
    }
    Thread t = new Thread(() -> run(engine, o), "qcfg-rollout");
    t.setDaemon(true);
    thread = t;
    t.start();
  }

  @Override
  public void stopped(Engine engine) {
    stopped = true;
    Thread t = thread;
    if (t != null) {
      t.interrupt();
      try {
        t.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void run(Engine engine, QcfgOptions o) {
    String id = InstanceId.of(o.instance(), o.state());
    Duration ttl = Duration.ofSeconds(Math.max(2, Long.getLong("qcfg.rollout.lease-ttl", 10)));
    long tick = Math.max(50, Long.getLong("qcfg.rollout.tick-ms", 1000));
    long renewEvery = ttl.toMillis() / 3;
    LocalHealth h = health.apply(engine);
    Optional<EtcdCredentials> credentials = o.etcdUser() == null ? Optional.empty()
        : Optional.of(EtcdCredentials.fromFile(o.etcdUser(), o.etcdPasswordFile()));
    try (Rollouts etcd = Rollouts.open(EtcdOptions.endpoints(o.etcd()),
        EtcdOptions.prefix(o.etcdPrefix()), credentials, Duration.ofSeconds(5),
        Optional.ofNullable(o.etcdCa()))) {
      long lease = 0;
      long renewedAt = 0;
      StatusEntry reported = null;
      long rolloutSeen = 0; // the staged revision this JVM is a canary of, 0 when none
      long rollbacksBefore = 0; // automatic rollbacks counted when it became that canary
      AutoSteps auto = new AutoSteps(etcd);
      while (!stopped) {
        try {
          long now = System.currentTimeMillis();
          Optional<RolloutRecord> r = etcd.rollout(); // the status range only on canaries
          boolean canary = r.isPresent() && Canary.selected(id, r.get().percent());
          long rollbacks = h.autoRollbacks();
          if (!canary) {
            rolloutSeen = 0;
          } else if (rolloutSeen != r.get().stagedRevision()) {
            rolloutSeen = r.get().stagedRevision();
            rollbacksBefore = rollbacks;
          }
          // A canary that rolled back automatically since the rollout began is unhealthy for it,
          // even if the version it went back to is healthy; the total alone would also count
          // rollbacks from before the rollout.
          boolean healthy = h.healthy() && (!canary || rollbacks == rollbacksBefore);
          StatusEntry e = new StatusEntry(id, engine.current().version(),
              engine.current().checksum(), h.probation(), healthy, rollbacks,
              canary ? r.get().stagedRevision() : 0, engine.etcdRevision());
          if (lease == 0 || now - renewedAt >= renewEvery) {
            if (lease == 0 || !etcd.keepAlive(lease)) {
              lease = etcd.grantLease(ttl);
              reported = null;
            }
            renewedAt = now;
          }
          // Written only when it changes (or on a new lease): every write under the prefix is an
          // event for every JVM's watch.
          if (!e.equals(reported)) {
            etcd.report(e, lease);
            reported = e;
          }
          if (canary) {
            auto.step(r.get(), etcd.view().statuses(), now);
          }
        } catch (QcfgException e) {
          if (stopped) {
            break; // interrupted by stop
          }
          Log.warnOnce("rollout-report", "cannot report this JVM's status to etcd (retrying): "
              + e.getMessage() + " [QCFG-4659]");
        }
        try {
          Thread.sleep(tick);
        } catch (InterruptedException ie) {
          break; // stopping
        }
      }
      if (lease != 0) {
        boolean interrupted = Thread.interrupted(); // the stop's interrupt would fail the call
        try {
          etcd.revoke(lease);
        } catch (QcfgException e) {
          Log.debug("cannot revoke the status lease; it expires within " + ttl);
        } finally {
          if (interrupted) {
            Thread.currentThread().interrupt();
          }
        }
      }
    } catch (RuntimeException e) {
      Log.warn("the rollout status reporter stopped: " + e.getMessage() + " [QCFG-4659]");
    }
  }
}
