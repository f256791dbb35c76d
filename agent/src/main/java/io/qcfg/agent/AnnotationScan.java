package io.qcfg.agent;

/**
 * The cheap test every loaded class goes through: do its bytes mention {@code
 * Lio/qcfg/ConfigValue;} or {@code Lio/qcfg/OnConfigChange;}? A class that carries either
 * annotation has the descriptor as a UTF-8 constant, so a class without it cannot need
 * instrumentation and is never parsed. The scan allocates nothing and takes no lock.
 */
final class AnnotationScan {
  private static final byte[] PREFIX = ascii("Lio/qcfg/");
  private static final byte[] CONFIG_VALUE = ascii("ConfigValue;");
  private static final byte[] ON_CONFIG_CHANGE = ascii("OnConfigChange;");

  private AnnotationScan() {}

  /** Whether {@code classFile} contains either annotation descriptor. */
  static boolean mentionsQcfgAnnotation(byte[] classFile) {
    byte first = PREFIX[0];
    int last = classFile.length - PREFIX.length - CONFIG_VALUE.length;
    for (int i = 0; i <= last; i++) {
      if (classFile[i] == first && startsWith(classFile, i, PREFIX)) {
        int rest = i + PREFIX.length;
        if (startsWith(classFile, rest, CONFIG_VALUE)
            || startsWith(classFile, rest, ON_CONFIG_CHANGE)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean startsWith(byte[] bytes, int at, byte[] part) {
    if (at + part.length > bytes.length) {
      return false;
    }
    for (int j = 0; j < part.length; j++) {
      if (bytes[at + j] != part[j]) {
        return false;
      }
    }
    return true;
  }

  private static byte[] ascii(String s) {
    byte[] b = new byte[s.length()];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) s.charAt(i);
    }
    return b;
  }
}
