package io.qcfg.internal.guard;

import io.qcfg.internal.audit.AuditEvent;
import io.qcfg.internal.engine.ChangeGuard;
import io.qcfg.internal.engine.Engine;
import io.qcfg.internal.engine.Extension;
import io.qcfg.internal.engine.GuardState;
import io.qcfg.internal.log.Log;
import io.qcfg.internal.snapshot.ConfigSnapshot;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Probation (option {@code probation}, issue 18): watches the health signals after every applied
 * change and rolls an unhealthy one back to the last confirmed version. The decisions are {@link
 * Probation}'s; this class feeds it signals and carries out its verdicts.
 *
 * <p>Concurrency: the engine calls {@link #applied} and {@link #quarantined} on the applier thread
 * and {@link #listenerFailed} from whichever thread ran the listener; none of them blocks. Checks
 * and verdicts run on two {@code qcfg-health} daemon threads; an automatic rollback waits there
 * for the applier (bounded), never the other way round, so a check may call back into qcfg.
 */
public final class Guard implements ChangeGuard {
  static final String ACTOR = "qcfg-probation";

  private final Engine engine;
  private final GuardOptions options;
  private final Probation probation;
  private final Signals signals;
  private final ScheduledThreadPoolExecutor scheduler;
  private final KeptQuarantine kept;
  private final AtomicBoolean urgent = new AtomicBoolean();
  private volatile long appliedAtNanos;
  private ScheduledFuture<?> ticking; // applier only

  private Guard(Engine engine, GuardOptions options) {
    this.engine = engine;
    this.options = options;
    this.probation = new Probation(options.probation());
    this.kept = new KeptQuarantine(engine.options().state());
    HealthUrl url = options.healthUrl() == null ? null
        : new HealthUrl(options.healthUrl(), options.timeout());
    HealthChecks checks = new HealthChecks(engine.appLoader(), engine.binder()::probes, url,
        options.timeout());
    AtomicInteger n = new AtomicInteger();
    this.scheduler = new ScheduledThreadPoolExecutor(2, r -> {
      Thread t = new Thread(r, "qcfg-health-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    scheduler.setRemoveOnCancelPolicy(true);
    this.signals = new Signals(options, checks, this::uncaughtSeen);
  }

  /** The extension that starts probation after the first snapshot when the option asks for it. */
  public static Extension extension() {
    return new Extension() {
      private volatile Guard guard;

      @Override
      public void started(Engine engine) {
        GuardOptions o = engine.options().guard();
        if (o != null && o.enabled()) {
          Guard g = new Guard(engine, o);
          guard = g;
          g.start();
        }
      }

      @Override
      public void stopped(Engine engine) {
        Guard g = guard;
        guard = null;
        if (g != null) {
          g.stop();
        }
      }
    };
  }

  private void start() {
    var q = kept.load(); // what the start-up did not end (StartQuarantine): still quarantined
    if (q != null) {
      probation.restore(q.checksum());
    }
    ConfigSnapshot active = engine.current();
    long v = active.version();
    long target = StartBaseline.confirmedTarget(v, engine.history());
    probation.baseline(target < 0 ? v : target);
    engine.guard(this);
    if (target < 0) {
      scheduler.execute(() -> engine.confirm(v)); // the start-up version is the confirmed baseline
    }
    Log.info("QCFG-4700: probation is on: every change is watched for "
        + options.probation().toMillis() + " ms (" + signals.describe(options.interval().toMillis())
        + "); version " + (target < 0 ? v : target) + " is the confirmed baseline"
        + (q == null ? "" : "; configuration " + shortSum(q.checksum()) + " stays quarantined"));
    if (target >= 0) {
      Log.warn("QCFG-4715: version " + v + " was not confirmed before this start (qcfg stopped"
          + " during its probation, or the files changed while it was stopped): it is on"
          + " probation now, and an unhealthy verdict rolls back to confirmed version " + target);
      watch(active, false);
    }
  }

  private void stop() {
    engine.guard(null);
    scheduler.shutdownNow();
    kept.close();
    signals.close();
  }

  private static long now() {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
  }

  // --- what the engine tells the guard -----------------------------------------------------------

  @Override
  public void applied(ConfigSnapshot before, ConfigSnapshot after, boolean rollback) {
    try {
      if (before != null && before != after) {
        watch(after, rollback);
      }
    } catch (RuntimeException e) { // never break an apply; a stopped scheduler refuses tasks
      Log.warnOnce("probation-applied", "QCFG-4706: probation could not watch version "
          + after.version() + ": " + e.getClass().getSimpleName());
    }
  }

  /** Starts the probation of {@code after}, or confirms it when it is a rollback. Applier only. */
  private void watch(ConfigSnapshot after, boolean rollback) {
    signals.reset();
    appliedAtNanos = System.nanoTime();
    long gen = probation.applied(after.version(), after.checksum(), rollback, now());
    if (ticking != null) {
      ticking.cancel(false);
    }
    if (gen < 0) {
      long v = after.version();
      scheduler.execute(() -> engine.confirm(v)); // a rollback's target counts as confirmed
      return;
    }
    long period = Math.min(options.interval().toMillis(), options.probation().toMillis());
    ticking = scheduler.scheduleAtFixedRate(() -> tick(gen, false), period, period,
        TimeUnit.MILLISECONDS);
    scheduler.schedule(() -> tick(gen, true), options.probation().toMillis(),
        TimeUnit.MILLISECONDS);
    Log.info("QCFG-4700: version " + after.version() + " is on probation for "
        + options.probation().toMillis() + " ms");
  }

  @Override
  public void listenerFailed() {
    long gen = probation.current();
    if (gen > 0) {
      String signal = signals.listenerFailed();
      submit(() -> finish(gen, signal));
    }
  }

  private void uncaughtSeen() {
    long gen = probation.current();
    if (gen > 0 && uncaughtSignal() != null && urgent.compareAndSet(false, true)) {
      submit(() -> {
        urgent.set(false);
        finish(gen, uncaughtSignal());
      });
    }
  }

  private String uncaughtSignal() {
    return signals.uncaught(probation.elapsed(now()));
  }

  @Override
  public boolean quarantined(ConfigSnapshot candidate, boolean fromInputs) {
    String before = probation.state(now()).quarantinedChecksum();
    String q = probation.quarantined(candidate.checksum(), fromInputs);
    if (q != null) {
      Log.warn("QCFG-4703: configuration " + shortSum(q) + " is quarantined after an automatic"
          + " rollback and is not applied again; change the files or run 'qcfg"
          + " release-quarantine'");
      return true;
    }
    if (!before.isEmpty()) {
      kept.keep("", 0);
      Log.info("QCFG-4705: the quarantine of " + shortSum(before) + " ends: the files changed");
    }
    return false;
  }

  @Override
  public String releaseQuarantine(String actor) {
    String q = probation.release();
    kept.keep("", 0);
    if (q.isEmpty()) {
      return "nothing is quarantined";
    }
    engine.releaseHold(q); // the next file event applies it, as an operator expects
    engine.audit(AuditEvent.of(AuditEvent.Type.QUARANTINE_RELEASED, actor, "release-quarantine")
        .withDetails(Map.of("checksum", q)));
    Log.warn("QCFG-4705: the quarantine of " + shortSum(q) + " was released by " + actor);
    return "released the quarantine of configuration " + shortSum(q);
  }

  @Override
  public GuardState state() {
    return probation.state(now());
  }

  // --- verdicts ----------------------------------------------------------------------------------

  private void submit(Runnable task) {
    try {
      scheduler.execute(task);
    } catch (RuntimeException e) {
      // stopped
    }
  }

  /** One round of checks; a periodic round is skipped while another one still runs. */
  private void tick(long gen, boolean last) {
    if (probation.current() != gen) {
      return;
    }
    String bad = signals.round(probation.elapsed(now()), last);
    if (!Signals.SKIPPED.equals(bad)) {
      finish(gen, bad);
    }
  }

  private void finish(long gen, String unhealthy) {
    Probation.Verdict v = probation.verdict(gen, unhealthy, now());
    switch (v.action()) {
      case CONFIRM -> {
        engine.confirm(v.version());
        engine.audit(AuditEvent.of(AuditEvent.Type.CONFIRMED, ACTOR, "probation passed")
            .withVersions(null, v.version()));
        Log.info("QCFG-4701: version " + v.version() + " passed probation and is confirmed");
      }
      case ROLL_BACK -> rollBack(v);
      default -> { }
    }
  }

  private void rollBack(Probation.Verdict v) {
    kept.keep(v.checksum(), v.version()); // before the rollback: a restart in between keeps it
    AutoRollback.run(engine, probation, v, appliedAtNanos);
    kept.keep(probation.state(now()).quarantinedChecksum(), v.version()); // a failed one ends it
  }

  static String shortSum(String checksum) {
    return checksum.substring(0, Math.min(12, checksum.length()));
  }
}
