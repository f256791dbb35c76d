package io.qcfg.agent;

/**
 * The cheap test every loaded class goes through: does its constant pool hold the UTF-8 entry
 * {@code Lio/qcfg/ConfigValue;} or {@code Lio/qcfg/OnConfigChange;}? A class that carries either
 * annotation has the descriptor there, so a class without it cannot need instrumentation and is
 * never parsed by ASM.
 *
 * <p>The scan walks the constant pool only, hopping over each entry by its length, and compares
 * bytes only for UTF-8 entries of exactly the descriptors' lengths: a few hundred steps per class
 * whatever its size, no allocation, no lock. A malformed or unknown constant pool gives {@code
 * false}: the JVM rejects such a class anyway, and ASM could not read it either.
 */
final class AnnotationScan {
  private static final byte[] CONFIG_VALUE = ascii("Lio/qcfg/ConfigValue;");
  private static final byte[] ON_CONFIG_CHANGE = ascii("Lio/qcfg/OnConfigChange;");

  private AnnotationScan() {}

  /** Whether {@code classFile} has either annotation descriptor in its constant pool. */
  static boolean mentionsQcfgAnnotation(byte[] classFile) {
    try {
      return scan(classFile);
    } catch (ArrayIndexOutOfBoundsException e) {
      return false; // truncated
    }
  }

  private static boolean scan(byte[] b) {
    if (b.length < 10 || (b[0] & 0xFF) != 0xCA || (b[1] & 0xFF) != 0xFE) {
      return false;
    }
    int count = u2(b, 8);
    int p = 10;
    for (int i = 1; i < count; i++) {
      switch (b[p]) {
        case 1 -> { // Utf8: u2 length, bytes
          int len = u2(b, p + 1);
          if ((len == CONFIG_VALUE.length && equalsAt(b, p + 3, CONFIG_VALUE))
              || (len == ON_CONFIG_CHANGE.length && equalsAt(b, p + 3, ON_CONFIG_CHANGE))) {
            return true;
          }
          p += 3 + len;
        }
        case 7, 8, 16, 19, 20 -> p += 3; // Class, String, MethodType, Module, Package
        case 15 -> p += 4; // MethodHandle
        case 3, 4, 9, 10, 11, 12, 17, 18 -> p += 5; // Integer, Float, refs, NameAndType, Dynamic
        case 5, 6 -> { // Long, Double take two slots
          p += 9;
          i++;
        }
        default -> {
          return false;
        }
      }
    }
    return false;
  }

  private static int u2(byte[] b, int at) {
    return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
  }

  private static boolean equalsAt(byte[] bytes, int at, byte[] part) {
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
