package io.qcfg.internal.engine;

import io.qcfg.Problem;
import io.qcfg.QcfgException;
import io.qcfg.internal.audit.AuditEvent;
import io.qcfg.internal.engine.Publisher.Change;
import io.qcfg.internal.events.ChangeEvents;
import io.qcfg.internal.history.HistoryEntry;
import io.qcfg.internal.layer.Environment;
import io.qcfg.internal.log.ChangeLog;
import io.qcfg.internal.log.Log;
import io.qcfg.internal.snapshot.ConfigSnapshot;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Every kind of change: reloads (files, etcd, API, JMX), overrides, environment switches and
 * rollbacks, each one build followed by one apply or one rejection.
 *
 * <p>Concurrency: the methods named {@code *Now} run on the applier thread only; the others
 * queue on it and wait, bounded. The applier is the single writer of {@link #environment} and
 * {@link #overrides}, which are immutable values behind volatile references: any thread reads
 * them without a lock.
 */
final class Changes {
  /** A rollback that holds until the inputs give something other than what they gave then. */
  private record Hold(long version, String inputsChecksum) {}

  private final Builds builds;
  private final Publisher publisher;
  private final Applier applier;
  private final Records records;
  private final HistoryRestore restore;
  private final Supplier<ConfigSnapshot> active;
  private final LongSupplier rejectedCount;
  private final Listeners listeners;

  private volatile Environment environment;
  private volatile Map<String, String> overrides = Map.of();
  private Hold hold; // applier only

  Changes(Builds builds, Publisher publisher, Applier applier, Records records,
      HistoryRestore restore, Supplier<ConfigSnapshot> active, LongSupplier rejectedCount,
      Listeners listeners) {
    this.builds = builds;
    this.publisher = publisher;
    this.applier = applier;
    this.records = records;
    this.restore = restore;
    this.active = active;
    this.rejectedCount = rejectedCount;
    this.listeners = listeners;
  }

  Environment environment() {
    return environment;
  }

  Map<String, String> overrides() {
    return overrides;
  }

  /** Sets the environment of the first build (applier, before any change). */
  void startIn(Environment env) {
    environment = env;
  }

  /** A file or etcd change (applier thread): applied unless a rollback holds against it. */
  void inputsChangedNow(String cause, BooleanSupplier stillAsSeen) {
    if (!stillAsSeen.getAsBoolean()) {
      changedAgain(cause, "before");
      return;
    }
    ConfigSnapshot candidate = builds.candidate(environment, overrides, new Change(cause, "qcfg",
        AuditEvent.Type.APPLIED), stillAsSeen);
    if (candidate == null) {
      return;
    }
    if (!stillAsSeen.getAsBoolean()) {
      changedAgain(cause, "while");
      return;
    }
    if (publisher.guard().quarantined(candidate, true)) { // issue 18: logged by the guard
      return;
    }
    Hold h = hold;
    if (h != null && candidate.checksum().equals(h.inputsChecksum())
        && candidate.environment().equals(environment.name())) {
      Log.info("the rollback to version " + h.version() + " holds: the inputs still give the"
          + " configuration it replaced (" + cause + ")");
      return;
    }
    if (apply(candidate, new Change(cause, "qcfg", AuditEvent.Type.APPLIED), () -> { }) != null) {
      hold = null;
    }
  }

  /**
   * A file of a change was written again after the watcher saw it ready, {@code when} the build
   * read it: its next burst may be missing from what the build would read, so nothing is built
   * or applied from it. That write is an event of its own, which the watcher delivers once it is
   * ready; that delivery reloads (issue 15: a half-written file is never applied).
   */
  private static void changedAgain(String cause, String when) {
    Log.debug("a changed file was written again " + when + " the reload read it (" + cause
        + "); the reload waits for that write's own change event");
  }

  /**
   * Ends the hold of the rollback that replaced {@code inputsChecksum} (applier thread): after
   * {@code release-quarantine} the next file or etcd event applies what the inputs give.
   */
  void endHold(String inputsChecksum) {
    Hold h = hold;
    if (h != null && inputsChecksum.equals(h.inputsChecksum())) { // a hold's may be null
      hold = null;
    }
  }

  /** Re-reads every layer; an explicit reload also ends a holding rollback. */
  ConfigSnapshot reload(String actor, String cause) {
    records.requireAuditable("reload");
    return change("reload", () -> rebuild(environment, overrides,
        new Change(cause + " by " + actor, actor, AuditEvent.Type.APPLIED), () -> { }));
  }

  ConfigSnapshot setOverride(String path, String value, String actor) {
    records.requireAuditable("setOverride");
    return change("setOverride(" + path + ")", () -> {
      String pin = Pins.pinningLayer(path);
      if (pin != null) {
        throw new QcfgException.Refused("QCFG-1601", "override of " + path + " refused: the "
            + pin + " layer sets this path and would hide the override");
      }
      Map<String, String> next = new HashMap<>(overrides);
      next.put(path, value);
      Map<String, String> view = Map.copyOf(next);
      return rebuild(environment, view, new Change("override " + path + " by " + actor, actor,
          AuditEvent.Type.OVERRIDE_SET), () -> overrides = view);
    });
  }

  ConfigSnapshot clearOverride(String path, String actor) {
    records.requireAuditable("clearOverride");
    return change("clearOverride(" + path + ")", () -> {
      if (!overrides.containsKey(path)) {
        return active.get();
      }
      Map<String, String> next = new HashMap<>(overrides);
      next.remove(path);
      Map<String, String> view = Map.copyOf(next);
      return rebuild(environment, view, new Change("override cleared " + path + " by " + actor,
          actor, AuditEvent.Type.OVERRIDE_CLEARED), () -> overrides = view);
    });
  }

  ConfigSnapshot switchEnvironment(String name, String actor) {
    records.requireAuditable("switchEnvironment");
    return change("switchEnvironment(" + name + ")", () -> {
      Environment next = new Environment(name, "switch by " + actor);
      return rebuild(next, overrides, new Change("environment switch to " + name + " by " + actor,
          actor, AuditEvent.Type.ENVIRONMENT_SWITCH), () -> environment = next);
    });
  }

  /**
   * Applies the snapshot of {@code version} from history again, as a new version whose cause
   * names the old one. It holds until the inputs change to something other than what was active
   * before it, or an explicit change. Refused when the version is not kept, when it no longer
   * validates, or when it belongs to another environment and {@code allowEnvironmentChange} is
   * false. Every rollback, refused or not, is logged.
   */
  ConfigSnapshot rollback(long version, String actor, boolean allowEnvironmentChange,
      String reason) {
    records.requireAuditable("rollback");
    String what = "rollback to version " + version + " by " + actor
        + (reason == null ? "" : ": " + reason); // issue 18: why probation rolled back
    try {
      ConfigSnapshot s = change("rollback", () -> {
        HistoryEntry entry = restore.entry(version, "rollback to version " + version);
        Environment current = environment;
        boolean otherEnvironment = !entry.environment().equals(current.name());
        if (otherEnvironment && !allowEnvironmentChange) {
          throw new QcfgException.Refused("QCFG-1608", "rollback to version " + version
              + " refused: it was applied in environment '" + entry.environment()
              + "' and this JVM runs in '" + current.name() + "'; to switch environments, give"
              + " --allow-environment-change (CLI) or call rollback(" + version + ", true) (JMX)");
        }
        ConfigSnapshot before = active.get();
        Change change = new Change(what, actor, AuditEvent.Type.ROLLBACK);
        ConfigSnapshot candidate = builds.fromHistory(entry, change);
        if (candidate == null) {
          return null;
        }
        Environment next = otherEnvironment
            ? new Environment(entry.environment(), "rollback by " + actor) : current;
        ConfigSnapshot after = apply(candidate, change, () -> environment = next);
        if (after != null && after != before) {
          hold = new Hold(version, otherEnvironment ? inputsIn(next) : before.checksum());
          ChangeEvents.rollback(after.version(), version, after.checksum(), what);
        }
        return after;
      });
      Log.warn("QCFG-1609: " + what + ": now version " + s.version() + ", environment "
          + s.environment());
      return s;
    } catch (QcfgException e) {
      Log.warn("QCFG-1609: " + what + " failed: " + e.getMessage());
      throw e;
    }
  }

  /**
   * What the inputs give in {@code env} now, or null when that is invalid: the baseline of a
   * rollback into another environment, so that the first event there does not undo it.
   */
  private String inputsIn(Environment env) {
    try {
      return builds.quietly(env, overrides).checksum();
    } catch (QcfgException.Invalid e) {
      return null;
    }
  }

  /** Runs a change on the applier; a rejected candidate becomes {@link QcfgException.Invalid}. */
  private ConfigSnapshot change(String what, java.util.concurrent.Callable<ConfigSnapshot> task) {
    List<Problem>[] rejected = new List[1];
    ConfigSnapshot s = applier.call(what, () -> {
      builds.clearRejection();
      ConfigSnapshot r = task.call();
      rejected[0] = r == null ? builds.lastRejection() : null;
      return r;
    });
    if (s == null) {
      throw new QcfgException.Invalid(rejected[0]);
    }
    // As when listeners ran on the applier: the caller goes on once they have seen its change.
    // Bounded: a stuck listener is left behind after the callback time limit.
    listeners.awaitDelivered(s.version(), Listeners.CALLBACK_TIME_LIMIT.plusSeconds(1));
    return s;
  }

  /** Builds and applies; an explicit change ends a holding rollback. Null when rejected. */
  private ConfigSnapshot rebuild(Environment env, Map<String, String> ovr, Change change,
      Runnable commit) {
    ConfigSnapshot candidate = builds.candidate(env, ovr, change);
    if (candidate == null) {
      return null;
    }
    if (publisher.guard().quarantined(candidate, false)) { // issue 18
      throw new QcfgException.Refused("QCFG-4704", change.cause() + " refused: it gives the"
          + " configuration " + candidate.checksum().substring(0, 12) + ", quarantined after an"
          + " automatic rollback; change the files or run 'qcfg release-quarantine'");
    }
    ConfigSnapshot after = apply(candidate, change, commit);
    if (after != null) {
      hold = null;
    }
    return after;
  }

  /** Publishes a built candidate; null when the publisher refuses it (then it is rejected). */
  ConfigSnapshot apply(ConfigSnapshot candidate, Change change, Runnable commit) {
    ConfigSnapshot before = active.get();
    ConfigSnapshot after;
    try {
      // The etcd revision goes with the reference, before fields are bound: whoever sees a new
      // field value also sees the revision it came from.
      after = publisher.apply(candidate, change, () -> {
        commit.run();
        builds.applied();
      });
    } catch (QcfgException.Invalid e) { // history cannot hold it (QCFG-1515)
      builds.reject(e, change);
      return null;
    }
    if (after != before) {
      ChangeEvents.applied(after.version(), after.checksum(), change.cause(),
          builds.lastBuildNanos());
    }
    // "applied version N", and "recovered" after rejected changes: the log never ends on a
    // stale ERROR once the configuration is good again.
    ChangeLog.accepted(before == null ? -1 : before.version(), after.version(), change.cause(),
        rejectedCount.getAsLong());
    return after;
  }
}
