package io.qcfg.internal.jmx;

import io.qcfg.internal.log.Log;
import java.util.List;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;

/**
 * Lets the qcfg MBean appear when the JVM's platform MBean server is created, by whoever creates
 * it, so that qcfg does not create that server itself (issue 16).
 *
 * <p>Why: creating the platform MBean server costs a starting JVM 200 ms of CPU (on two cores,
 * 120 ms of a 5,000-class start: benchmarks/README, run S), and starts java.util.logging. Most JVMs
 * never need it. Every tool that looks for the MBean creates the server first: the {@code qcfg}
 * CLI, jconsole and VisualVM through the attach API's local agent, a remote client through the
 * agent of {@code -Dcom.sun.management.jmxremote.port}, and an application that exports its own
 * MBeans. The server and the qcfg MBean then come into being in the same call, so no tool can see
 * one without the other.
 *
 * <p>How: premain {@linkplain #install() names} {@link PlatformServerBuilder} in the system
 * property {@value #BUILDER_PROPERTY}, which {@link MBeanServerFactory} reads to create every
 * MBean server. Only then, and only while nobody has created an MBean server, does {@link
 * ConfigEndpoint} {@linkplain #offer leave} its endpoint here instead of registering it. In every
 * other case it registers at once, as before:
 *
 * <ul>
 *   <li>qcfg is not on the bootstrap class path (a renamed jar, a library): the factory loads the
 *       builder through the thread's context class loader, which might not see qcfg's classes,
 *       and a builder that cannot load breaks the application's JMX;
 *   <li>another builder is named (an application server's), before premain or later;
 *   <li>an MBean server exists already (another agent's premain made the platform one);
 *   <li>option {@code jmx=false}: nothing to register.
 * </ul>
 *
 * <p>Concurrency: the builder runs inside {@code ManagementFactory.getPlatformMBeanServer()},
 * which holds its class lock, and takes {@link #LOCK}. Nothing holds {@link #LOCK} while it calls
 * into {@code ManagementFactory} or waits for {@code ConfigEndpoint}'s lock, so the two cannot
 * deadlock.
 */
public final class PlatformServer {
  /** The system property {@link MBeanServerFactory} reads for its builder class. */
  static final String BUILDER_PROPERTY = "javax.management.builder.initial";

  /** {@link PlatformServerBuilder}'s name, spelt out: naming it in premain loads no JMX class. */
  static final String BUILDER = "io.qcfg.internal.jmx.PlatformServerBuilder";

  private static final Object LOCK = new Object();
  private static boolean installed; // guarded by LOCK
  private static MBeanServer server; // guarded by LOCK: the platform server, once created
  private static ConfigEndpoint waiting; // guarded by LOCK: registered when the server is created

  private PlatformServer() {}

  /**
   * Names the builder unless another one is named. Called by premain, when qcfg's classes come
   * from the bootstrap class path and option {@code jmx} is on; sets one system property and
   * loads no JMX class.
   */
  public static void install() {
    synchronized (LOCK) {
      if (System.getProperty(BUILDER_PROPERTY) == null) {
        System.setProperty(BUILDER_PROPERTY, BUILDER);
        installed = true;
      }
    }
  }

  /**
   * Leaves {@code endpoint} to be registered when the platform MBean server is created, if that
   * is how it will be; otherwise does nothing.
   *
   * @return whether the endpoint waits here (false: register it now)
   */
  static boolean offer(ConfigEndpoint endpoint) {
    synchronized (LOCK) {
      if (!installed
          || server != null
          || !BUILDER.equals(System.getProperty(BUILDER_PROPERTY))
          || !MBeanServerFactory.findMBeanServer(null).isEmpty()) {
        return false;
      }
      waiting = endpoint;
      return true;
    }
  }

  /**
   * Takes back {@code endpoint} if it still waits for the server.
   *
   * @return whether it was waiting (then no server holds it)
   */
  static boolean withdraw(ConfigEndpoint endpoint) {
    synchronized (LOCK) {
      if (waiting != endpoint || endpoint == null) {
        return false;
      }
      waiting = null;
      return true;
    }
  }

  /** The platform server if the builder has seen it created, else null; never creates it. */
  static MBeanServer created() {
    synchronized (LOCK) {
      return server;
    }
  }

  /**
   * Called by the builder with the platform server it has just made: registers the waiting
   * endpoint in it. Never throws: the application's JMX must work whatever happens to qcfg's.
   */
  static void created(MBeanServer platform) {
    synchronized (LOCK) {
      server = platform;
      ConfigEndpoint endpoint = waiting;
      waiting = null;
      if (endpoint != null) {
        try {
          platform.registerMBean(endpoint, ConfigEndpoint.objectName());
        } catch (Throwable t) {
          Log.error("QCFG-5104: JMX: cannot register " + ConfigEndpoint.OBJECT_NAME
              + "; qcfg runs without JMX", t);
        }
      }
    }
  }

  /** Whether {@code frames} (class and method names) are inside the platform server's creation. */
  static boolean makingPlatformServer(List<String> frames) {
    return frames.contains("java.lang.management.ManagementFactory.getPlatformMBeanServer");
  }
}
