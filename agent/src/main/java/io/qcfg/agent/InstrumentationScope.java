package io.qcfg.agent;

import java.util.List;

/**
 * Which classes the agent may instrument, by name: never the JDK or qcfg itself (including the
 * relocated libraries under {@code io.qcfg.shaded}), and, when the {@code packages} option is
 * given, only classes in one of its packages or their sub-packages.
 *
 * <p>Names are compared in internal form ({@code com/acme/Foo}), as a {@code
 * ClassFileTransformer} receives them; {@link #acceptsBinaryName} takes {@code com.acme.Foo}.
 * Immutable; safe to call from any thread, takes no lock.
 */
final class InstrumentationScope {
  private static final String[] IGNORED = {
    "java/", "javax/", "jdk/", "sun/", "com/sun/", "io/qcfg/"
  };

  /** Package prefixes in internal form, each ending in {@code /}; empty means "everything". */
  private final String[] packages;

  private InstrumentationScope(String[] packages) {
    this.packages = packages;
  }

  /**
   * @param packages the {@code packages} option, already split at {@code :}, in dotted form
   *     ({@code com.acme.billing}); empty for all but the JDK and qcfg
   */
  static InstrumentationScope of(List<String> packages) {
    String[] p = new String[packages.size()];
    for (int i = 0; i < p.length; i++) {
      String dotted = packages.get(i).trim();
      while (dotted.endsWith(".") || dotted.endsWith("*")) {
        dotted = dotted.substring(0, dotted.length() - 1); // tolerate "com.acme.*"
      }
      p[i] = dotted.replace('.', '/').concat("/");
    }
    return new InstrumentationScope(p);
  }

  /** Whether a class named {@code internalName} ({@code com/acme/Foo}) may be instrumented. */
  boolean accepts(String internalName) {
    for (String ignored : IGNORED) {
      if (internalName.startsWith(ignored)) {
        return false;
      }
    }
    if (packages.length == 0) {
      return true;
    }
    for (String p : packages) {
      if (internalName.startsWith(p)) {
        return true;
      }
    }
    return false;
  }

  /** {@link #accepts} for a binary name ({@code com.acme.Foo}). */
  boolean acceptsBinaryName(String binaryName) {
    return accepts(binaryName.replace('.', '/'));
  }
}
