package io.qcfg.build;

import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * The conversions {@code LambdaMetafactory} applies between a functional interface's method and
 * the method a lambda calls (JLS 5.3: widening, boxing, unboxing then widening, reference casts),
 * written out as bytecode. Each method emits into {@code mv}, or only answers whether it could when
 * {@code mv} is null; anything it does not know it refuses, and the caller then leaves the lambda
 * to the JVM.
 */
final class Adapt {
  private static final String OBJECT = "java/lang/Object";

  private Adapt() {}

  /**
   * Converts the value on the stack, of static type {@code from}, to {@code to}. {@code precise}
   * is the instantiated type of that position (the generic type the lambda was written for), or
   * null: it names the wrapper when an erased {@code Object} must be unboxed.
   */
  static boolean value(MethodVisitor mv, Type from, Type precise, Type to) {
    if (from.equals(to)) {
      return true;
    }
    boolean fromPrimitive = isPrimitive(from);
    boolean toPrimitive = isPrimitive(to);
    if (!fromPrimitive && !toPrimitive) {
      if (!to.getInternalName().equals(OBJECT) && mv != null) {
        mv.visitTypeInsn(Opcodes.CHECKCAST, to.getInternalName());
      }
      return true;
    }
    if (fromPrimitive && toPrimitive) {
      return widen(mv, from, to);
    }
    if (fromPrimitive) {
      return box(mv, from, to);
    }
    return unbox(mv, from, precise, to);
  }

  /** Converts the called method's result {@code from} to the interface method's {@code to}. */
  static boolean result(MethodVisitor mv, Type from, Type precise, Type to) {
    if (to.getSort() == Type.VOID) {
      if (from.getSort() != Type.VOID && mv != null) {
        mv.visitInsn(from.getSize() == 2 ? Opcodes.POP2 : Opcodes.POP);
      }
      return true;
    }
    return from.getSort() != Type.VOID && value(mv, from, precise, to);
  }

  static boolean isPrimitive(Type t) {
    return t.getSort() != Type.OBJECT && t.getSort() != Type.ARRAY && t.getSort() != Type.METHOD;
  }

  /** Boxes a primitive to its wrapper, if {@code to} can hold that wrapper without a cast. */
  private static boolean box(MethodVisitor mv, Type from, Type to) {
    String wrapper = wrapper(from);
    String target = to.getInternalName();
    boolean numeric = from.getSort() != Type.BOOLEAN && from.getSort() != Type.CHAR;
    boolean holds = target.equals(wrapper) || target.equals(OBJECT)
        || (numeric && target.equals("java/lang/Number"))
        || target.equals("java/io/Serializable") || target.equals("java/lang/Comparable");
    if (holds && mv != null) {
      mv.visitMethodInsn(Opcodes.INVOKESTATIC, wrapper, "valueOf",
          "(" + from.getDescriptor() + ")L" + wrapper + ";", false);
    }
    return holds;
  }

  /** Unboxes a wrapper (the static type, or else the precise type) and widens the primitive. */
  private static boolean unbox(MethodVisitor mv, Type from, Type precise, Type to) {
    Type primitive = primitiveOf(from.getInternalName());
    String wrapper = from.getInternalName();
    if (primitive == null && precise != null && !isPrimitive(precise)) {
      primitive = primitiveOf(precise.getInternalName());
      wrapper = precise.getInternalName();
    }
    if (primitive == null || !widen(null, primitive, to)) {
      return false;
    }
    if (mv != null) {
      if (!wrapper.equals(from.getInternalName())) {
        mv.visitTypeInsn(Opcodes.CHECKCAST, wrapper);
      }
      mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, wrapper, primitive.getClassName() + "Value",
          "()" + primitive.getDescriptor(), false);
      widen(mv, primitive, to);
    }
    return true;
  }

  /** JLS 5.1.2, widening primitive conversion; the identity included. */
  private static boolean widen(MethodVisitor mv, Type from, Type to) {
    int f = from.getSort();
    int t = to.getSort();
    if (f == t) {
      return true;
    }
    boolean intLike = f == Type.BYTE || f == Type.SHORT || f == Type.CHAR || f == Type.INT;
    int opcode;
    if (intLike && t == Type.INT) {
      opcode = -1; // already an int on the stack
    } else if (f == Type.BYTE && t == Type.SHORT) {
      opcode = -1;
    } else if (intLike && t == Type.LONG) {
      opcode = Opcodes.I2L;
    } else if (intLike && t == Type.FLOAT) {
      opcode = Opcodes.I2F;
    } else if (intLike && t == Type.DOUBLE) {
      opcode = Opcodes.I2D;
    } else if (f == Type.LONG && t == Type.FLOAT) {
      opcode = Opcodes.L2F;
    } else if (f == Type.LONG && t == Type.DOUBLE) {
      opcode = Opcodes.L2D;
    } else if (f == Type.FLOAT && t == Type.DOUBLE) {
      opcode = Opcodes.F2D;
    } else {
      return false;
    }
    if (opcode >= 0 && mv != null) {
      mv.visitInsn(opcode);
    }
    return true;
  }

  static String wrapper(Type primitive) {
    switch (primitive.getSort()) {
      case Type.BOOLEAN: return "java/lang/Boolean";
      case Type.BYTE: return "java/lang/Byte";
      case Type.SHORT: return "java/lang/Short";
      case Type.CHAR: return "java/lang/Character";
      case Type.INT: return "java/lang/Integer";
      case Type.LONG: return "java/lang/Long";
      case Type.FLOAT: return "java/lang/Float";
      case Type.DOUBLE: return "java/lang/Double";
      default: throw new IllegalArgumentException(primitive.toString());
    }
  }

  private static Type primitiveOf(String wrapper) {
    switch (wrapper) {
      case "java/lang/Boolean": return Type.BOOLEAN_TYPE;
      case "java/lang/Byte": return Type.BYTE_TYPE;
      case "java/lang/Short": return Type.SHORT_TYPE;
      case "java/lang/Character": return Type.CHAR_TYPE;
      case "java/lang/Integer": return Type.INT_TYPE;
      case "java/lang/Long": return Type.LONG_TYPE;
      case "java/lang/Float": return Type.FLOAT_TYPE;
      case "java/lang/Double": return Type.DOUBLE_TYPE;
      default: return null;
    }
  }
}
