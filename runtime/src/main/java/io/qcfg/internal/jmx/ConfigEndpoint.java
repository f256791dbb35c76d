package io.qcfg.internal.jmx;

import io.qcfg.Origin;
import io.qcfg.QcfgException;
import io.qcfg.Snapshot;
import io.qcfg.internal.engine.Engine;
import io.qcfg.internal.engine.Extension;
import io.qcfg.internal.log.Log;
import io.qcfg.internal.snapshot.ConfigSnapshot;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import javax.management.InstanceAlreadyExistsException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * The {@link ConfigMXBean} qcfg registers as {@value #OBJECT_NAME}: checks the caller's role, calls
 * {@link ConfigOperations}, and turns results and failures into open types and JDK exceptions.
 *
 * <p>Register it with {@link #register(Engine)} from the qcfg thread once the first snapshot
 * exists, never from premain: the first call to {@link ManagementFactory#getPlatformMBeanServer()}
 * starts JMX and java.util.logging, which breaks hosts that install their own LogManager later.
 * Under the agent, the endpoint usually waits for the platform MBean server instead, and is
 * registered when someone creates it ({@link PlatformServer}).
 *
 * <p>Concurrency: JMX threads call the operations concurrently. An endpoint holds only final
 * references; changes are serialised by the runtime's applier thread. The registration state is
 * guarded by the class lock.
 */
public final class ConfigEndpoint implements ConfigMXBean {
  /** The ObjectName of the qcfg MBean (DESIGN.md, "JMX"). */
  public static final String OBJECT_NAME = "io.qcfg:type=Config";

  /**
   * A system property set to {@value #OBJECT_NAME} while the MBean is registered, so that {@code
   * qcfg status} can find qcfg JVMs from their system properties (attach API) without starting a
   * JMX agent in every JVM of the user. The ':' makes it an invalid configuration path: it never
   * takes part in the system-properties layer.
   */
  public static final String MARKER_PROPERTY = "qcfg:mbean";

  private static ConfigEndpoint registered; // guarded by ConfigEndpoint.class

  private final ConfigOperations ops;
  private final AccessDeniedListener onDenied;

  /**
   * @param ops what the operations call
   * @param onDenied told about every refused operation (integration: the audit log)
   */
  public ConfigEndpoint(ConfigOperations ops, AccessDeniedListener onDenied) {
    this.ops = ops;
    this.onDenied = onDenied;
  }

  /** {@value #OBJECT_NAME} as an {@link ObjectName}. */
  public static ObjectName objectName() {
    try {
      return new ObjectName(OBJECT_NAME);
    } catch (MalformedObjectNameException e) {
      throw new QcfgException.BugOrBroken("bad constant ObjectName", e);
    }
  }

  /**
   * Registers the MBean for {@code runtime} in the platform MBean server unless its {@code jmx}
   * option is off. Idempotent; call from the qcfg thread after the first snapshot. Never throws: a
   * failure is logged and qcfg runs on without JMX.
   */
  public static synchronized void register(Engine runtime) {
    ConfigOperations ops = ConfigOperations.of(runtime);
    if (runtime.options().jmx() && (registered == null || !registered.ops.equals(ops))) {
      register(ops, accessDeniedListener(runtime));
    }
  }

  /** Writes every JMX access denial to the engine's audit log, with the principal. */
  static AccessDeniedListener accessDeniedListener(Engine engine) {
    return (caller, operation, needed) ->
        engine.auditDenied(caller.principal(), operation,
            "role " + caller.role().name().toLowerCase(java.util.Locale.ROOT) + ", needs "
                + needed.name().toLowerCase(java.util.Locale.ROOT));
  }

  /**
   * Unregisters the endpoint only if it serves {@code ops}: a stopped engine never removes the
   * endpoint of the one that replaced it.
   */
  public static synchronized void unregister(ConfigOperations ops) {
    if (registered != null && registered.ops.equals(ops)) {
      unregister();
    }
  }

  /** The MBean as an {@link Extension}: registered after the first snapshot. */
  public static Extension extension() {
    return new Extension() {
      @Override
      public void started(Engine engine) {
        register(engine);
      }

      @Override
      public void stopped(Engine engine) {
        unregister(ConfigOperations.of(engine));
      }
    };
  }

  /**
   * Registers an endpoint over {@code ops}. Calling it again with equal operations and the same
   * listener does nothing; with other ones, replaces the endpoint this class registered before. A
   * foreign MBean already registered under {@value #OBJECT_NAME} (another qcfg copy in the same
   * JVM) is left alone.
   * Under the agent the endpoint may instead wait for the platform MBean server to be created
   * ({@link PlatformServer}); it counts as registered then.
   *
   * @return whether an endpoint over {@code ops} is registered afterwards
   */
  public static synchronized boolean register(ConfigOperations ops, AccessDeniedListener onDenied) {
    if (registered != null) {
      if (registered.ops.equals(ops) && registered.onDenied == onDenied) {
        return true;
      }
      unregister();
    }
    ConfigEndpoint endpoint = new ConfigEndpoint(ops, onDenied);
    try {
      if (!PlatformServer.offer(endpoint)) {
        ManagementFactory.getPlatformMBeanServer().registerMBean(endpoint, objectName());
      }
      registered = endpoint;
      System.setProperty(MARKER_PROPERTY, OBJECT_NAME);
      return true;
    } catch (InstanceAlreadyExistsException e) {
      Log.warn(
          "QCFG-5103: JMX: "
              + OBJECT_NAME
              + " is already registered by someone else (another"
              + " copy of qcfg in this JVM?); this one runs without JMX");
      return false;
    } catch (JMException | RuntimeException e) {
      Log.error("QCFG-5104: JMX: cannot register " + OBJECT_NAME + "; qcfg runs without JMX", e);
      return false;
    }
  }

  /** Unregisters the endpoint this class registered, if any. Never throws. */
  public static synchronized void unregister() {
    if (registered == null) {
      return;
    }
    ConfigEndpoint endpoint = registered;
    registered = null;
    System.clearProperty(MARKER_PROPERTY);
    if (PlatformServer.withdraw(endpoint)) {
      return; // it was waiting for a server that nobody has created: none to look in
    }
    try {
      MBeanServer created = PlatformServer.created();
      MBeanServer server = created != null ? created : ManagementFactory.getPlatformMBeanServer();
      if (server.isRegistered(objectName())) {
        server.unregisterMBean(objectName());
      }
    } catch (JMException | RuntimeException e) {
      Log.warn("QCFG-5104: JMX: cannot unregister " + OBJECT_NAME, e);
    }
  }

  // --- attributes: open to every caller ------------------------------------------------------

  @Override
  public long getVersion() {
    return ops.current().version();
  }

  @Override
  public String getChecksum() {
    return ops.current().checksum();
  }

  @Override
  public String getEnvironment() {
    return ops.current().environment();
  }

  @Override
  public String getLoadedAt() {
    Instant at = ops.loadedAt();
    return at == null ? "" : at.toString();
  }

  @Override
  public boolean isLastReloadSuccessful() {
    return ops.lastReloadSuccessful();
  }

  @Override
  public String getLastError() {
    return ops.lastError();
  }

  @Override
  public long getReloadCount() {
    return ops.reloadCount();
  }

  @Override
  public long getRejectedCount() {
    return ops.rejectedCount();
  }

  @Override
  public long getEtcdRevision() {
    return ops.etcdRevision();
  }

  @Override
  public String getEtcdStatus() {
    return ops.etcdStatus();
  }

  @Override
  public long getListenerFailures() {
    return ops.listenerFailures();
  }

  @Override
  public String getProbation() {
    return ops.probation().probation();
  }

  @Override
  public String getLastAutoRollback() {
    return ops.probation().lastAutoRollback();
  }

  @Override
  public String releaseQuarantine() {
    Caller c = authorize("releaseQuarantine()", Role.OPERATOR);
    return ops.releaseQuarantine(c.actor());
  }

  // --- reads -------------------------------------------------------------------------------------

  @Override
  public ValueInfo get(String path) {
    requirePath(path);
    ConfigSnapshot s = ops.current();
    try {
      s.valueAt(path);
    } catch (QcfgException.Missing e) {
      throw new IllegalArgumentException(
          "QCFG-5113: version " + s.version() + ": " + path + ": no value at this path");
    }
    Origin o = s.origin(path).orElse(new Origin("unknown", null, -1));
    return new ValueInfo(path, s.describe(path), o.location(), o.layer(), s.isSecret(path));
  }

  @Override
  public HistoryInfo[] history() {
    List<HistoryInfo> h = translate("history()", ops::history);
    return h.toArray(new HistoryInfo[0]);
  }

  @Override
  public ChangeInfo[] diff(long from, long to) {
    String op = "diff(" + from + ", " + to + ")";
    ConfigSnapshot a = translate(op, () -> ops.snapshotAt(from));
    ConfigSnapshot b = translate(op, () -> ops.snapshotAt(to));
    return SnapshotDiff.between(a, b).toArray(new ChangeInfo[0]);
  }

  // --- changes -----------------------------------------------------------------------------------

  @Override
  public String reload() {
    Caller c = authorize("reload()", Role.OPERATOR);
    return change("reload", () -> ops.reload(c.actor()));
  }

  @Override
  public String rollback(long version) {
    Caller c = authorize("rollback(" + version + ")", Role.OPERATOR);
    return change("rollback to " + version, () -> ops.rollback(version, c.actor()));
  }

  @Override
  public String rollback(long version, boolean allowEnvironmentChange) {
    Caller c = authorize("rollback(" + version + ", " + allowEnvironmentChange + ")", Role.OPERATOR);
    return change("rollback to " + version,
        () -> ops.rollback(version, c.actor(), allowEnvironmentChange));
  }

  @Override
  public String setOverride(String path, String value) {
    requirePath(path);
    if (value == null) {
      throw new IllegalArgumentException(
          "QCFG-5114: setOverride: " + path + ": expected a HOCON value, found nothing");
    }
    // The value is never named: it may be a secret.
    Caller c = authorizeOverride("setOverride(" + path + ")", path);
    return change("override " + path, () -> ops.setOverride(path, value, c.actor()));
  }

  @Override
  public String clearOverride(String path) {
    requirePath(path);
    Caller c = authorizeOverride("clearOverride(" + path + ")", path);
    return change("clear override " + path, () -> ops.clearOverride(path, c.actor()));
  }

  @Override
  public String switchEnvironment(String environment) {
    if (environment == null || environment.isBlank()) {
      throw new IllegalArgumentException(
          "QCFG-5114: switchEnvironment: expected an environment name, found nothing");
    }
    Caller c = authorize("switchEnvironment(" + environment + ")", Role.ADMIN);
    return change(
        "switch to " + environment, () -> ops.switchEnvironment(environment.trim(), c.actor()));
  }

  // -----------------------------------------------------------------------------------------------

  private Caller authorize(String operation, Role needed) {
    Caller c = AccessPolicy.currentCaller(ops.current());
    if (c.role().allows(needed)) {
      return c;
    }
    throw deny(
        c,
        operation,
        needed,
        "QCFG-5101: "
            + c.displayName()
            + " (role "
            + c.role().label()
            + ") may not call "
            + operation
            + ": needs "
            + needed.label());
  }

  /** Overrides need operator; under qcfg.access they need admin, or operators could promote. */
  private Caller authorizeOverride(String operation, String path) {
    if (!AccessPolicy.isAccessPath(path)) {
      return authorize(operation, Role.OPERATOR);
    }
    Caller c = AccessPolicy.currentCaller(ops.current());
    if (c.role().allows(Role.ADMIN)) {
      return c;
    }
    throw deny(
        c,
        operation,
        Role.ADMIN,
        "QCFG-5102: "
            + c.displayName()
            + " (role "
            + c.role().label()
            + ") may not call "
            + operation
            + ": changing "
            + AccessPolicy.SECTION
            + " needs admin");
  }

  private SecurityException deny(Caller c, String operation, Role needed, String message) {
    Log.warn("JMX access denied: " + message);
    try {
      onDenied.denied(c, operation, needed);
    } catch (RuntimeException e) {
      Log.error("QCFG-5106: the access-denied listener failed", e);
    }
    return new SecurityException(message);
  }

  private String change(String what, Supplier<Snapshot> action) {
    long before = ops.current().version();
    Snapshot after = translate(what, action);
    String state = after.version() == before ? "unchanged at version " : "applied version ";
    return what
        + ": "
        + state
        + after.version()
        + ", checksum "
        + shortSum(after.checksum())
        + ", environment "
        + after.environment();
  }

  /**
   * Runs {@code action}, turning qcfg exceptions into JDK ones a remote client can deserialise. No
   * cause is attached: its class may not exist on the client.
   */
  private <T> T translate(String what, Supplier<T> action) {
    try {
      return action.get();
    } catch (QcfgException.Invalid e) {
      throw new IllegalStateException(
          "QCFG-5120: "
              + what
              + " rejected, keeping version "
              + ops.current().version()
              + ": "
              + e.getMessage());
    } catch (QcfgException.Missing | QcfgException.WrongType | QcfgException.BadOption e) {
      throw new IllegalArgumentException(e.getMessage());
    } catch (QcfgException e) {
      throw new IllegalStateException(e.getMessage());
    } catch (RuntimeException e) {
      Log.error("QCFG-5122: JMX " + what + " failed", e);
      throw new IllegalStateException(
          "QCFG-5122: " + what + " failed (" + e.getClass().getName() + "); see the JVM's stderr");
    }
  }

  private static void requirePath(String path) {
    if (path == null || path.isBlank()) {
      throw new IllegalArgumentException(
          "QCFG-5114: expected a configuration path such as http.port, found nothing");
    }
  }

  private static String shortSum(String checksum) {
    return checksum.substring(0, Math.min(12, checksum.length()));
  }
}
