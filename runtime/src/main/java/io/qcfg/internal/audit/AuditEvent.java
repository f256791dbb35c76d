package io.qcfg.internal.audit;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One thing that happened, for the audit log. Holds paths and redacted problem texts only, never a
 * configuration value: the caller redacts, and records a secret change with {@link
 * AuditLog#keyedHash} if at all.
 *
 * <p>Which fields an event carries is up to the caller; {@link AuditLog} writes the ones that are
 * present (non-null, non-empty) and leaves the others out. The usual sets are listed on {@link
 * Type}.
 *
 * @param type what happened
 * @param actor who did it: {@code qcfg} for the engine's own actions (start-up, file changes), the
 *     JMX principal or {@code cli} for operations
 * @param cause why, as free text ({@code file-change: config/application.conf}, {@code
 *     jmx:setOverride})
 * @param version the snapshot version the event produced or concerns, or null
 * @param fromVersion the version that was active before, or null
 * @param paths configuration paths concerned (changed, overridden), never their values
 * @param problems redacted problem texts, e.g. {@code Problem.toString()} of a rejected candidate
 * @param details further redacted key/value facts (environment, JMX operation, keyed hashes);
 *     written sorted by key
 */
public record AuditEvent(
    Type type,
    String actor,
    String cause,
    Long version,
    Long fromVersion,
    List<String> paths,
    List<String> problems,
    Map<String, String> details) {

  /** The kinds of event, with the name written into the log and the fields they usually carry. */
  public enum Type {
    /** The engine started: version (active), details environment, environmentSource. */
    STARTUP("startup"),
    /** A snapshot was applied: version, fromVersion, paths changed. */
    APPLIED("applied"),
    /** A candidate failed a check and was not applied: fromVersion (kept), problems. */
    REJECTED("rejected"),
    /** Start-up fell back to the last valid snapshot in history: version, problems. */
    FALLBACK("fallback"),
    /** A rollback to an earlier version: version (new), fromVersion, details target. */
    ROLLBACK("rollback"),
    /** A runtime override was set over JMX: paths (one), version. */
    OVERRIDE_SET("override-set"),
    /** A runtime override was removed: paths (one), version. */
    OVERRIDE_CLEARED("override-cleared"),
    /** The environment was switched: version, fromVersion, details from, to. */
    ENVIRONMENT_SWITCH("environment-switch"),
    /** A JMX caller lacked the role for an operation: details operation, role. */
    ACCESS_DENIED("access-denied"),
    /** Someone asked for a reload (JMX, CLI). */
    RELOAD_REQUESTED("reload-requested"),
    /**
     * Written by {@link AuditLog} itself, before the first event after a write outage whose buffer
     * overflowed: details lost (how many events were dropped).
     */
    EVENTS_LOST("events-lost"),
    /**
     * Written at start-up when the JVM before stopped between reserving a version and writing its
     * audit line (a crash): version (the unaudited one), fromVersion (the last audited one).
     */
    VERSION_RECOVERED("version-recovered"),
    /**
     * Written at start-up when the version counter or history hold versions the audit log has no
     * line for and a crash cannot explain it (lines cut off the end, audit.head deleted or
     * rewritten, or events lost during a write outage): version (the highest), fromVersion (the
     * last audited), details reason. {@code audit verify} reports every such line.
     */
    AUDIT_GAP("audit-gap"),
    /**
     * Probation found a change unhealthy (issue 18): version (the bad one), details signal (what
     * tripped), checksum (quarantined), target (the confirmed version it goes back to).
     */
    PROBATION_FAILED("probation-failed"),
    /** A version ended its probation healthy and is confirmed: version. */
    CONFIRMED("confirmed"),
    /** An operator released the quarantined checksum: details checksum. */
    QUARANTINE_RELEASED("quarantine-released");

    private final String wireName;

    Type(String wireName) {
      this.wireName = wireName;
    }

    /** The name written in the {@code event} field of a log line. */
    public String wireName() {
      return wireName;
    }
  }

  public AuditEvent {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(cause, "cause");
    paths = paths == null ? List.of() : List.copyOf(paths);
    problems = problems == null ? List.of() : List.copyOf(problems);
    if (details == null) {
      details = Map.of();
    } else {
      TreeMap<String, String> sorted = new TreeMap<>(details);
      sorted.values().forEach(v -> Objects.requireNonNull(v, "details value"));
      details = Collections.unmodifiableMap(sorted);
    }
  }

  /**
   * An event with only a type, an actor and a cause; add the rest with the {@code with*} methods.
   */
  public static AuditEvent of(Type type, String actor, String cause) {
    return new AuditEvent(type, actor, cause, null, null, null, null, null);
  }

  public AuditEvent withVersions(Long fromVersion, Long version) {
    return new AuditEvent(type, actor, cause, version, fromVersion, paths, problems, details);
  }

  public AuditEvent withPaths(List<String> paths) {
    return new AuditEvent(type, actor, cause, version, fromVersion, paths, problems, details);
  }

  public AuditEvent withProblems(List<String> problems) {
    return new AuditEvent(type, actor, cause, version, fromVersion, paths, problems, details);
  }

  public AuditEvent withDetails(Map<String, String> details) {
    return new AuditEvent(type, actor, cause, version, fromVersion, paths, problems, details);
  }
}
