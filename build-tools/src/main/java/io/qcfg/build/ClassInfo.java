package io.qcfg.build;

import java.util.HashMap;
import java.util.Map;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * What the rewrite needs to know of a class: its version, access, nest host, source file, simple
 * name ({@code Class.getSimpleName}, from the inner-class entry of a nested class), and the access
 * of each method it declares (by name and descriptor).
 */
record ClassInfo(String name, int version, int access, String nestHost, String source,
    String simpleName, Map<String, Integer> methods) {

  static ClassInfo read(byte[] bytes) {
    Map<String, Integer> methods = new HashMap<>();
    String[] header = new String[4]; // name, nest host, source, simple name
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
      public void visitInnerClass(String name, String outer, String innerName, int access) {
        if (name.equals(header[0])) {
          header[3] = innerName;
        }
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
    String simple = header[3] != null ? header[3]
        : header[0].substring(header[0].lastIndexOf('/') + 1);
    return new ClassInfo(header[0], flags[0], flags[1], header[1], header[2], simple, methods);
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
