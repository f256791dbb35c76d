package io.qcfg.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.qcfg.ConfigValue;
import io.qcfg.OnConfigChange;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.FieldVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.Test;

/**
 * The bytecode the rewriter produces: which fields change, where hook calls go, and that the
 * JVM's verifier accepts the result (each rewritten class is defined and run).
 */
class ClassRewriterTest {
  public static class Base {
    final Object arg;

    public Base(Object arg) {
      this.arg = arg;
    }
  }

  /** Objects made in the super call's arguments, a this(...) chain and an early return. */
  public static class Tricky extends Base {
    @ConfigValue("x") int x = 1;
    @ConfigValue("y") final String y = String.valueOf("computed");
    @ConfigValue("k") final int k = 5; // a compile-time constant
    int plain;

    public Tricky() {
      this(false);
    }

    public Tricky(boolean early) {
      super(new StringBuilder(new String("a")));
      if (early) {
        return;
      }
      plain = new Object().hashCode();
    }
  }

  static class NoClinit {
    @ConfigValue("x") static int x;
  }

  static class OnlyListener {
    @OnConfigChange
    static void changed() {}
  }

  static class Nothing {
    static final Class<?> REF = ConfigValue.class; // mentions the type, carries no annotation
  }

  /** Hook calls per method, and the access flags of each field, of a class file. */
  record Shape(Map<String, Integer> hooks, Map<String, Integer> fields) {}

  static Shape shape(byte[] classFile) {
    Map<String, Integer> hooks = new LinkedHashMap<>();
    Map<String, Integer> fields = new LinkedHashMap<>();
    new ClassReader(classFile)
        .accept(
            new ClassVisitor(Opcodes.ASM9) {
              @Override
              public FieldVisitor visitField(int a, String n, String d, String s, Object v) {
                fields.put(n, a);
                return null;
              }

              @Override
              public MethodVisitor visitMethod(int a, String n, String d, String s, String[] e) {
                String key = n + d;
                hooks.put(key, 0);
                return new MethodVisitor(Opcodes.ASM9) {
                  @Override
                  public void visitMethodInsn(int op, String o, String name, String desc, boolean i) {
                    if (o.equals("io/qcfg/agent/Hooks")) {
                      hooks.merge(key, 1, Integer::sum);
                    }
                  }
                };
              }
            },
            0);
    return new Shape(hooks, fields);
  }

  static Class<?> define(Class<?> original, byte[] rewritten) throws ClassNotFoundException {
    ClassLoader loader =
        new ClassLoader(ClassRewriterTest.class.getClassLoader()) {
          @Override
          protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.equals(original.getName())) {
              synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                return c != null ? c : defineClass(name, rewritten, 0, rewritten.length);
              }
            }
            return super.loadClass(name, resolve);
          }
        };
    return Class.forName(original.getName(), true, loader);
  }

  @Test
  void constructorsThatCallSuperGetOneHookBeforeEachReturn() throws Exception {
    byte[] out = ClassRewriter.rewrite(AnnotationScanTest.classFile(Tricky.class), false);
    Shape s = shape(out);
    assertThat(s.hooks()).containsEntry("<init>()V", 0); // delegates to this(false)
    assertThat(s.hooks()).containsEntry("<init>(Z)V", 2); // two returns
    assertThat(s.hooks()).doesNotContainKey("<clinit>()V"); // no static bindings

    Class<?> c = define(Tricky.class, out);
    Object o = c.getDeclaredConstructor().newInstance();
    Object early = c.getDeclaredConstructor(boolean.class).newInstance(true);
    java.lang.reflect.Field x = c.getDeclaredField("x");
    x.setAccessible(true);
    assertThat(x.getInt(o)).isEqualTo(1);
    assertThat(early).isNotNull();
  }

  @Test
  void boundFieldsBecomeVolatileAndLoseFinalConstantsAndOthersDoNot() throws Exception {
    byte[] out = ClassRewriter.rewrite(AnnotationScanTest.classFile(Tricky.class), false);
    Class<?> c = define(Tricky.class, out);
    int x = c.getDeclaredField("x").getModifiers();
    int y = c.getDeclaredField("y").getModifiers();
    int k = c.getDeclaredField("k").getModifiers();
    int plain = c.getDeclaredField("plain").getModifiers();
    assertThat(Modifier.isVolatile(x) && !Modifier.isFinal(x)).isTrue();
    assertThat(Modifier.isVolatile(y) && !Modifier.isFinal(y)).isTrue();
    assertThat(Modifier.isVolatile(k) || !Modifier.isFinal(k)).isFalse();
    assertThat(Modifier.isVolatile(plain)).isFalse();
  }

  @Test
  void aStaticInitialiserIsAddedWhenAbsent() throws Exception {
    byte[] in = AnnotationScanTest.classFile(NoClinit.class);
    assertThat(shape(in).hooks()).doesNotContainKey("<clinit>()V");
    byte[] out = ClassRewriter.rewrite(in, false);
    assertThat(shape(out).hooks()).containsEntry("<clinit>()V", 1);
    Class<?> c = define(NoClinit.class, out); // runs the new initialiser
    assertThat(Modifier.isVolatile(c.getDeclaredField("x").getModifiers())).isTrue();
  }

  @Test
  void anExistingStaticInitialiserGetsTheHookAndListenersAloneAreEnough() throws Exception {
    byte[] out = ClassRewriter.rewrite(AnnotationScanTest.classFile(app.Settings.class), false);
    assertThat(shape(out).hooks()).containsEntry("<clinit>()V", 1);
    byte[] listener = ClassRewriter.rewrite(AnnotationScanTest.classFile(OnlyListener.class), false);
    assertThat(shape(listener).hooks()).containsEntry("<clinit>()V", 1);
    define(OnlyListener.class, listener);
  }

  @Test
  void retransformingChangesConstructorsOnly() throws Exception {
    byte[] in = AnnotationScanTest.classFile(Tricky.class);
    byte[] out = ClassRewriter.rewrite(in, true);
    assertThat(shape(out).fields()).isEqualTo(shape(in).fields());
    assertThat(shape(out).hooks()).containsEntry("<init>(Z)V", 2);
    // Statics only: nothing a retransformation may change.
    assertThat(ClassRewriter.rewrite(AnnotationScanTest.classFile(NoClinit.class), true)).isNull();
  }

  @Test
  void aRedefinitionIsRewrittenLikeTheLoadUnlessTheClassPredatesTheAttach() throws Exception {
    AnnotatedClassTransformer t =
        new AnnotatedClassTransformer(InstrumentationScope.of(List.of()), true);
    byte[] bytes = AnnotationScanTest.classFile(Tricky.class);
    ClassLoader app = getClass().getClassLoader();
    // Loaded under the agent, then redefined (a debugger's hot swap): the same full rewrite, or
    // the JVM would refuse the changed fields.
    byte[] redefined = t.transform(app, "com/acme/Tricky", Tricky.class, null, bytes);
    assertThat(shape(redefined).fields())
        .isEqualTo(shape(ClassRewriter.rewrite(bytes, false)).fields());
    // Loaded before the attach: constructors only, fields as they are.
    t.loadedBeforeAttach(List.of(Tricky.class));
    byte[] retransformed = t.transform(app, "com/acme/Tricky", Tricky.class, null, bytes);
    assertThat(shape(retransformed).fields()).isEqualTo(shape(bytes).fields());
    assertThat(shape(retransformed).hooks()).containsEntry("<init>(Z)V", 2);
    // What the transformer rewrote as it loaded is remembered, so the attach leaves it alone.
    assertThat(t.rewroteAtLoad(app.Tiny.class)).isFalse();
    t.transform(app, "app/Tiny", null, null, AnnotationScanTest.classFile(app.Tiny.class));
    assertThat(t.rewroteAtLoad(app.Tiny.class)).isTrue();
    assertThat(t.rewroteAtLoad(app.Settings.class)).isFalse();
  }

  @Test
  void aClassThatOnlyMentionsTheAnnotationIsLeftAlone() throws Exception {
    assertThat(ClassRewriter.rewrite(AnnotationScanTest.classFile(Nothing.class), false)).isNull();
  }

  @Test
  void theTransformerNeverThrowsAndSkipsWhatItMustNotTouch() throws Exception {
    AnnotatedClassTransformer t =
        new AnnotatedClassTransformer(InstrumentationScope.of(List.of()));
    byte[] bytes = AnnotationScanTest.classFile(Tricky.class);
    ClassLoader app = getClass().getClassLoader();
    String name = "com/acme/Tricky"; // the scope goes by name; io/qcfg/ is never touched
    assertThat(t.transform(app, "io/qcfg/agent/Tricky", null, null, bytes)).isNull();
    assertThat(t.transform(app, "java/lang/Fake", null, null, bytes)).isNull();
    assertThat(t.transform(null, "com/acme/Boot", null, null, bytes)).isNull(); // bootstrap
    assertThat(t.transform(app, null, null, null, bytes)).isNull();
    List<byte[]> garbage = new ArrayList<>();
    garbage.add("Lio/qcfg/ConfigValue;".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    garbage.add(new byte[] {(byte) 0xCA, (byte) 0xFE});
    for (byte[] g : garbage) {
      assertThat(t.transform(app, "com/acme/Broken", null, null, g)).isNull();
    }
    assertThat(t.transform(app, name, null, null, bytes)).isNotNull();
  }
}
