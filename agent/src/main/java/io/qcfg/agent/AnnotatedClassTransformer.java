package io.qcfg.agent;

import io.qcfg.internal.engine.ClassLoads;
import io.qcfg.internal.log.Log;
import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The transformer the agent registers: every class the JVM loads passes through {@link
 * #transform}, so the common path (a class that is not ours to touch) is a few string prefix
 * tests and one scan of the bytes for the annotation descriptors, with no allocation and no
 * lock. Only a class that mentions {@code @ConfigValue} or {@code @OnConfigChange} reaches
 * {@link ClassRewriter}, and only then is ASM loaded.
 *
 * <p>Never throws: a class that cannot be rewritten is loaded unchanged and reported once
 * (QCFG-5013). Classes whose loader cannot see qcfg's own classes are left alone with a warning
 * (QCFG-5012): the inserted calls could not link. Those are the bootstrap loader's classes, and,
 * only when qcfg runs from the system class path (a renamed jar: its manifest's {@code
 * Boot-Class-Path} names qcfg.jar), classes of a loader whose parent chain does not reach the
 * system class loader.
 *
 * <p>Concurrency: the JVM calls {@link #transform} from any thread that loads a class, often
 * several at once. The common path reads immutable state only, besides counting the class for
 * {@link ClassLoads} (one volatile read, and a write while a fast start's check waits); the two
 * sets below are written only for rewritten classes (attach mode) and read only at attach and on
 * redefinition.
 *
 * <p>A class is rewritten the same way every time the JVM shows it to us (first load, or a later
 * redefinition by a debugger or another agent), so its fields and methods stay as the JVM knows
 * them. The exception is a class that was loaded before qcfg was attached: it never got the
 * field changes, so a retransformation may add constructor calls only.
 */
final class AnnotatedClassTransformer implements ClassFileTransformer {
  private final InstrumentationScope scope;
  private static final boolean QCFG_ON_BOOT_PATH =
      AnnotatedClassTransformer.class.getClassLoader() == null;
  private final ClassLoader system = ClassLoader.getSystemClassLoader();
  // Guarded by itself; touched only for attach and for redefinitions, both rare.
  private final Set<Class<?>> loadedBeforeAttach =
      Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));
  // After an attach only: classes rewritten as they loaded, so the attach leaves them alone.
  private final Set<String> rewrittenAtLoad;

  /**
   * @param attaching true when qcfg is being attached to a running JVM: remember what is
   *     rewritten at load until the attach has listed the classes loaded before it
   */
  AnnotatedClassTransformer(InstrumentationScope scope, boolean attaching) {
    this.scope = scope;
    this.rewrittenAtLoad = attaching ? ConcurrentHashMap.newKeySet() : null;
    ClassLoads.seen(); // loaded now: in transform its own load would ask for it again
  }

  AnnotatedClassTransformer(InstrumentationScope scope) {
    this(scope, false);
  }

  @Override
  public byte[] transform(
      ClassLoader loader,
      String className,
      Class<?> classBeingRedefined,
      ProtectionDomain protectionDomain,
      byte[] classFile) {
    try {
      ClassLoads.seen(); // the full build after a fast start waits for the application's start
      if (className == null
          || classFile == null
          || !scope.accepts(className)
          || !AnnotationScan.mentionsQcfgAnnotation(classFile)) {
        return null;
      }
      if (!reachesSystemLoader(loader)) {
        String loaderName = loader == null ? "the bootstrap class loader" : loader.toString();
        Log.warnOnce(
            "loader:" + loaderName,
            "QCFG-5012: " + className.replace('/', '.') + " is loaded by " + loaderName
                + ", which cannot see qcfg's classes; its @ConfigValue fields are not"
                + " instrumented (register its objects with Qcfg.bind)");
        return null;
      }
      boolean constructorsOnly =
          classBeingRedefined != null && loadedBeforeAttach.contains(classBeingRedefined);
      byte[] rewritten = ClassRewriter.rewrite(classFile, constructorsOnly, loader);
      if (rewritten != null && classBeingRedefined == null && rewrittenAtLoad != null) {
        rewrittenAtLoad.add(key(className, loader));
      }
      return rewritten;
    } catch (Throwable t) {
      // A broken rewrite must never stop the application from loading its class.
      Log.warnOnce(
          "transform:" + className,
          "QCFG-5013: cannot instrument " + String.valueOf(className).replace('/', '.')
              + "; it is loaded unchanged and its fields are not bound (" + io.qcfg.internal.crypto.ForeignText.describe(t) + ")");
      return null;
    }
  }

  /** Whether {@code c} was rewritten in full as it loaded (attach mode only). */
  boolean rewroteAtLoad(Class<?> c) {
    return rewrittenAtLoad != null
        && rewrittenAtLoad.contains(key(c.getName().replace('.', '/'), c.getClassLoader()));
  }

  /** Marks classes loaded before the attach: their retransformation changes constructors only. */
  void loadedBeforeAttach(Iterable<Class<?>> classes) {
    for (Class<?> c : classes) {
      loadedBeforeAttach.add(c);
    }
  }

  private static String key(String internalName, ClassLoader loader) {
    return internalName + '@' + System.identityHashCode(loader);
  }

  /**
   * Whether the rewritten class could link to qcfg: any class loader can when qcfg's classes are
   * on the bootstrap class path (the jar's manifest, {@code Boot-Class-Path}), else one that
   * delegates to the system loader. A class of the bootstrap loader itself is left alone either
   * way.
   */
  private boolean reachesSystemLoader(ClassLoader loader) {
    if (loader != null && QCFG_ON_BOOT_PATH) {
      return true;
    }
    for (ClassLoader l = loader; l != null; l = l.getParent()) {
      if (l == system) {
        return true;
      }
    }
    return false;
  }
}
