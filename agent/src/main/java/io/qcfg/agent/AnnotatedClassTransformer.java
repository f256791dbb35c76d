package io.qcfg.agent;

import io.qcfg.internal.log.Log;
import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;

/**
 * The transformer the agent registers: every class the JVM loads passes through {@link
 * #transform}, so the common path (a class that is not ours to touch) is a few string prefix
 * tests and one scan of the bytes for the annotation descriptors, with no allocation and no
 * lock. Only a class that mentions {@code @ConfigValue} or {@code @OnConfigChange} reaches
 * {@link ClassRewriter}, and only then is ASM loaded.
 *
 * <p>Never throws: a class that cannot be rewritten is loaded unchanged and reported once
 * (QCFG-5013). Classes whose loader cannot see qcfg's own classes (the bootstrap loader, or a
 * loader whose parent chain does not reach the system class loader, where {@code -javaagent}
 * puts qcfg.jar) are left alone with a warning (QCFG-5012): the inserted calls could not link.
 */
final class AnnotatedClassTransformer implements ClassFileTransformer {
  private final InstrumentationScope scope;
  private final ClassLoader system = ClassLoader.getSystemClassLoader();

  AnnotatedClassTransformer(InstrumentationScope scope) {
    this.scope = scope;
  }

  @Override
  public byte[] transform(
      ClassLoader loader,
      String className,
      Class<?> classBeingRedefined,
      ProtectionDomain protectionDomain,
      byte[] classFile) {
    try {
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
      return ClassRewriter.rewrite(classFile, classBeingRedefined != null);
    } catch (Throwable t) {
      // A broken rewrite must never stop the application from loading its class.
      Log.warnOnce(
          "transform:" + className,
          "QCFG-5013: cannot instrument " + String.valueOf(className).replace('/', '.')
              + "; it is loaded unchanged and its fields are not bound (" + t + ")");
      return null;
    }
  }

  private boolean reachesSystemLoader(ClassLoader loader) {
    for (ClassLoader l = loader; l != null; l = l.getParent()) {
      if (l == system) {
        return true;
      }
    }
    return false;
  }
}
