package io.qcfg.launch;

import java.io.File;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.jar.JarFile;

/**
 * The class the JVM starts {@code qcfg.jar} with ({@code Premain-Class}, {@code Agent-Class}). It
 * puts the jar on the bootstrap class path, then hands over to {@code io.qcfg.agent.QcfgAgent}
 * loaded from there (issue 16).
 *
 * <p>Why: the system class loader defines a class in Java code that runs interpreted this early
 * (jar lookup, code source, package, protection domain) and verifies its bytecode; the bootstrap
 * loader does both natively and trusts its classes. qcfg loads 350 classes before a restart
 * publishes and about 1,300 before a first start does: from the bootstrap path a restart on a 1k
 * configuration published about 100 ms earlier, a first start about 150 ms (benchmarks/README.md,
 * run P). qcfg's classes are then one set for every class loader of the application (web
 * containers included), and the jar holds nothing else: every third-party package in it is
 * relocated under {@code io.qcfg.shaded}.
 *
 * <p>When qcfg stays on the system class path as before:
 * <ul>
 *   <li>with the {@code http} or {@code etcd} option (agent argument, {@code qcfg.*} system
 *       property or {@code QCFG_*} variable): the status server and the etcd client use JDK
 *       modules ({@code jdk.httpserver}, {@code java.net.http}) that the platform class loader
 *       defines, which the bootstrap loader cannot see;
 *   <li>for a load into a running JVM ({@link #agentmain}): the application may already hold
 *       classes of qcfg's API from its own class path, and start-up time is not at stake;
 *   <li>when the jar cannot be found or opened: nothing is lost but the time.
 * </ul>
 *
 * <p>This class refers to no other qcfg class by type, so that none is defined by the system
 * loader next to the bootstrap loader's copy; it never throws into the JVM.
 */
public final class QcfgLaunch {
  static final String AGENT = "io.qcfg.agent.QcfgAgent";

  private QcfgLaunch() {}

  /** Entry point for {@code -javaagent:qcfg.jar[=OPTIONS]}. */
  public static void premain(String agentArgs, Instrumentation inst) {
    ClassLoader from = QcfgLaunch.class.getClassLoader();
    if (!needsPlatformModules(agentArgs) && onBootClassPath(inst)) {
      from = null;
    }
    enter(from, "premain", agentArgs, inst);
  }

  /** Entry point for a load into a running JVM: qcfg stays on the system class path. */
  public static void agentmain(String agentArgs, Instrumentation inst) {
    enter(QcfgLaunch.class.getClassLoader(), "agentmain", agentArgs, inst);
  }

  /** Whether an option that needs a platform-loader JDK module is given in any of its forms. */
  static boolean needsPlatformModules(String agentArgs) {
    for (String key : new String[] {"http", "etcd"}) {
      if (System.getProperty("qcfg." + key) != null
          || System.getenv("QCFG_" + key.toUpperCase(java.util.Locale.ROOT)) != null) {
        return true;
      }
    }
    if (agentArgs != null) {
      for (String pair : agentArgs.split(",")) {
        int eq = pair.indexOf('=');
        String key = (eq < 0 ? pair : pair.substring(0, eq)).trim();
        if (key.equals("http") || key.equals("etcd")) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Appends this jar to the bootstrap class path unless it is there already (the jar given twice
   * as {@code -javaagent}). @return whether qcfg's classes now load from there
   */
  private static boolean onBootClassPath(Instrumentation inst) {
    try {
      if (bootHasAgent()) {
        return true;
      }
      var source = QcfgLaunch.class.getProtectionDomain().getCodeSource();
      if (source == null || source.getLocation() == null) {
        return false;
      }
      File jar = new File(source.getLocation().toURI());
      try (JarFile f = new JarFile(jar)) { // the JVM keeps only its name
        inst.appendToBootstrapClassLoaderSearch(f);
      }
      return bootHasAgent();
    } catch (Exception | LinkageError e) {
      return false;
    }
  }

  private static boolean bootHasAgent() {
    try {
      Class.forName(AGENT, false, null);
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  private static void enter(ClassLoader from, String method, String agentArgs,
      Instrumentation inst) {
    Method m;
    try {
      m = Class.forName(AGENT, true, from)
          .getMethod(method, String.class, Instrumentation.class);
    } catch (ReflectiveOperationException | LinkageError e) {
      failed(e);
      return;
    }
    try {
      m.invoke(null, agentArgs, inst);
    } catch (InvocationTargetException e) {
      failed(e.getCause()); // QcfgAgent catches everything: a bug if this happens
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      failed(e);
    }
  }

  // qcfg's logger is on the other side of the hand-over; the same line, with the class name only.
  private static void failed(Throwable t) {
    System.err.println("[qcfg] QCFG-5010: qcfg failed to start; the application runs without it ("
        + (t == null ? "unknown" : t.getClass().getName()) + ")");
  }
}
