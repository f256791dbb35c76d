package io.qcfg;

import io.qcfg.spi.QcfgBackend;

/**
 * Finds qcfg's implementation once, by name, from the class loader of the API: the agent's
 * {@code qcfg.jar} is on the system class path, and {@code qcfg-runtime} is wherever the
 * application put it. Without either, every call says how to get one.
 */
final class Backend {
  private static final QcfgBackend INSTANCE = find();

  private Backend() {}

  /** The implementation. @throws QcfgException.NotStarted when there is none */
  static QcfgBackend get() {
    QcfgBackend b = INSTANCE;
    if (b == null) {
      throw new QcfgException.NotStarted(
          "qcfg is not running and no implementation is on the class path: start the JVM with"
              + " -javaagent:qcfg.jar, or put io.qcfg:qcfg-runtime on the class path and call"
              + " Qcfg.start() [QCFG-0002]");
    }
    return b;
  }

  /** The implementation, or null (for {@link Problem}, which must work without one). */
  static QcfgBackend orNull() {
    return INSTANCE;
  }

  private static QcfgBackend find() {
    ClassLoader loader = Backend.class.getClassLoader();
    try {
      Class<?> type = Class.forName(QcfgBackend.IMPLEMENTATION, true, loader);
      return (QcfgBackend) type.getConstructor().newInstance();
    } catch (ClassNotFoundException e) {
      return null; // compiled against the API alone, run without qcfg
    } catch (ReflectiveOperationException | ClassCastException | LinkageError e) {
      // A qcfg.jar and a qcfg-api of different versions: say so rather than fail obscurely.
      System.err.println("[qcfg] ERROR QCFG-0003: the qcfg implementation on the class path does"
          + " not fit this qcfg-api (" + e.getClass().getName() + "); use the same version of"
          + " both");
      return null;
    }
  }
}
