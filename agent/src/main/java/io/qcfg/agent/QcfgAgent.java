package io.qcfg.agent;

import io.qcfg.QcfgException;
import io.qcfg.internal.QcfgOptions;
import io.qcfg.internal.engine.Engine;
import io.qcfg.internal.engine.StartupFailure;
import io.qcfg.internal.jmx.PlatformServer;
import io.qcfg.internal.StandardExtensions;
import io.qcfg.internal.log.Log;
import io.qcfg.internal.log.StartupTrace;
import java.lang.instrument.Instrumentation;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The Java agent: {@code -javaagent:qcfg.jar[=OPTIONS]} ({@link #premain}) or a load into a
 * running JVM through the attach API ({@link #agentmain}, see {@link Attacher}).
 *
 * <p>{@code premain} runs on the application's main thread before {@code main}, so it does as
 * little as it can: it resolves the options, registers {@link AnnotatedClassTransformer} (which
 * costs nothing until an annotated class loads) and starts the thread {@code qcfg-start}, which
 * makes the engine (a bound field that is read first waits for it); the first snapshot is built
 * on the {@code qcfg-applier} thread in parallel with the application's own start-up. It never
 * touches java.util.logging or JMX, and never lets an exception reach the application.
 *
 * <p>Failures at start-up: an unknown or malformed option is a usage error; the JVM prints
 * {@code QCFG-0001} naming the option and listing the valid ones, and exits with status 78
 * (EX_CONFIG, the status of every qcfg configuration error at start-up), before {@code main}
 * runs. An invalid configuration with no last good snapshot also exits 78 (QCFG-1500) with
 * {@code System.exit}, so shutdown hooks run, and only before the first snapshot; with {@code
 * on-invalid-start=continue} the application runs on its fields' declared defaults instead. Any
 * other failure inside qcfg (QCFG-5010) is reported and the application runs without qcfg: its
 * fields keep their declared values. After the first snapshot qcfg never ends the JVM.
 */
public final class QcfgAgent {
  /** The system property in which {@link #agentmain} leaves its one-line outcome. */
  public static final String ATTACH_RESULT_PROPERTY = "qcfg.attach.result";

  private static volatile InstrumentationScope scope = InstrumentationScope.of(List.of());
  private static volatile Thread startupThread;
  private static final AtomicBoolean INSTALLED = new AtomicBoolean();

  private QcfgAgent() {}

  /** Entry point for {@code -javaagent:qcfg.jar[=OPTIONS]}. */
  public static void premain(String agentArgs, Instrumentation inst) {
    long began = System.nanoTime();
    try {
      QcfgOptions options = resolve(agentArgs);
      if (options.traceStartup()) {
        StartupTrace.enable(began);
        StartupTrace.notePremainStart(); // worked out when the table prints, not in premain
        StartupTrace.end("options", began);
      }
      if (!markInstalled()) {
        // A second transformer would insert every hook twice.
        Log.warn("QCFG-5019: qcfg.jar is given twice as -javaagent; the second one is ignored");
        return;
      }
      if (options.jmx() && QcfgAgent.class.getClassLoader() == null) {
        PlatformServer.install(); // the MBean comes with the platform MBean server, not before
      }
      scope = InstrumentationScope.of(options.packages());
      startupThread = Thread.currentThread();
      inst.addTransformer(new AnnotatedClassTransformer(scope), false);
      Engine.startInBackground(options,
          options.onInvalidStart().equals("continue")
              ? StartupFailure.CONTINUE : StartupFailure.EXIT,
          ClassLoader.getSystemClassLoader(), StandardExtensions::all); // made after the first snapshot
    } catch (QcfgException.BadOption e) {
      Log.error(e.getMessage());
      System.err.println("[qcfg] exiting with status 78 (configuration error)");
      System.err.flush();
      System.exit(78); // before main: nothing of the application runs yet
    } catch (Throwable t) {
      Log.error("QCFG-5010: qcfg failed to start; the application runs without it", t);
    }
    StartupTrace.end("premain (options, transformer, engine thread)", began);
  }

  /**
   * Entry point for a load into a running JVM. Never throws into the target JVM: the outcome is
   * logged there and left in the system property {@value #ATTACH_RESULT_PROPERTY} for {@link
   * Attacher} to read ({@code ok: ...} or {@code failed: ...}).
   */
  public static void agentmain(String agentArgs, Instrumentation inst) {
    String result;
    try {
      result = LateAttach.run(resolve(agentArgs), inst);
    } catch (QcfgException e) {
      Log.error("qcfg not started: " + e.getMessage());
      result = "failed: " + e.getMessage();
    } catch (Throwable t) {
      Log.error("QCFG-5010: qcfg failed to start; the application runs without it", t);
      result = "failed: QCFG-5010: " + io.qcfg.internal.crypto.ForeignText.describe(t);
    }
    System.setProperty(ATTACH_RESULT_PROPERTY, result);
  }

  static QcfgOptions resolve(String agentArgs) {
    return QcfgOptions.resolve(
        QcfgOptions.parseAgentArgs(agentArgs), System.getProperties(), System.getenv());
  }

  /** True the first time only: one transformer per JVM. */
  static boolean markInstalled() {
    return INSTALLED.compareAndSet(false, true);
  }

  static void useScope(InstrumentationScope s) {
    scope = s;
  }

  /** Which classes the agent instruments (all but JDK and qcfg when it did not start). */
  static InstrumentationScope scope() {
    return scope;
  }

  /** Whether the caller runs on the thread that ran {@code premain}: the application start. */
  static boolean isStartupThread() {
    return Thread.currentThread() == startupThread;
  }
}
