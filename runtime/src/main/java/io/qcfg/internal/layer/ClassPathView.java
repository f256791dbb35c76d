package io.qcfg.internal.layer;

import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the defaults layer looks for {@code reference.conf} (and what those files include): the
 * application's class path.
 *
 * <p>Under the agent, asking the JDK's system class loader for resources also asks the bootstrap
 * loader, whose class path qcfg.jar's manifest extends with qcfg.jar itself, and the system
 * loader's own, where the JVM put qcfg.jar as well: the JDK then opens that jar (4,450 entries,
 * none of them a {@code reference.conf}) in Java, which took 23-29 ms of a first start's critical
 * path (issue 16). For the JDK's own system class loader this view asks a loader over {@code
 * java.class.path} alone, with the platform loader as its parent: the same resources, found in
 * the same jars and directories (the {@code Class-Path} of their manifests included), with the
 * same URLs. Left out, as they hold no reference.conf of the application's: the JDK's modules,
 * qcfg.jar, {@code -Xbootclasspath/a} and other agents' jars. Any other loader is used as it is.
 */
final class ClassPathView {
  private static volatile Cached cached;

  private record Cached(String classPath, ClassLoader loader) {}

  private ClassPathView() {}

  /** The loader to ask for the defaults layer's resources instead of {@code loader}. */
  static ClassLoader of(ClassLoader loader) {
    if (loader == null || loader != ClassLoader.getSystemClassLoader()
        || !loader.getClass().getName().equals("jdk.internal.loader.ClassLoaders$AppClassLoader")) {
      return loader;
    }
    String classPath = System.getProperty("java.class.path", "");
    Cached c = cached;
    if (c == null || !c.classPath().equals(classPath)) {
      // Never closed: the JDK shares an open jar between its readers, so the system loader's
      // later reads of the same jars reuse what this one opened.
      c = new Cached(classPath, new URLClassLoader("qcfg-class-path", urls(classPath),
          ClassLoader.getPlatformClassLoader()));
      cached = c;
    }
    return c.loader();
  }

  static URL[] urls(String classPath) {
    List<URL> out = new ArrayList<>();
    for (String entry : classPath.split(java.io.File.pathSeparator, -1)) {
      try {
        out.add(Path.of(entry.isEmpty() ? "." : entry).toAbsolutePath().toUri().toURL());
      } catch (MalformedURLException | RuntimeException e) {
        // an entry the JDK's loader could not use either
      }
    }
    return out.toArray(URL[]::new);
  }
}
