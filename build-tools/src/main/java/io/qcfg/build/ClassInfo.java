package io.qcfg.build;

import java.util.HashMap;
import java.util.Map;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * What the rewrite needs to know of a class: its version, access, nest host, source file, and the
 * access of each method it declares (by name and descriptor).
 */
record ClassInfo(String name, int version, int access, String nestHost, String source,
    Map<String, Integer> methods) {

  static ClassInfo read(byte[] bytes) {
    Map<String, Integer> methods = new HashMap<>();
    String[] header = new String[3]; // name, nest host, source
    int[] flags = new int[2]; // version, access
    new ClassReader(bytes).accept(new ClassVisitor(Opcodes.ASM9) {
      @Override
      public void visit(int version, int access, String name, String signature, String superName,
          String[] interfaces) {
        flags[0] = version & 0xFFFF;
        flags[1] = access;
        header[0] = name;
      }

      @Override
      public void visitSource(String source, String debug) {
        header[2] = source;
      }

      @Override
      public void visitNestHost(String nestHost) {
        header[1] = nestHost;
      }

      @Override
      public MethodVisitor visitMethod(int access, String name, String desc, String signature,
          String[] exceptions) {
        methods.put(name + desc, access);
        return null;
      }
    }, ClassReader.SKIP_CODE | ClassReader.SKIP_FRAMES);
    return new ClassInfo(header[0], flags[0], flags[1], header[1], header[2], methods);
  }

  boolean isInterface() {
    return (access & Opcodes.ACC_INTERFACE) != 0;
  }

  /** Whether its class file can have nestmates (Java 11, version 55, and later). */
  boolean nests() {
    return version >= Opcodes.V11;
  }

  /** The host of its nest: the named host, or itself. */
  String host() {
    return nestHost != null ? nestHost : name;
  }
}
