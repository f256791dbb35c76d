package io.qcfg.agent;

import io.qcfg.internal.QcfgOptions;
import io.qcfg.internal.engine.Engine;
import io.qcfg.internal.engine.StartupFailure;
import io.qcfg.internal.StandardExtensions;
import io.qcfg.internal.log.Log;
import io.qcfg.internal.snapshot.ConfigSnapshot;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts qcfg in a JVM that is already running (the agent was loaded through the attach API).
 *
 * <p>What differs from a start with {@code -javaagent}: the JVM forbids changing the fields of a
 * loaded class or adding methods to it, so a class loaded before the attach
 *
 * <ul>
 *   <li>gets its static {@code @ConfigValue} fields bound now, by reflection (a class loaded but
 *       not yet initialised is initialised by this; {@code final} statics cannot be written and
 *       are reported by the binder; the fields stay non-volatile, so a reader thread may see a
 *       new value late);
 *   <li>gets its constructors retransformed, so objects created from now on are bound;
 *   <li>objects created before the attach are out of reach: register them with {@code
 *       Qcfg.bind(object)}.
 * </ul>
 *
 * Classes loaded after the attach are instrumented in full, as under {@code -javaagent}. An
 * invalid configuration does not stop the target JVM: qcfg is then simply not started.
 */
final class LateAttach {
  private LateAttach() {}

  /** @return the one-line outcome, starting {@code ok:} */
  static String run(QcfgOptions options, Instrumentation inst) {
    if (Engine.running() != null) {
      Log.warn("QCFG-5019: qcfg already runs in this JVM; the second load is ignored");
      return "ok: already running, version " + Engine.running().current().version();
    }
    InstrumentationScope scope = InstrumentationScope.of(options.packages());
    QcfgAgent.useScope(scope);
    Engine runtime =
        Engine.startAsync(options, StartupFailure.THROW,
            ClassLoader.getSystemClassLoader(), StandardExtensions.all());
    ConfigSnapshot first = runtime.current(); // throws QcfgException.Invalid: nothing started
    if (!QcfgAgent.markInstalled()) {
      return "ok: already installed, version " + first.version();
    }
    // Registered before the loaded classes are listed, so no class can slip between the two;
    // one that loads meanwhile is rewritten in full and left out of the list.
    AnnotatedClassTransformer transformer = new AnnotatedClassTransformer(scope, true);
    inst.addTransformer(transformer, true);

    ClassLoader system = ClassLoader.getSystemClassLoader();
    List<Class<?>> withInstances = new ArrayList<>();
    List<Class<?>> withStatics = new ArrayList<>();
    for (Class<?> c : inst.getAllLoadedClasses()) {
      if (c.isArray() || c.isPrimitive() || c.isHidden() || !scope.acceptsBinaryName(c.getName())
          || !visibleFrom(c.getClassLoader(), system) || transformer.rewroteAtLoad(c)) {
        continue;
      }
      try {
        if (Hooks.declaresInstanceMembers(c) && inst.isModifiableClass(c)) {
          withInstances.add(c);
        }
        if (Hooks.declaresStaticMembers(c)) {
          withStatics.add(c);
        }
      } catch (Throwable t) {
        // A class whose members cannot be reflected (missing types) cannot carry bindings we
        // could write either.
        Log.debug("attach: skipped " + c.getName() + " (" + io.qcfg.internal.crypto.ForeignText.describe(t) + ")");
      }
    }
    // Both kinds: a later redefinition of either must not change fields or add methods.
    transformer.loadedBeforeAttach(withInstances);
    transformer.loadedBeforeAttach(withStatics);
    int retransformed = retransform(inst, withInstances);
    for (Class<?> c : withStatics) {
      Hooks.bindStatic(c);
    }
    String summary =
        "ok: attached at version " + first.version() + "; " + withStatics.size()
            + " loaded classes with static bindings bound, " + retransformed
            + " constructors retransformed; objects created before the attach are not bound"
            + " unless registered with Qcfg.bind";
    Log.info(summary.substring(4));
    return summary;
  }

  private static int retransform(Instrumentation inst, List<Class<?>> classes) {
    if (classes.isEmpty()) {
      return 0;
    }
    try {
      inst.retransformClasses(classes.toArray(new Class<?>[0]));
      return classes.size();
    } catch (Throwable batch) {
      int ok = 0; // one bad class fails the batch: retry one by one to find it
      for (Class<?> c : classes) {
        try {
          inst.retransformClasses(c);
          ok++;
        } catch (Throwable t) {
          Log.warn(
              "QCFG-5018: cannot retransform " + c.getName() + "; its new objects are not bound"
                  + " (" + io.qcfg.internal.crypto.ForeignText.describe(t) + ")");
        }
      }
      return ok;
    }
  }

  private static boolean visibleFrom(ClassLoader loader, ClassLoader system) {
    for (ClassLoader l = loader; l != null; l = l.getParent()) {
      if (l == system) {
        return true;
      }
    }
    return false;
  }
}
