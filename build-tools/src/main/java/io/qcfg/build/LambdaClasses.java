package io.qcfg.build;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Turns the lambdas of a jar into plain classes, at build time (issue 16).
 *
 * <p>A lambda or method reference is an {@code invokedynamic} that the JVM links, at its first
 * run, by spinning a hidden class through {@code LambdaMetafactory}: in a cold JVM about 0.4 ms
 * each and 7 ms for the first, in interpreted code that competes with the application's own start.
 * A fast restart of qcfg ran about 55 of them, a first start about 300 (qcfg's and the bundled
 * libraries'). A class of the same shape, written here and loaded from the jar, costs about
 * 0.05 ms. So, for each {@code LambdaMetafactory.metafactory} site, this writes the class the JVM
 * would have spun ({@link LambdaClass}: the captured values as final fields, the interface method
 * calling the implementation with the same conversions) and replaces the {@code invokedynamic}
 * with a call of its factory, or a read of its one instance for a lambda that captures nothing
 * (the JVM also gives such a lambda a single instance).
 *
 * <p>The class lives in the package of the class that holds the lambda. When the implementation
 * is private it is reached as a nestmate (class files of Java 11 and later) or, in older class
 * files (the bundled Java 8 libraries), through a static bridge method added to its class. Any
 * site this does not fully understand (the alternative metafactory of serializable lambdas, a
 * conversion it does not know, a protected method of another package, an owner it cannot read) is
 * left to the JVM, and counted.
 *
 * <p>A record's {@code toString}, {@code hashCode} and {@code equals}, the other {@code
 * invokedynamic} javac writes, become plain methods too ({@link RecordMethods}).
 *
 * <p>As it writes the jar back, the class files a start loads are stored, not deflated ({@link
 * #STORED}).
 */
public final class LambdaClasses {
  private static final String METAFACTORY = "java/lang/invoke/LambdaMetafactory";

  private final Map<String, byte[]> classes;
  private final Map<String, ClassInfo> infos = new HashMap<>();
  private final Map<String, List<LambdaClass>> lambdas = new HashMap<>();
  private final Map<String, List<String>> nestMembers = new HashMap<>();
  private final Map<String, List<LambdaClass>> bridges = new HashMap<>();
  private final Map<String, List<String>> widened = new HashMap<>();
  private final Map<String, Integer> recordSites = new HashMap<>();
  private final Map<String, Integer> skipped = new TreeMap<>();
  private int sites;

  private LambdaClasses(Map<String, byte[]> classes) {
    this.classes = classes;
  }

  /** {@code LambdaClasses <jar>}: rewrites the jar in place and prints what it did. */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: LambdaClasses <jar>");
    }
    Path jar = Path.of(args[0]);
    Map<String, byte[]> entries = new LinkedHashMap<>();
    Map<String, Long> times = new HashMap<>();
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
        ZipEntry entry = e.nextElement();
        try (InputStream in = zip.getInputStream(entry)) {
          entries.put(entry.getName(), in.readAllBytes());
        }
        times.put(entry.getName(), entry.getTime());
      }
    }
    Map<String, byte[]> byClass = new LinkedHashMap<>();
    entries.forEach((name, bytes) -> {
      if (name.endsWith(".class") && !name.startsWith("META-INF/")) {
        byClass.put(name.substring(0, name.length() - ".class".length()), bytes);
      }
    });
    LambdaClasses rewrite = new LambdaClasses(byClass);
    Map<String, byte[]> out = rewrite.rewrite();
    Path tmp = jar.resolveSibling(jar.getFileName() + ".tmp");
    try (OutputStream file = Files.newOutputStream(tmp);
        ZipOutputStream zip = new ZipOutputStream(file)) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        String name = e.getKey();
        String internal = name.substring(0, Math.max(0, name.length() - ".class".length()));
        if (!byClass.containsKey(internal)) {
          put(zip, name, e.getValue(), times.get(name));
          continue;
        }
        put(zip, name, out.get(internal), times.get(name));
        for (LambdaClass lambda : rewrite.lambdas.getOrDefault(internal, List.of())) {
          if (lambda.name() != null) {
            put(zip, lambda.name() + ".class", out.get(lambda.name()), times.get(name));
          }
        }
      }
    }
    Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    System.out.println("[qcfg-build] " + jar.getFileName() + ": " + rewrite.summary());
  }

  /**
   * Rewrites {@code classes} (internal name to class file): every class, changed or not, in the
   * same order, each followed by the lambda classes made from it.
   */
  static Map<String, byte[]> rewrite(Map<String, byte[]> classes) {
    return new LambdaClasses(classes).rewrite();
  }

  private Map<String, byte[]> rewrite() {
    classes.forEach((name, bytes) -> infos.put(name, ClassInfo.read(bytes)));
    classes.forEach((name, bytes) -> plan(infos.get(name), bytes));
    Map<String, byte[]> out = new LinkedHashMap<>();
    classes.forEach((name, bytes) -> {
      List<LambdaClass> made = lambdas.getOrDefault(name, List.of());
      boolean changed = made.stream().anyMatch(l -> l.name() != null)
          || nestMembers.containsKey(name) || recordSites.containsKey(name);
      out.put(name, changed ? rewriteClass(name, bytes) : bytes);
      for (LambdaClass lambda : made) {
        if (lambda.name() != null) {
          out.put(lambda.name(), lambda.write(infos.get(name)));
        }
      }
    });
    return out;
  }

  private String summary() {
    int made = sites - skipped.values().stream().mapToInt(Integer::intValue).sum();
    int records = recordSites.values().stream().mapToInt(Integer::intValue).sum();
    return made + " of " + sites + " lambdas made classes"
        + (skipped.isEmpty() ? "" : " (left to the JVM: " + skipped + ")") + "; " + records
        + " record methods (toString, hashCode, equals) made plain";
  }

  /** Reads every lambda site of one class and decides, for each, whether it becomes a class. */
  private void plan(ClassInfo owner, byte[] bytes) {
    List<LambdaClass> found = new ArrayList<>();
    eachInvokeDynamic(bytes, (samName, factoryDesc, bsm, args) -> {
      if (isMetafactory(bsm)) {
        found.add(site(owner, found.size(), samName, factoryDesc, args));
      } else if (RecordMethods.isBootstrap(bsm)
          && RecordMethods.handles(owner.name(), samName, args)) {
        recordSites.merge(owner.name(), 1, Integer::sum);
      }
    });
    if (!found.isEmpty()) {
      lambdas.put(owner.name(), found);
    }
  }

  private LambdaClass site(ClassInfo owner, int index, String samName, String factoryDesc,
      Object[] args) {
    sites++;
    Type sam = (Type) args[0];
    Handle impl = (Handle) args[1];
    Type instantiated = (Type) args[2];
    LambdaClass.Call call;
    String refusal;
    try {
      call = call(owner, impl, index);
      refusal = LambdaClass.refusal(factoryDesc, sam, instantiated, call);
    } catch (Refused e) {
      call = null;
      refusal = e.getMessage();
    }
    if (refusal != null) {
      skipped.merge(refusal, 1, Integer::sum);
      return LambdaClass.none();
    }
    String name = owner.name() + "$$QLambda$" + index;
    boolean nestmate = call.nestmate();
    if (nestmate) {
      nestMembers.computeIfAbsent(owner.host(), h -> new ArrayList<>()).add(name);
    }
    LambdaClass lambda = new LambdaClass(name, samName, factoryDesc, sam, instantiated, call,
        nestmate ? owner.host() : null);
    if (call.bridgeOf() != null) {
      bridges.computeIfAbsent(owner.name(), o -> new ArrayList<>()).add(lambda);
    }
    return lambda;
  }

  /** Why a site stays an {@code invokedynamic}: the key of {@link #skipped}. */
  private static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;

    Refused(String reason) {
      super(reason, null, false, false);
    }
  }

  /** How the lambda class calls {@code impl}. */
  private LambdaClass.Call call(ClassInfo caller, Handle impl, int index) throws Refused {
    ClassInfo owner = info(impl.getOwner());
    Integer access = owner == null ? null : owner.methods().get(impl.getName() + impl.getDesc());
    if (access == null) {
      throw new Refused("implementation not found");
    }
    int tag = impl.getTag();
    Type[] args = Type.getArgumentTypes(impl.getDesc());
    Type[] params = args;
    if (tag != Opcodes.H_INVOKESTATIC && tag != Opcodes.H_NEWINVOKESPECIAL) {
      params = new Type[args.length + 1];
      params[0] = Type.getObjectType(owner.name());
      System.arraycopy(args, 0, params, 1, args.length);
    }
    Type result = tag == Opcodes.H_NEWINVOKESPECIAL
        ? Type.getObjectType(owner.name()) : Type.getReturnType(impl.getDesc());
    boolean isNew = tag == Opcodes.H_NEWINVOKESPECIAL;
    if ((access & Opcodes.ACC_PRIVATE) != 0) {
      if (caller.nests() && owner.nests() && owner.host().equals(caller.host())) {
        int opcode = tag == Opcodes.H_INVOKESTATIC ? Opcodes.INVOKESTATIC
            : isNew ? Opcodes.INVOKESPECIAL
            : owner.isInterface() ? Opcodes.INVOKEINTERFACE : Opcodes.INVOKEVIRTUAL;
        return new LambdaClass.Call(opcode, owner.name(), impl.getName(), impl.getDesc(),
            owner.isInterface(), isNew, params, result, true, null);
      }
      if (owner.name().equals(caller.name()) && caller.isInterface()
          && tag == Opcodes.H_INVOKESTATIC && (access & Opcodes.ACC_SYNTHETIC) != 0) {
        // An interface method is public or private: the synthetic static body of a lambda is
        // made public (static, so nothing can override it; a bridge would be public too).
        widened.computeIfAbsent(caller.name(), c -> new ArrayList<>())
            .add(impl.getName() + impl.getDesc());
        return new LambdaClass.Call(Opcodes.INVOKESTATIC, owner.name(), impl.getName(),
            impl.getDesc(), true, false, params, result, false, null);
      }
      if (owner.name().equals(caller.name()) && !caller.isInterface()) {
        String desc = Type.getMethodDescriptor(result, params);
        return new LambdaClass.Call(Opcodes.INVOKESTATIC, caller.name(), "lambda$q$" + index,
            desc, false, false, params, result, false, impl);
      }
      throw new Refused("private, outside the nest");
    }
    if (!LambdaClass.packageOf(owner.name()).equals(LambdaClass.packageOf(caller.name()))) {
      if ((owner.access() & Opcodes.ACC_PUBLIC) == 0) {
        throw new Refused("class not public");
      }
      if ((access & Opcodes.ACC_PUBLIC) == 0) {
        throw new Refused("protected, another package");
      }
    }
    int opcode;
    switch (tag) {
      case Opcodes.H_INVOKESTATIC: opcode = Opcodes.INVOKESTATIC; break;
      case Opcodes.H_INVOKEVIRTUAL: opcode = Opcodes.INVOKEVIRTUAL; break;
      case Opcodes.H_INVOKEINTERFACE: opcode = Opcodes.INVOKEINTERFACE; break;
      case Opcodes.H_NEWINVOKESPECIAL: opcode = Opcodes.INVOKESPECIAL; break;
      default:
        throw new Refused("invokespecial of a method that is not private");
    }
    return new LambdaClass.Call(opcode, owner.name(), impl.getName(), impl.getDesc(),
        impl.isInterface(), isNew, params, result, false, null);
  }

  /** A class of the jar, or of the JDK that runs the build; null if neither has it. */
  private ClassInfo info(String name) {
    ClassInfo known = infos.get(name);
    if (known != null) {
      return known;
    }
    try (InputStream in = ClassLoader.getSystemResourceAsStream(name + ".class")) {
      if (in == null) {
        return null;
      }
      ClassInfo read = ClassInfo.read(in.readAllBytes());
      infos.put(name, read);
      return read;
    } catch (IOException e) {
      return null;
    }
  }

  private byte[] rewriteClass(String name, byte[] bytes) {
    List<LambdaClass> made = lambdas.getOrDefault(name, List.of());
    ClassReader reader = new ClassReader(bytes);
    ClassWriter writer = new ClassWriter(reader, 0);
    ClassInfo info = infos.get(name);
    Map<String, Object[]> records = new LinkedHashMap<>(); // name + desc: the bootstrap's arguments
    reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
      private int next;

      @Override
      public MethodVisitor visitMethod(int access, String method, String desc, String signature,
          String[] exceptions) {
        int flags = widened.getOrDefault(name, List.of()).contains(method + desc)
            ? access & ~Opcodes.ACC_PRIVATE | Opcodes.ACC_PUBLIC : access;
        MethodVisitor mv = super.visitMethod(flags, method, desc, signature, exceptions);
        return new MethodVisitor(Opcodes.ASM9, mv) {
          @Override
          public void visitInvokeDynamicInsn(String samName, String factoryDesc, Handle bsm,
              Object... args) {
            if (RecordMethods.isBootstrap(bsm) && RecordMethods.handles(name, samName, args)) {
              records.put(samName + factoryDesc, args);
              super.visitMethodInsn(Opcodes.INVOKESTATIC, name,
                  RecordMethods.methodName(samName), factoryDesc, false);
              return;
            }
            LambdaClass lambda = isMetafactory(bsm) ? made.get(next++) : LambdaClass.none();
            if (lambda.name() == null) {
              super.visitInvokeDynamicInsn(samName, factoryDesc, bsm, args);
            } else {
              lambda.instantiate(mv);
            }
          }
        };
      }

      @Override
      public void visitEnd() {
        for (String member : nestMembers.getOrDefault(name, List.of())) {
          super.visitNestMember(member);
        }
        for (LambdaClass lambda : bridges.getOrDefault(name, List.of())) {
          lambda.writeBridge(cv);
        }
        records.forEach((site, args) -> {
          int paren = site.indexOf('(');
          RecordMethods.write(cv, name, info.simpleName(), site.substring(0, paren),
              site.substring(paren), args);
        });
        super.visitEnd();
      }
    }, 0);
    return writer.toByteArray();
  }

  /** An {@code invokedynamic} instruction: its name, descriptor, bootstrap and arguments. */
  interface InvokeDynamic {
    void visit(String name, String desc, Handle bsm, Object[] args);
  }

  /** Calls {@code each} for every {@code invokedynamic} of the class file, in order. */
  static void eachInvokeDynamic(byte[] bytes, InvokeDynamic each) {
    new ClassReader(bytes).accept(new ClassVisitor(Opcodes.ASM9) {
      @Override
      public MethodVisitor visitMethod(int access, String name, String desc, String signature,
          String[] exceptions) {
        return new MethodVisitor(Opcodes.ASM9) {
          @Override
          public void visitInvokeDynamicInsn(String indyName, String indyDesc, Handle bsm,
              Object... args) {
            each.visit(indyName, indyDesc, bsm, args);
          }
        };
      }
    }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
  }

  private static boolean isMetafactory(Handle bsm) {
    return bsm.getOwner().equals(METAFACTORY) && bsm.getName().equals("metafactory");
  }

  /**
   * The packages whose class files are stored in the jar, not deflated: qcfg's own and those of
   * the bundled libraries that a start loads (Typesafe Config, Byte Buddy's ASM, RE2J, org.json).
   * The JVM reads the agent's classes from the jar on the bootstrap class path and inflates each
   * deflated one as it loads it: 10-20 ms of CPU per start (benchmarks/README.md, run AA) for the
   * 280-470 classes a start loads, on threads that share two cores with the application (issue
   * 16). Stored, they cost the jar 2.3 MB (7.6 to 9.9 MB); the other bundled libraries (Jackson's
   * databind, Pebble, picocli, everit, ...) load only for the CLI, templates or a schema's full
   * check, and stay deflated.
   */
  static final List<String> STORED = List.of("io/qcfg/shaded/typesafe/",
      "io/qcfg/shaded/bytebuddy/", "io/qcfg/shaded/re2j/", "io/qcfg/shaded/json/");

  /** Whether the entry {@code name} is stored rather than deflated: see {@link #STORED}. */
  static boolean stored(String name) {
    if (!name.endsWith(".class") || !name.startsWith("io/qcfg/")) {
      return false;
    }
    if (!name.startsWith("io/qcfg/shaded/")) {
      return true; // qcfg's own classes
    }
    for (String prefix : STORED) {
      if (name.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  private static void put(ZipOutputStream zip, String name, byte[] bytes, Long time)
      throws IOException {
    ZipEntry entry = new ZipEntry(name);
    if (time != null && time >= 0) {
      entry.setTime(time);
    }
    if (stored(name)) {
      CRC32 crc = new CRC32();
      crc.update(bytes);
      entry.setMethod(ZipEntry.STORED);
      entry.setSize(bytes.length);
      entry.setCompressedSize(bytes.length);
      entry.setCrc(crc.getValue());
    }
    zip.putNextEntry(entry);
    zip.write(bytes);
    zip.closeEntry();
  }
}
