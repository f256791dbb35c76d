package io.qcfg.internal;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;

/**
 * Makes the objects of package {@code io.qcfg.internal.platform}: the few classes of qcfg that
 * use JDK modules of the platform class loader ({@code jdk.httpserver} for the status endpoint,
 * {@code java.net.http} for etcd).
 *
 * <p>Under the agent, qcfg's classes come from the bootstrap class path (the jar's manifest puts
 * it there, for start-up time: issue 16), and the bootstrap loader cannot see the platform
 * loader's modules. Those classes are therefore defined by a small loader of their own, {@code
 * qcfg-platform}, whose parent is the system loader: it sees the JDK's modules, and through its
 * parents the same qcfg classes as everyone else. No other qcfg class names a class of that
 * package as a type (a test checks); they reach it through the interfaces it implements, made
 * here. Without the agent, or when qcfg was not put on the bootstrap class path, qcfg's own
 * loader sees everything and defines them as usual.
 */
public final class PlatformLinked {
  static final String PACKAGE = "io.qcfg.internal.platform.";

  private PlatformLinked() {}

  /**
   * A new {@code io.qcfg.internal.platform.<simpleName>} made with its public constructor.
   *
   * @throws IOException what the constructor threw (a port that cannot be bound)
   */
  public static <T> T make(String simpleName, Class<T> type, Class<?>[] parameters,
      Object... arguments) throws IOException {
    try {
      Class<?> c = Class.forName(PACKAGE + simpleName, true, Holder.LOADER);
      return type.cast(c.getConstructor(parameters).newInstance(arguments));
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException("cannot make " + simpleName, cause);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot make " + simpleName + " ("
          + e.getClass().getSimpleName() + ")", e);
    }
  }

  /** The loader of the platform package, made on first use. */
  private static final class Holder {
    static final ClassLoader LOADER = PlatformLinked.class.getClassLoader() != null
        ? PlatformLinked.class.getClassLoader() : new Bridge();
  }

  /** Defines the platform package itself, from the system class path; asks its parents else. */
  private static final class Bridge extends ClassLoader {
    static {
      registerAsParallelCapable();
    }

    Bridge() {
      super("qcfg-platform", ClassLoader.getSystemClassLoader());
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (!name.startsWith(PACKAGE)) {
        return super.loadClass(name, resolve);
      }
      synchronized (getClassLoadingLock(name)) {
        Class<?> c = findLoadedClass(name);
        if (c == null) {
          c = define(name);
        }
        if (resolve) {
          resolveClass(c);
        }
        return c;
      }
    }

    private Class<?> define(String name) throws ClassNotFoundException {
      // The agent's jar is on the system class path as well as on the bootstrap class path.
      try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
        if (in == null) {
          throw new ClassNotFoundException(name);
        }
        byte[] b = in.readAllBytes();
        return defineClass(name, b, 0, b.length);
      } catch (IOException e) {
        throw new ClassNotFoundException(name, e);
      }
    }
  }
}
