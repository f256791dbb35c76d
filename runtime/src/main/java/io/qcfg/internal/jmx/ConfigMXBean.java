package io.qcfg.internal.jmx;

/**
 * The qcfg MBean, registered as {@value ConfigEndpoint#OBJECT_NAME} (DESIGN.md, "JMX"). An MXBean:
 * every attribute, argument and result is an open type, so any JMX client (JConsole, jmxterm,
 * {@code qcfg} CLI) can use it without qcfg's classes.
 *
 * <p>Roles (see {@link AccessPolicy}): attributes, {@link #get}, {@link #history} and {@link #diff}
 * are open to every caller; {@link #reload}, {@link #rollback}, {@link #setOverride} and {@link
 * #clearOverride} need {@link Role#OPERATOR}; {@link #switchEnvironment} and overrides of {@code
 * qcfg.access} need {@link Role#ADMIN}. A denied call throws {@link SecurityException} naming the
 * caller, its role, the operation and the role it needs.
 *
 * <p>Failures are thrown as JDK exceptions carrying a {@code QCFG-NNNN} id, never as qcfg types (a
 * remote client may not have them): {@link IllegalArgumentException} for a bad argument (blank or
 * unknown path), {@link IllegalStateException} for a rejected or refused change or a version that
 * is not kept. No operation takes a file path or a URL; no result ever holds a secret value.
 */
public interface ConfigMXBean {

  /** The active snapshot's version. */
  long getVersion();

  /** The active snapshot's checksum, SHA-256 hex. */
  String getChecksum();

  /** The active snapshot's environment. */
  String getEnvironment();

  /** When the active snapshot was applied, ISO-8601 ({@code 2025-01-31T12:00:00Z}). */
  String getLoadedAt();

  /** Whether the last change request (reload, file change, override, ...) was applied. */
  boolean isLastReloadSuccessful();

  /** Every problem of the last rejected candidate, one per line; "" when none was rejected. */
  String getLastError();

  /** How many change requests were made (applied, unchanged or rejected). */
  long getReloadCount();

  /** How many change requests were rejected. */
  long getRejectedCount();

  /**
   * The etcd revision the active configuration was built from, or -1 without the etcd layer: a
   * fleet has converged when every JVM shows the same revision and checksum.
   */
  long getEtcdRevision();

  /** "connected to URL", "disconnected: reason", or "" without the etcd layer. */
  String getEtcdStatus();

  /** How many times a change listener or {@code @OnConfigChange} method threw (contained). */
  long getListenerFailures();

  /**
   * The version on probation and how long it still runs, e.g. {@code version 7, 1.4 s left}; ""
   * when none is (or option {@code probation} is off). Issue 18.
   */
  String getProbation();

  /** One line on the last automatic rollback of probation, or "" when none happened. */
  String getLastAutoRollback();

  /**
   * Ends the quarantine of the configuration an automatic rollback undid, so that the next change
   * may apply it again. Needs operator.
   *
   * @return e.g. {@code released the quarantine of configuration 1a2b3c4d5e6f}, or {@code nothing
   *     is quarantined}
   */
  String releaseQuarantine();

  /**
   * Re-reads every layer. Needs operator.
   *
   * @return e.g. {@code applied version 5, checksum 1a2b3c4d5e6f} or {@code unchanged: version 4,
   *     checksum ...}
   * @throws IllegalStateException (QCFG-5120) when the new candidate is rejected; the message lists
   *     every problem and the active version stays
   */
  String reload();

  /** Re-applies an earlier version as a new version. Needs operator. */
  String rollback(long version);

  /**
   * Rolls back like {@link #rollback(long)}; with {@code allowEnvironmentChange}, also to a version
   * applied in another environment (refused otherwise, QCFG-1608). Needs operator.
   */
  String rollback(long version, boolean allowEnvironmentChange);

  /**
   * The value at {@code path} (a leaf or a subtree) with where it came from; secrets redacted.
   *
   * @throws IllegalArgumentException (QCFG-5113) when there is no such path
   */
  ValueInfo get(String path);

  /** The applied versions still kept, oldest first. */
  HistoryInfo[] history();

  /** The leaf paths added, removed or changed from version {@code from} to {@code to}. */
  ChangeInfo[] diff(long from, long to);

  /**
   * Sets a runtime override; {@code value} is HOCON ({@code 42}, {@code "text"}, {@code 30s},
   * {@code [1,2]}). Needs operator (admin under {@code qcfg.access}).
   */
  String setOverride(String path, String value);

  /** Removes a runtime override. Needs operator (admin under {@code qcfg.access}). */
  String clearOverride(String path);

  /** Rebuilds the configuration for another environment. Needs admin. */
  String switchEnvironment(String environment);
}
