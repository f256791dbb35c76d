package io.qcfg.agent;

import io.qcfg.Problem;
import io.qcfg.internal.bind.DeclaredMarks;
import io.qcfg.internal.engine.Engine;
import io.qcfg.internal.log.Log;
import io.qcfg.internal.log.StartupTrace;
import io.qcfg.internal.snapshot.ConfigSnapshot;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The calls the agent inserts into application classes. Public because instrumented classes in
 * any package call them; not an API: application code should call {@code io.qcfg.Qcfg}.
 *
 * <p>Both methods never throw: a failure is reported once per class (QCFG-5015) and the fields
 * keep their declared values. The first call of a JVM may wait until the first snapshot exists
 * (it is built on the {@code qcfg-applier} thread while the application starts); every later
 * call does not wait.
 *
 * <p>The first binding of each class is checked against the active snapshot, because the
 * snapshot was validated before the class was known: a missing {@code required} path or a value
 * that cannot convert is an error in the log (QCFG-5016 on the thread that ran {@code premain},
 * QCFG-5017 elsewhere or after an attach) and the affected fields keep their declared values:
 * once the first snapshot is published, qcfg never ends the JVM. From then on the binder rejects
 * any configuration that lacks those paths.
 *
 * <p>Concurrency: called from every application thread that initialises a class or constructs an
 * object. Per-class state lives in a {@link ClassValue} (computed once, then a lock-free read);
 * the first-binding check is claimed with a compare-and-set, so it runs once per class.
 *
 * <p>The {@code qcfg-applier} thread itself may initialise application classes while it builds
 * the first snapshot (the user's {@code ConfigRule} classes, records and beans it converts). It
 * must not wait for its own snapshot: such a class gets its statics bound by a task queued right
 * after the first snapshot, and objects it creates then are values, not bound.
 */
public final class Hooks {
  private Hooks() {}

  /** What the hooks remember per class: where its objects bind, and whether it was checked. */
  private static final class ClassState {
    final Class<?> bindsAt;
    final AtomicBoolean staticsChecked = new AtomicBoolean();
    final AtomicBoolean instancesChecked = new AtomicBoolean();

    ClassState(Class<?> bindsAt) {
      this.bindsAt = bindsAt;
    }
  }

  private static final ClassValue<ClassState> STATE =
      new ClassValue<ClassState>() {
        @Override
        protected ClassState computeValue(Class<?> type) {
          return new ClassState(mostDerivedAnnotated(type));
        }
      };

  /**
   * Binds the static {@code @ConfigValue} fields and static listeners of {@code type}. Inserted
   * at the end of its static initialiser.
   */
  public static void bindStatic(Class<?> type) {
    long t = StartupTrace.begin();
    try {
      Engine runtime = Engine.running();
      if (runtime == null) {
        return; // qcfg failed to start (reported then): fields keep their declared values
      }
      if (!runtime.hasSnapshot() && Engine.onApplierThread()) {
        runtime.atFirstPublish(() -> bindStatic(type)); // before any reader goes on
        return;
      }
      ConfigSnapshot snapshot = runtime.current(); // the first call waits for the first snapshot
      if (STATE.get(type).staticsChecked.compareAndSet(false, true)) {
        checkFirstBinding(runtime, type, true, snapshot);
      }
      runtime.binder().bindStatic(type);
      traceFirst(type, t);
    } catch (Throwable e) {
      reportOnce(type, e);
    }
  }

  /**
   * Binds the instance fields and listeners of {@code target}, once per object: only when
   * {@code declaring} (the class whose constructor is ending) is the most derived class of the
   * object that declares annotated instance members and that qcfg instruments. By then every
   * annotated field has its declared value, which becomes its default.
   */
  public static void bindInstance(Object target, Class<?> declaring) {
    long t = StartupTrace.begin();
    try {
      if (target == null) {
        return;
      }
      Class<?> type = target.getClass();
      ClassState state = STATE.get(type);
      if (state.bindsAt != declaring) {
        return; // a subclass constructor binds it when it ends
      }
      Engine runtime = Engine.running();
      if (runtime == null || (!runtime.hasSnapshot() && Engine.onApplierThread())) {
        return;
      }
      ConfigSnapshot snapshot = runtime.current();
      if (!state.instancesChecked.get() && state.instancesChecked.compareAndSet(false, true)) {
        checkFirstBinding(runtime, type, false, snapshot);
      }
      runtime.binder().bindInstance(target);
      traceFirst(type, t);
    } catch (Throwable e) {
      reportOnce(declaring, e);
    }
  }

  private static final AtomicBoolean TRACED = new AtomicBoolean();

  /** The trace's line for the application's first bound class (its wait included). */
  private static void traceFirst(Class<?> type, long began) {
    if (StartupTrace.ON && TRACED.compareAndSet(false, true)) {
      StartupTrace.end("first bound class " + type.getSimpleName() + " (waits for the snapshot)",
          began);
    }
  }

  private static void checkFirstBinding(
      Engine runtime, Class<?> type, boolean statics, ConfigSnapshot snapshot) {
    List<Problem> problems = runtime.binder().check(type, statics, snapshot);
    if (problems.isEmpty()) {
      return;
    }
    StringBuilder reasons = new StringBuilder();
    for (Problem p : problems) {
      reasons.append("\n  ").append(p);
    }
    if (QcfgAgent.isStartupThread()) {
      // The first snapshot is published: qcfg never ends the JVM from here on.
      Log.error(
          "QCFG-5016: " + type.getName() + " cannot be bound to the configuration at start-up"
              + " (version " + snapshot.version() + "); the fields named below keep their"
              + " declared values and the application goes on:" + reasons);
      return;
    }
    Log.error(
        "QCFG-5017: " + type.getName() + " cannot be fully bound to version "
            + snapshot.version() + "; the fields named below keep their declared values:"
            + reasons);
  }

  private static void reportOnce(Class<?> type, Throwable t) {
    String name = type == null ? "(unknown class)" : type.getName();
    Log.warnOnce(
        "hook:" + name,
        "QCFG-5015: binding " + name + " failed; its fields keep their values (" + io.qcfg.internal.crypto.ForeignText.describe(t) + ")");
  }

  /**
   * The most derived class from {@code type} up that declares instance {@code @ConfigValue}
   * fields or instance {@code @OnConfigChange} methods and that the agent instruments; null if
   * none.
   */
  static Class<?> mostDerivedAnnotated(Class<?> type) {
    InstrumentationScope scope = QcfgAgent.scope();
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      if (scope.acceptsBinaryName(c.getName()) && declaresInstanceMembers(c)) {
        return c;
      }
    }
    return null;
  }

  /** Whether {@code c} itself declares annotated instance fields or listener methods. */
  static boolean declaresInstanceMembers(Class<?> c) {
    return declaresMembers(c, false);
  }

  /** Whether {@code c} itself declares annotated static fields or listener methods. */
  static boolean declaresStaticMembers(Class<?> c) {
    return declaresMembers(c, true);
  }

  private static boolean declaresMembers(Class<?> c, boolean statics) {
    DeclaredMarks.ClassMarks marks = DeclaredMarks.of(c);
    if (marks != null && marks.fields().isEmpty() && marks.listeners().isEmpty()) {
      return false; // no member to look at (the common case for a superclass the agent read)
    }
    for (Field f : c.getDeclaredFields()) {
      if (Modifier.isStatic(f.getModifiers()) == statics && DeclaredMarks.field(f) != null) {
        return true;
      }
    }
    for (Method m : c.getDeclaredMethods()) {
      if (Modifier.isStatic(m.getModifiers()) == statics && DeclaredMarks.listener(m)) {
        return true;
      }
    }
    return false;
  }
}
