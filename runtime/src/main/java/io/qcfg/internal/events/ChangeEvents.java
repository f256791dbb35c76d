package io.qcfg.internal.events;

import java.util.function.ObjLongConsumer;

/**
 * Emits the Flight Recorder events of configuration changes. Costs a field read when no
 * recording asks for them, and nothing at all on a runtime image without {@code jdk.jfr}: the
 * event classes are only loaded when that module is present.
 */
public final class ChangeEvents {
  private static final boolean JFR = ModuleLayer.boot().findModule("jdk.jfr").isPresent();

  private static volatile ObjLongConsumer<String> buildTimes = (outcome, nanos) -> {};

  private ChangeEvents() {}

  /**
   * Also tells {@code sink} the build time of every applied ({@code accepted}) or rejected
   * candidate: the Micrometer timer. One sink; a later call replaces it.
   */
  public static void onBuildTime(ObjLongConsumer<String> sink) {
    buildTimes = sink;
  }

  /**
   * Whether an event could be recorded now. The first {@code new} of an event class sets up
   * Flight Recorder's event machinery: 160–190 ms of a cold JVM on 2 cores, ~450 ms under load,
   * paid on the applier, where it held up an automatic rollback (issue 18). Without an initialised
   * recorder no event can be recorded, so none is made; a recording started later (jcmd JFR.start)
   * initialises it, and events flow from then on.
   */
  static boolean recording() {
    return JFR && Recorder.initialized();
  }

  /** A new version was applied after {@code buildNanos} of building and validating. */
  public static void applied(long version, String checksum, String cause, long buildNanos) {
    buildTimes.accept("accepted", buildNanos);
    if (recording()) {
      Jfr.applied(version, checksum, cause, buildNanos);
    }
  }

  /** A candidate was rejected with {@code problems} problems; {@code kept} stays active. */
  public static void rejected(long kept, String cause, int problems, long buildNanos) {
    buildTimes.accept("rejected", buildNanos);
    if (recording()) {
      Jfr.rejected(kept, cause, problems, buildNanos);
    }
  }

  /** Version {@code target} was applied again as {@code version}. */
  public static void rollback(long version, long target, String checksum, String cause) {
    if (recording()) {
      Jfr.rollback(version, target, checksum, cause);
    }
  }

  static String prefix(String checksum) {
    return checksum == null ? "" : checksum.substring(0, Math.min(12, checksum.length()));
  }

  /** Loaded only when jdk.jfr is present; asks without starting anything. */
  private static final class Recorder {
    static boolean initialized() {
      return jdk.jfr.FlightRecorder.isInitialized();
    }
  }

  /** Touches the event classes; loaded only when jdk.jfr is present. */
  private static final class Jfr {
    static void applied(long version, String checksum, String cause, long buildNanos) {
      ConfigAppliedEvent e = new ConfigAppliedEvent();
      if (e.shouldCommit()) {
        e.version = version;
        e.checksum = prefix(checksum);
        e.cause = cause;
        e.buildTime = buildNanos;
        e.commit();
      }
    }

    static void rejected(long kept, String cause, int problems, long buildNanos) {
      ConfigRejectedEvent e = new ConfigRejectedEvent();
      if (e.shouldCommit()) {
        e.keptVersion = kept;
        e.cause = cause;
        e.problemCount = problems;
        e.buildTime = buildNanos;
        e.commit();
      }
    }

    static void rollback(long version, long target, String checksum, String cause) {
      ConfigRollbackEvent e = new ConfigRollbackEvent();
      if (e.shouldCommit()) {
        e.version = version;
        e.targetVersion = target;
        e.checksum = prefix(checksum);
        e.cause = cause;
        e.commit();
      }
    }
  }
}
