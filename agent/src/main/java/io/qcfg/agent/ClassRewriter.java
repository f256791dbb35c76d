package io.qcfg.agent;

import io.qcfg.internal.bind.DeclaredMarks;
import io.qcfg.internal.log.Log;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import net.bytebuddy.jar.asm.AnnotationVisitor;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.FieldVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

/**
 * Rewrites one class that carries qcfg annotations, with the ASM that Byte Buddy embeds (no
 * Byte Buddy type model is built: this is the fastest way there is, and it loads a few dozen
 * classes once, on the first annotated class).
 *
 * <p>What a loaded class gets:
 *
 * <ul>
 *   <li>every {@code @ConfigValue} field becomes {@code volatile} and loses {@code final}, so a
 *       reader sees a new value at once and the binder may write it. A compile-time constant
 *       (a final field with a {@code ConstantValue} attribute) is left alone: javac has already
 *       copied its value into every reader, so it can never be hot, and qcfg warns once;
 *   <li>{@code Hooks.bindStatic(ThisClass.class)} before every {@code return} of the static
 *       initialiser (one is added if the class has none), when the class has static bound fields
 *       or static listeners;
 *   <li>{@code Hooks.bindInstance(this, ThisClass.class)} before every {@code return} of each
 *       constructor that calls {@code super(...)} (not one that delegates to {@code this(...)}),
 *       when the class has instance bound fields or instance listeners. {@link Hooks} binds an
 *       object only in the constructor of its most derived annotated class, so each object is
 *       registered once, after all its annotated fields got their declared values.
 * </ul>
 *
 * <p>A class that was loaded before qcfg was attached may not change its fields or gain methods
 * when it is retransformed: it only gets the constructor calls; its statics are bound by
 * reflection.
 *
 * <p>Inserted code has no branch and leaves the operand stack as it found it, so existing stack
 * map frames stay valid and nothing needs the class hierarchy (no {@code COMPUTE_FRAMES}).
 */
final class ClassRewriter {
  private static final String HOOKS = "io/qcfg/agent/Hooks";
  private static final String CONFIG_VALUE = "Lio/qcfg/ConfigValue;";
  private static final String ON_CONFIG_CHANGE = "Lio/qcfg/OnConfigChange;";
  private static final String PROBE = "Lio/qcfg/HealthCheck$Probe;";

  private ClassRewriter() {}

  /**
   * The rewritten class, or null when it needs nothing (the descriptor appeared only in a
   * reference, not on a member of this class).
   *
   * @param constructorsOnly true for a class loaded before qcfg was attached, whose fields and
   *     methods the JVM no longer lets anyone change
   */
  static byte[] rewrite(byte[] classFile, boolean constructorsOnly) {
    return rewrite(classFile, constructorsOnly, null);
  }

  /**
   * As {@link #rewrite(byte[], boolean)}, and records the class's annotation values for the
   * binder ({@link DeclaredMarks}) under {@code loader}, unless that is null.
   */
  static byte[] rewrite(byte[] classFile, boolean constructorsOnly, ClassLoader loader) {
    ClassReader reader = new ClassReader(classFile);
    Survey survey = new Survey();
    reader.accept(survey, ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
    if (loader != null && survey.marksComplete) {
      // Values only, as strings and booleans: no application class is loaded here.
      DeclaredMarks.record(loader, survey.name.replace('/', '.'),
          new DeclaredMarks.ClassMarks(survey.marks, survey.listeners, survey.probes));
    }
    if (!survey.hasInstanceMembers && (constructorsOnly || !survey.hasStaticMembers)) {
      return null; // nothing to add (when constructorsOnly, statics are bound by reflection)
    }
    if (survey.isInterface || (survey.version & 0xFFFF) < Opcodes.V1_5) {
      return null; // interface fields are constants; pre-Java-5 classes cannot carry annotations
    }
    ClassWriter writer = new ClassWriter(reader, 0);
    reader.accept(new Rewrite(writer, survey, constructorsOnly), 0);
    return writer.toByteArray();
  }

  /** First pass: what the class declares, without reading any code. */
  private static final class Survey extends ClassVisitor {
    String name;
    int version;
    boolean isInterface;
    boolean hasClinit;
    boolean hasStaticMembers;
    boolean hasInstanceMembers;
    final Set<String> boundFields = new HashSet<>();
    final Set<String> constants = new HashSet<>();
    // What reflection would say about the annotations (RUNTIME retention: visible ones only).
    final Map<String, DeclaredMarks.FieldMark> marks = new HashMap<>();
    final Set<String> listeners = new HashSet<>();
    final Set<String> probes = new HashSet<>();
    boolean marksComplete = true; // false: leave this class to reflection

    Survey() {
      super(Opcodes.ASM9);
    }

    @Override
    public void visit(
        int version, int access, String name, String sig, String superName, String[] ifaces) {
      this.version = version;
      this.name = name;
      this.isInterface = (access & Opcodes.ACC_INTERFACE) != 0;
    }

    @Override
    public FieldVisitor visitField(
        int access, String fieldName, String desc, String sig, Object constant) {
      return new FieldVisitor(Opcodes.ASM9) {
        @Override
        public AnnotationVisitor visitAnnotation(String annotation, boolean visible) {
          if (CONFIG_VALUE.equals(annotation)) {
            if (!boundFields.add(fieldName)) {
              marksComplete = false; // two fields of one name (not javac's): reflection decides
            }
            boolean isStatic = (access & Opcodes.ACC_STATIC) != 0;
            if ((access & Opcodes.ACC_FINAL) != 0 && constant != null) {
              constants.add(fieldName);
              if (!isStatic) {
                // Static constants are reported by the binder (QCFG-5001), which never sees these.
                Log.warnOnce(
                    "constant:" + name + "." + fieldName,
                    "QCFG-5014: " + name.replace('/', '.') + "." + fieldName
                        + " is a compile-time constant (final with a constant initialiser):"
                        + " javac copied its value into the code that reads it, so it cannot be"
                        + " hot; remove 'final' to bind it");
              }
            }
            if (isStatic) {
              hasStaticMembers = true;
            } else {
              hasInstanceMembers = true;
            }
            return visible ? new ValueReader(fieldName) : null;
          }
          return null;
        }
      };
    }

    /** Reads {@code value} and {@code required} of one field's {@code @ConfigValue}. */
    private final class ValueReader extends AnnotationVisitor {
      private final String field;
      private String path;
      private boolean required;

      ValueReader(String field) {
        super(Opcodes.ASM9);
        this.field = field;
      }

      @Override
      public void visit(String element, Object value) {
        if ("value".equals(element) && value instanceof String s) {
          path = s;
        } else if ("required".equals(element) && value instanceof Boolean b) {
          required = b;
        }
      }

      @Override
      public void visitEnd() {
        if (path == null) {
          marksComplete = false; // compiled against another ConfigValue: reflection decides
        } else {
          marks.put(field, new DeclaredMarks.FieldMark(path, required));
        }
      }
    }

    @Override
    public MethodVisitor visitMethod(
        int access, String methodName, String desc, String sig, String[] exceptions) {
      if (methodName.equals("<clinit>")) {
        hasClinit = true;
      }
      return new MethodVisitor(Opcodes.ASM9) {
        @Override
        public AnnotationVisitor visitAnnotation(String annotation, boolean visible) {
          if (visible && PROBE.equals(annotation)) {
            probes.add(methodKey(methodName, desc));
          }
          if (ON_CONFIG_CHANGE.equals(annotation)) {
            if (visible) {
              listeners.add(methodKey(methodName, desc));
            }
            if ((access & Opcodes.ACC_STATIC) != 0) {
              hasStaticMembers = true;
            } else {
              hasInstanceMembers = true;
            }
          }
          return null;
        }
      };
    }
  }

  /** {@link DeclaredMarks#methodKey}'s spelling, from a method descriptor. */
  static String methodKey(String name, String desc) {
    StringBuilder sb = new StringBuilder(name).append('(');
    Type[] params = Type.getArgumentTypes(desc);
    for (int i = 0; i < params.length; i++) {
      sb.append(i == 0 ? "" : ",").append(params[i].getClassName());
    }
    return sb.append(')').toString();
  }

  /** Second pass: copies the class, changing bound fields and adding the hook calls. */
  private static final class Rewrite extends ClassVisitor {
    private final Survey survey;
    private final boolean constructorsOnly;
    private final Type self;

    Rewrite(ClassVisitor next, Survey survey, boolean constructorsOnly) {
      super(Opcodes.ASM9, next);
      this.survey = survey;
      this.constructorsOnly = constructorsOnly;
      this.self = Type.getObjectType(survey.name);
    }

    @Override
    public FieldVisitor visitField(
        int access, String name, String desc, String sig, Object constant) {
      int a = access;
      if (!constructorsOnly
          && survey.boundFields.contains(name)
          && !survey.constants.contains(name)) {
        a = (access & ~Opcodes.ACC_FINAL) | Opcodes.ACC_VOLATILE;
      }
      return super.visitField(a, name, desc, sig, constant);
    }

    @Override
    public MethodVisitor visitMethod(
        int access, String name, String desc, String sig, String[] exceptions) {
      MethodVisitor mv = super.visitMethod(access, name, desc, sig, exceptions);
      if (name.equals("<init>") && survey.hasInstanceMembers) {
        return new ConstructorHook(mv, survey.name, self);
      }
      if (name.equals("<clinit>") && survey.hasStaticMembers && !constructorsOnly) {
        return new StaticInitHook(mv, self);
      }
      return mv;
    }

    @Override
    public void visitEnd() {
      if (survey.hasStaticMembers && !survey.hasClinit && !constructorsOnly) {
        MethodVisitor mv = super.visitMethod(Opcodes.ACC_STATIC, "<clinit>", "()V", null, null);
        mv.visitCode();
        mv.visitLdcInsn(self);
        mv.visitMethodInsn(
            Opcodes.INVOKESTATIC, HOOKS, "bindStatic", "(Ljava/lang/Class;)V", false);
        mv.visitInsn(Opcodes.RETURN);
        mv.visitMaxs(1, 0);
        mv.visitEnd();
      }
      super.visitEnd();
    }
  }

  /** Calls {@code Hooks.bindStatic(Self.class)} before each {@code return} of {@code <clinit>}. */
  private static final class StaticInitHook extends MethodVisitor {
    private final Type self;

    StaticInitHook(MethodVisitor next, Type self) {
      super(Opcodes.ASM9, next);
      this.self = self;
    }

    @Override
    public void visitInsn(int opcode) {
      if (opcode == Opcodes.RETURN) {
        super.visitLdcInsn(self);
        super.visitMethodInsn(
            Opcodes.INVOKESTATIC, HOOKS, "bindStatic", "(Ljava/lang/Class;)V", false);
      }
      super.visitInsn(opcode);
    }

    @Override
    public void visitMaxs(int maxStack, int maxLocals) {
      super.visitMaxs(maxStack + 1, maxLocals);
    }
  }

  /**
   * Calls {@code Hooks.bindInstance(this, Self.class)} before each {@code return} of a
   * constructor that calls {@code super(...)}.
   *
   * <p>The call on {@code this} is the first {@code invokespecial <init>} not paired with a
   * preceding {@code new}: objects built as constructor arguments ({@code super(new X())}) are
   * always created by a {@code new} and initialised by their own {@code invokespecial}, nested in
   * code order. The call delegates to {@code this(...)} when its owner is this very class.
   */
  private static final class ConstructorHook extends MethodVisitor {
    private final String owner;
    private final Type self;
    private int pendingNews;
    private boolean selfInitialised;
    private boolean delegates;

    ConstructorHook(MethodVisitor next, String owner, Type self) {
      super(Opcodes.ASM9, next);
      this.owner = owner;
      this.self = self;
    }

    @Override
    public void visitTypeInsn(int opcode, String type) {
      if (opcode == Opcodes.NEW) {
        pendingNews++;
      }
      super.visitTypeInsn(opcode, type);
    }

    @Override
    public void visitMethodInsn(
        int opcode, String methodOwner, String name, String desc, boolean isInterface) {
      if (opcode == Opcodes.INVOKESPECIAL && name.equals("<init>")) {
        if (pendingNews > 0) {
          pendingNews--;
        } else if (!selfInitialised) {
          selfInitialised = true;
          delegates = methodOwner.equals(owner);
        }
      }
      super.visitMethodInsn(opcode, methodOwner, name, desc, isInterface);
    }

    @Override
    public void visitInsn(int opcode) {
      if (opcode == Opcodes.RETURN && selfInitialised && !delegates) {
        super.visitVarInsn(Opcodes.ALOAD, 0);
        super.visitLdcInsn(self);
        super.visitMethodInsn(
            Opcodes.INVOKESTATIC,
            HOOKS,
            "bindInstance",
            "(Ljava/lang/Object;Ljava/lang/Class;)V",
            false);
      }
      super.visitInsn(opcode);
    }

    @Override
    public void visitMaxs(int maxStack, int maxLocals) {
      super.visitMaxs(maxStack + 2, maxLocals);
    }
  }
}
