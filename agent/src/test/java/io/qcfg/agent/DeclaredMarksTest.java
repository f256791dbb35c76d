package io.qcfg.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.qcfg.ConfigChange;
import io.qcfg.ConfigValue;
import io.qcfg.HealthCheck;
import io.qcfg.OnConfigChange;
import io.qcfg.internal.bind.DeclaredMarks;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The annotation values the rewriter records while it reads a class file say what reflection
 * says (differential: every field and method of real compiled classes), so the binder can skip
 * reflection on annotations (issue 16).
 */
@Timeout(60)
class DeclaredMarksTest {
  @Deprecated
  static class Marked {
    @ConfigValue("a.b") static int staticPath;
    @ConfigValue(value = "a.required", required = true) static String required;
    @ConfigValue(value = "a.optional", required = false) List<String> optional;
    @ConfigValue("") Map<String, Integer> empty;
    @Deprecated int plain;
    static int plainStatic;

    @OnConfigChange
    static void changed() {}

    @OnConfigChange
    void changed(ConfigChange c) {}

    void changed(int i) {}

    @OnConfigChange
    void arrays(String[][] a, int[] b, Map.Entry<String, String> c) {}

    @HealthCheck.Probe
    boolean healthy() {
      return true;
    }

    @HealthCheck.Probe
    @OnConfigChange
    static boolean both() {
      return true;
    }

    @Deprecated
    void other() {}
  }

  static class Unmarked {
    @ConfigValue("x") int x;

    @OnConfigChange
    void changed() {}
  }

  @Test
  void recordedMarksAgreeWithReflectionOnEveryMember() throws Exception {
    for (Class<?> c : List.of(Marked.class, app.Settings.class, ClassRewriterTest.Tricky.class)) {
      ClassRewriter.rewrite(AnnotationScanTest.classFile(c), false, c.getClassLoader());
      assertThat(DeclaredMarks.of(c)).as(c.getName()).isNotNull();
      for (Field f : c.getDeclaredFields()) {
        ConfigValue a = f.getAnnotation(ConfigValue.class);
        assertThat(DeclaredMarks.field(f)).as(f.toString())
            .isEqualTo(a == null ? null : new DeclaredMarks.FieldMark(a.value(), a.required()));
      }
      for (Method m : c.getDeclaredMethods()) {
        assertThat(DeclaredMarks.listener(m)).as(m.toString())
            .isEqualTo(m.isAnnotationPresent(OnConfigChange.class));
        assertThat(DeclaredMarks.probe(m)).as(m.toString())
            .isEqualTo(m.isAnnotationPresent(HealthCheck.Probe.class));
      }
    }
  }

  @Test
  void aClassTheAgentDidNotReadIsAnsweredByReflection() throws Exception {
    assertThat(DeclaredMarks.of(Unmarked.class)).isNull();
    assertThat(DeclaredMarks.field(Unmarked.class.getDeclaredField("x")))
        .isEqualTo(new DeclaredMarks.FieldMark("x", false));
    assertThat(DeclaredMarks.listener(Unmarked.class.getDeclaredMethod("changed"))).isTrue();
  }

  @Test
  void marksOfAnotherLoaderAreNotTaken() throws Exception {
    ClassLoader other = new ClassLoader(null) {};
    byte[] bytes = AnnotationScanTest.classFile(Unmarked.class);
    ClassRewriter.rewrite(bytes, false, other);
    assertThat(DeclaredMarks.of(Unmarked.class)).isNull();
  }
}
