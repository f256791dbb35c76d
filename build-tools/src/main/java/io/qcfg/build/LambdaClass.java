package io.qcfg.build;

import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * The class written for one lambda site, as {@code InnerClassLambdaMetafactory} would spin it:
 * final, one private final field per captured value, a static factory {@code create} with the
 * site's descriptor (or, capturing nothing, one instance in {@code INSTANCE}), and the interface
 * method, which loads the captured values and its arguments, converts each ({@link Adapt}), calls
 * the implementation and converts the result.
 *
 * @param name the class's internal name; null for a site left to the JVM
 * @param nestHost the nest it joins, to call a private implementation; null if none is needed
 */
record LambdaClass(String name, String samName, String factoryDesc, Type sam, Type instantiated,
    Call call, String nestHost) {

  /**
   * How the interface method reaches the implementation.
   *
   * @param nestmate whether it calls a private method as a nestmate
   * @param bridgeOf the private implementation that a static bridge of the caller's class
   *     calls, for class files too old for nestmates (then this call is the bridge's); or null
   */
  record Call(int opcode, String owner, String name, String desc, boolean itf, boolean isNew,
      Type[] params, Type result, boolean nestmate, Handle bridgeOf) {}

  private static final LambdaClass NONE = new LambdaClass(null, null, null, null, null, null,
      null);

  static LambdaClass none() {
    return NONE;
  }

  /** Why the site cannot be written with {@code call}, or null if it can. */
  static String refusal(String factoryDesc, Type sam, Type instantiated, Call call) {
    Type[] captured = Type.getArgumentTypes(factoryDesc);
    Type[] args = sam.getArgumentTypes();
    Type[] precise = instantiated.getArgumentTypes();
    if (captured.length + args.length != call.params().length || precise.length != args.length) {
      return "arity";
    }
    for (int i = 0; i < call.params().length; i++) {
      boolean capturedValue = i < captured.length;
      Type from = capturedValue ? captured[i] : args[i - captured.length];
      Type exact = capturedValue ? null : precise[i - captured.length];
      if (!Adapt.value(null, from, exact, call.params()[i])) {
        return "conversion";
      }
    }
    if (!Adapt.result(null, call.result(), instantiated.getReturnType(), sam.getReturnType())) {
      return "conversion";
    }
    return null;
  }

  static String packageOf(String internalName) {
    int slash = internalName.lastIndexOf('/');
    return slash < 0 ? "" : internalName.substring(0, slash);
  }

  private boolean captures() {
    return Type.getArgumentTypes(factoryDesc).length > 0;
  }

  private String interfaceName() {
    return Type.getReturnType(factoryDesc).getInternalName();
  }

  /** What replaces the {@code invokedynamic}: the same stack effect. */
  void instantiate(MethodVisitor mv) {
    if (captures()) {
      mv.visitMethodInsn(Opcodes.INVOKESTATIC, name, "create", factoryDesc, false);
    } else {
      mv.visitFieldInsn(Opcodes.GETSTATIC, name, "INSTANCE", "L" + interfaceName() + ";");
    }
  }

  /** The class file, in the version of the class {@code from} that holds the lambda. */
  byte[] write(ClassInfo from) {
    ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
    cw.visit(from.version(), Opcodes.ACC_FINAL | Opcodes.ACC_SUPER | Opcodes.ACC_SYNTHETIC, name,
        null, "java/lang/Object", new String[] {interfaceName()});
    if (from.source() != null) {
      cw.visitSource(from.source(), null);
    }
    if (nestHost != null) {
      cw.visitNestHost(nestHost);
    }
    Type[] captured = Type.getArgumentTypes(factoryDesc);
    for (int i = 0; i < captured.length; i++) {
      cw.visitField(Opcodes.ACC_PRIVATE | Opcodes.ACC_FINAL, "arg$" + (i + 1),
          captured[i].getDescriptor(), null, null).visitEnd();
    }
    writeConstructor(cw, captured);
    if (captured.length > 0) {
      writeFactory(cw, captured);
    } else {
      writeInstance(cw);
    }
    writeInterfaceMethod(cw, captured);
    cw.visitEnd();
    return cw.toByteArray();
  }

  private void writeConstructor(ClassWriter cw, Type[] captured) {
    MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PRIVATE,
        "<init>", Type.getMethodDescriptor(Type.VOID_TYPE, captured), null, null);
    mv.visitCode();
    mv.visitVarInsn(Opcodes.ALOAD, 0);
    mv.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
    int slot = 1;
    for (int i = 0; i < captured.length; i++) {
      mv.visitVarInsn(Opcodes.ALOAD, 0);
      mv.visitVarInsn(captured[i].getOpcode(Opcodes.ILOAD), slot);
      mv.visitFieldInsn(Opcodes.PUTFIELD, name, "arg$" + (i + 1), captured[i].getDescriptor());
      slot += captured[i].getSize();
    }
    mv.visitInsn(Opcodes.RETURN);
    mv.visitMaxs(0, 0);
    mv.visitEnd();
  }

  private void writeFactory(ClassWriter cw, Type[] captured) {
    MethodVisitor mv = cw.visitMethod(Opcodes.ACC_STATIC | Opcodes.ACC_SYNTHETIC, "create",
        factoryDesc, null, null);
    mv.visitCode();
    mv.visitTypeInsn(Opcodes.NEW, name);
    mv.visitInsn(Opcodes.DUP);
    int slot = 0;
    for (Type t : captured) {
      mv.visitVarInsn(t.getOpcode(Opcodes.ILOAD), slot);
      slot += t.getSize();
    }
    mv.visitMethodInsn(Opcodes.INVOKESPECIAL, name, "<init>",
        Type.getMethodDescriptor(Type.VOID_TYPE, captured), false);
    mv.visitInsn(Opcodes.ARETURN);
    mv.visitMaxs(0, 0);
    mv.visitEnd();
  }

  private void writeInstance(ClassWriter cw) {
    String desc = "L" + interfaceName() + ";";
    cw.visitField(Opcodes.ACC_STATIC | Opcodes.ACC_FINAL | Opcodes.ACC_SYNTHETIC, "INSTANCE", desc,
        null, null).visitEnd();
    MethodVisitor mv = cw.visitMethod(Opcodes.ACC_STATIC, "<clinit>", "()V", null, null);
    mv.visitCode();
    mv.visitTypeInsn(Opcodes.NEW, name);
    mv.visitInsn(Opcodes.DUP);
    mv.visitMethodInsn(Opcodes.INVOKESPECIAL, name, "<init>", "()V", false);
    mv.visitFieldInsn(Opcodes.PUTSTATIC, name, "INSTANCE", desc);
    mv.visitInsn(Opcodes.RETURN);
    mv.visitMaxs(0, 0);
    mv.visitEnd();
  }

  private void writeInterfaceMethod(ClassWriter cw, Type[] captured) {
    MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC, samName, sam.getDescriptor(), null,
        null);
    mv.visitCode();
    if (call.isNew()) {
      mv.visitTypeInsn(Opcodes.NEW, call.owner());
      mv.visitInsn(Opcodes.DUP);
    }
    Type[] args = sam.getArgumentTypes();
    Type[] precise = instantiated.getArgumentTypes();
    for (int i = 0; i < captured.length; i++) {
      mv.visitVarInsn(Opcodes.ALOAD, 0);
      mv.visitFieldInsn(Opcodes.GETFIELD, name, "arg$" + (i + 1), captured[i].getDescriptor());
      Adapt.value(mv, captured[i], null, call.params()[i]);
    }
    int slot = 1;
    for (int i = 0; i < args.length; i++) {
      mv.visitVarInsn(args[i].getOpcode(Opcodes.ILOAD), slot);
      slot += args[i].getSize();
      Adapt.value(mv, args[i], precise[i], call.params()[captured.length + i]);
    }
    mv.visitMethodInsn(call.opcode(), call.owner(), call.name(), call.desc(), call.itf());
    Adapt.result(mv, call.result(), instantiated.getReturnType(), sam.getReturnType());
    mv.visitInsn(sam.getReturnType().getOpcode(Opcodes.IRETURN));
    mv.visitMaxs(0, 0);
    mv.visitEnd();
  }

  /**
   * The static bridge added to the lambda's own class when the implementation is private and the
   * class file predates nestmates: it takes the implementation's receiver (if any) and arguments,
   * and calls it from inside the class.
   */
  void writeBridge(ClassVisitor cv) {
    MethodVisitor mv = cv.visitMethod(Opcodes.ACC_STATIC | Opcodes.ACC_SYNTHETIC, call.name(),
        call.desc(), null, null);
    mv.visitCode();
    Handle target = call.bridgeOf();
    boolean isNew = target.getTag() == Opcodes.H_NEWINVOKESPECIAL;
    int stack = isNew ? 2 : 0;
    if (isNew) {
      mv.visitTypeInsn(Opcodes.NEW, target.getOwner());
      mv.visitInsn(Opcodes.DUP);
    }
    int slot = 0;
    for (Type t : call.params()) {
      mv.visitVarInsn(t.getOpcode(Opcodes.ILOAD), slot);
      slot += t.getSize();
    }
    int opcode = target.getTag() == Opcodes.H_INVOKESTATIC ? Opcodes.INVOKESTATIC
        : Opcodes.INVOKESPECIAL;
    mv.visitMethodInsn(opcode, target.getOwner(), target.getName(), target.getDesc(), false);
    mv.visitInsn(call.result().getOpcode(Opcodes.IRETURN));
    mv.visitMaxs(Math.max(stack + slot, call.result().getSize()), slot);
    mv.visitEnd();
  }
}
