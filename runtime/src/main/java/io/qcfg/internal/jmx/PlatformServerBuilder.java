package io.qcfg.internal.jmx;

import io.qcfg.internal.log.Log;
import java.util.List;
import javax.management.MBeanServer;
import javax.management.MBeanServerBuilder;
import javax.management.MBeanServerDelegate;

/**
 * The JDK's own {@link MBeanServerBuilder}, which also tells {@link PlatformServer} when the
 * server it builds is the platform MBean server. Named by system property {@value
 * PlatformServer#BUILDER_PROPERTY} under the agent; every MBean server of the JVM is built here
 * then, exactly as the default builder builds it.
 */
public final class PlatformServerBuilder extends MBeanServerBuilder {
  private static final StackWalker STACK = StackWalker.getInstance();

  /** For {@code MBeanServerFactory}, which makes one per builder class. */
  public PlatformServerBuilder() {}

  @Override
  public MBeanServer newMBeanServer(
      String defaultDomain, MBeanServer outer, MBeanServerDelegate delegate) {
    MBeanServer made = super.newMBeanServer(defaultDomain, outer, delegate);
    try {
      if (outer == null && PlatformServer.makingPlatformServer(callers())) {
        PlatformServer.created(made);
      }
    } catch (Throwable t) {
      Log.error("QCFG-5104: JMX: cannot register " + ConfigEndpoint.OBJECT_NAME
          + "; qcfg runs without JMX", t);
    }
    return made;
  }

  private static List<String> callers() {
    return STACK.walk(frames -> frames.limit(16)
        .map(f -> f.getClassName() + "." + f.getMethodName())
        .toList());
  }
}
