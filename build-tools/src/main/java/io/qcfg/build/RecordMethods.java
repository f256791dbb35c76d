package io.qcfg.build;

import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * A record's {@code toString}, {@code hashCode} and {@code equals} as plain static methods of the
 * record (issue 16). javac writes each as an {@code invokedynamic} of {@code
 * ObjectMethods.bootstrap}, which, in a cold JVM, initialises the method-handle machinery and
 * builds a tree of method handles at the first call of each: tens of milliseconds before
 * anything is compiled. The methods written here compute what {@code ObjectMethods} (JDK 17)
 * computes: {@code Name[a=1, b=x]} with {@code String.valueOf} of each component; {@code 31 * h +
 * hash(component)} from 0 with the wrappers' {@code hashCode} and {@code Objects.hashCode};
 * identity, then the class, then each component ({@code ==}, {@code Float.compare} and {@code
 * Double.compare} for floating point, {@code Objects.equals}) from the last to the first.
 */
final class RecordMethods {
  private static final String BOOTSTRAP_OWNER = "java/lang/runtime/ObjectMethods";

  private RecordMethods() {}

  static boolean isBootstrap(Handle bsm) {
    return bsm.getOwner().equals(BOOTSTRAP_OWNER) && bsm.getName().equals("bootstrap");
  }

  /** Whether the site is a record's own method that this writes (its arguments name the class). */
  static boolean handles(String owner, String name, Object[] args) {
    if (args.length < 2 || !(args[0] instanceof Type) || !(args[1] instanceof String)
        || !((Type) args[0]).getInternalName().equals(owner)) {
      return false;
    }
    for (int i = 2; i < args.length; i++) {
      if (!(args[i] instanceof Handle) || ((Handle) args[i]).getTag() != Opcodes.H_GETFIELD
          || !((Handle) args[i]).getOwner().equals(owner)) {
        return false;
      }
    }
    return name.equals("toString") || name.equals("hashCode") || name.equals("equals");
  }

  static String methodName(String name) {
    return "record$" + name;
  }

  /** Writes the static method that replaces the site {@code name} with descriptor {@code desc}. */
  static void write(ClassVisitor cv, String owner, String simpleName, String name, String desc,
      Object[] args) {
    MethodVisitor mv = cv.visitMethod(Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC
        | Opcodes.ACC_SYNTHETIC, methodName(name), desc, null, null);
    mv.visitCode();
    String[] names = ((String) args[1]).isEmpty() ? new String[0] : ((String) args[1]).split(";");
    Handle[] fields = new Handle[args.length - 2];
    for (int i = 0; i < fields.length; i++) {
      fields[i] = (Handle) args[i + 2];
    }
    switch (name) {
      case "toString": writeToString(mv, simpleName, names, fields); break;
      case "hashCode": writeHashCode(mv, fields); break;
      default: writeEquals(mv, owner, fields); break;
    }
    mv.visitEnd();
  }

  private static void writeToString(MethodVisitor mv, String simpleName, String[] names,
      Handle[] fields) {
    String sb = "java/lang/StringBuilder";
    mv.visitTypeInsn(Opcodes.NEW, sb);
    mv.visitInsn(Opcodes.DUP);
    mv.visitLdcInsn(simpleName + "[");
    mv.visitMethodInsn(Opcodes.INVOKESPECIAL, sb, "<init>", "(Ljava/lang/String;)V", false);
    for (int i = 0; i < fields.length; i++) {
      mv.visitLdcInsn((i == 0 ? "" : ", ") + names[i] + "=");
      mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, sb, "append",
          "(Ljava/lang/String;)Ljava/lang/StringBuilder;", false);
      get(mv, fields[i]);
      String arg;
      switch (fields[i].getDesc().charAt(0)) {
        case 'Z': arg = "Z"; break;
        case 'C': arg = "C"; break;
        case 'B': case 'S': case 'I': arg = "I"; break;
        case 'J': arg = "J"; break;
        case 'F': arg = "F"; break;
        case 'D': arg = "D"; break;
        default: arg = "Ljava/lang/Object;"; break; // String.valueOf, never append(char[])
      }
      mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, sb, "append",
          "(" + arg + ")Ljava/lang/StringBuilder;", false);
    }
    mv.visitLdcInsn("]");
    mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, sb, "append",
        "(Ljava/lang/String;)Ljava/lang/StringBuilder;", false);
    mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, sb, "toString", "()Ljava/lang/String;", false);
    mv.visitInsn(Opcodes.ARETURN);
    mv.visitMaxs(5, 1);
  }

  private static void writeHashCode(MethodVisitor mv, Handle[] fields) {
    mv.visitInsn(Opcodes.ICONST_0);
    for (Handle field : fields) {
      mv.visitIntInsn(Opcodes.BIPUSH, 31);
      mv.visitInsn(Opcodes.IMUL);
      get(mv, field);
      Type type = Type.getType(field.getDesc());
      if (Adapt.isPrimitive(type)) {
        String wrapper = Adapt.wrapper(type);
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, wrapper, "hashCode",
            "(" + type.getDescriptor() + ")I", false);
      } else {
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/util/Objects", "hashCode",
            "(Ljava/lang/Object;)I", false);
      }
      mv.visitInsn(Opcodes.IADD);
    }
    mv.visitInsn(Opcodes.IRETURN);
    mv.visitMaxs(4, 1);
  }

  private static void writeEquals(MethodVisitor mv, String owner, Handle[] fields) {
    Label notSame = new Label();
    Label unequal = new Label();
    mv.visitVarInsn(Opcodes.ALOAD, 0);
    mv.visitVarInsn(Opcodes.ALOAD, 1);
    mv.visitJumpInsn(Opcodes.IF_ACMPNE, notSame);
    mv.visitInsn(Opcodes.ICONST_1);
    mv.visitInsn(Opcodes.IRETURN);
    mv.visitLabel(notSame);
    mv.visitFrame(Opcodes.F_SAME, 0, null, 0, null);
    mv.visitVarInsn(Opcodes.ALOAD, 1);
    mv.visitTypeInsn(Opcodes.INSTANCEOF, owner);
    mv.visitJumpInsn(Opcodes.IFEQ, unequal);
    for (int i = fields.length - 1; i >= 0; i--) {
      get(mv, fields[i]);
      mv.visitVarInsn(Opcodes.ALOAD, 1);
      mv.visitTypeInsn(Opcodes.CHECKCAST, owner);
      mv.visitFieldInsn(Opcodes.GETFIELD, owner, fields[i].getName(), fields[i].getDesc());
      switch (fields[i].getDesc().charAt(0)) {
        case 'Z': case 'B': case 'C': case 'S': case 'I':
          mv.visitJumpInsn(Opcodes.IF_ICMPNE, unequal);
          break;
        case 'J':
          mv.visitInsn(Opcodes.LCMP);
          mv.visitJumpInsn(Opcodes.IFNE, unequal);
          break;
        case 'F':
          mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/Float", "compare", "(FF)I", false);
          mv.visitJumpInsn(Opcodes.IFNE, unequal);
          break;
        case 'D':
          mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/Double", "compare", "(DD)I", false);
          mv.visitJumpInsn(Opcodes.IFNE, unequal);
          break;
        default:
          mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/util/Objects", "equals",
              "(Ljava/lang/Object;Ljava/lang/Object;)Z", false);
          mv.visitJumpInsn(Opcodes.IFEQ, unequal);
          break;
      }
    }
    mv.visitInsn(Opcodes.ICONST_1);
    mv.visitInsn(Opcodes.IRETURN);
    mv.visitLabel(unequal);
    mv.visitFrame(Opcodes.F_SAME, 0, null, 0, null);
    mv.visitInsn(Opcodes.ICONST_0);
    mv.visitInsn(Opcodes.IRETURN);
    mv.visitMaxs(4, 2);
  }

  private static void get(MethodVisitor mv, Handle field) {
    mv.visitVarInsn(Opcodes.ALOAD, 0);
    mv.visitFieldInsn(Opcodes.GETFIELD, field.getOwner(), field.getName(), field.getDesc());
  }
}
