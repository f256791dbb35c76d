package io.qcfg.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Differential: the lambda shapes of {@code corpus/Corpus.java} (and, for release 16 and later,
 * {@code corpus/Modern.java}), compiled here by javac for a release, run once as javac wrote them
 * and once rewritten by {@link LambdaClasses}, each in its own class loader: the same results, and
 * no {@code LambdaMetafactory.metafactory} site left (the serializable lambda goes through the
 * alternative metafactory, which the rewrite leaves to the JVM) nor any record method's {@code
 * ObjectMethods} site (Modern's records: every component type, NaN and -0.0, arrays, null, an
 * empty record, a nested record's simple name, a record with its own toString).
 */
@Timeout(120)
class LambdaClassesTest {

  @ParameterizedTest
  @ValueSource(strings = {"8", "11", "17"})
  void rewrittenLambdasBehaveAsTheJvmsOwn(String release) throws Exception {
    Map<String, byte[]> original = compile(release, Integer.parseInt(release) >= 16
        ? List.of("Corpus", "Modern") : List.of("Corpus"));
    Map<String, byte[]> rewritten = LambdaClasses.rewrite(original);

    assertThat(rewritten.keySet()).containsAll(original.keySet());
    assertThat(rewritten.keySet()).anyMatch(name -> name.contains("$$QLambda$"));
    for (String main : original.keySet()) {
      if (main.equals("corpus/Corpus") || main.equals("corpus/Modern")) {
        List<String> expected = results(original, main);
        assertThat(results(rewritten, main)).as(main).isEqualTo(expected).isNotEmpty();
      }
    }
    // Release 8 only: a lambda of an interface's default method that captures {@code this} (a
    // private instance method of an interface, before nestmates) stays with the JVM.
    assertThat(metafactorySites(rewritten)).isEqualTo(release.equals("8") ? 1 : 0);
    assertThat(count(rewritten, "bootstrap")).as("ObjectMethods sites of records").isZero();
    // The serializable lambda and its twin in javac's $deserializeLambda$.
    assertThat(altMetafactorySites(rewritten)).isEqualTo(2);
  }

  @Test
  void aLambdaThatCapturesNothingIsOneInstanceAndACapturingOneIsNew() throws Exception {
    Map<String, byte[]> rewritten = LambdaClasses.rewrite(compile("17", List.of("Corpus")));
    List<String> results = results(rewritten, "corpus/Corpus");
    assertThat(results).contains("same instance true", "capturing instances differ true");
  }

  @Test
  void aClassWithoutLambdasIsLeftByteForByte() throws Exception {
    Map<String, byte[]> original = compile("17", List.of("Corpus"));
    Map<String, byte[]> rewritten = LambdaClasses.rewrite(original);
    for (Map.Entry<String, byte[]> e : original.entrySet()) {
      if (metafactorySites(Map.of(e.getKey(), e.getValue())) == 0
          && !e.getKey().equals("corpus/Corpus")) { // the nest host gains members
        assertThat(rewritten.get(e.getKey())).as(e.getKey()).isSameAs(e.getValue());
      }
    }
  }

  private static List<String> results(Map<String, byte[]> classes, String main) throws Exception {
    ClassLoader loader = new ClassLoader(ClassLoader.getPlatformClassLoader()) {
      @Override
      protected Class<?> findClass(String name) throws ClassNotFoundException {
        byte[] bytes = classes.get(name.replace('.', '/'));
        if (bytes == null) {
          throw new ClassNotFoundException(name);
        }
        return defineClass(name, bytes, 0, bytes.length);
      }
    };
    Method results = loader.loadClass(main.replace('/', '.')).getMethod("results");
    @SuppressWarnings("unchecked")
    List<String> out = (List<String>) results.invoke(null);
    return out;
  }

  private static int metafactorySites(Map<String, byte[]> classes) {
    return count(classes, "metafactory");
  }

  private static int altMetafactorySites(Map<String, byte[]> classes) {
    return count(classes, "altMetafactory");
  }

  private static int count(Map<String, byte[]> classes, String bootstrap) {
    int[] n = new int[1];
    for (byte[] bytes : classes.values()) {
      LambdaClasses.eachInvokeDynamic(bytes, (name, desc, bsm, args) -> {
        if (bsm.getName().equals(bootstrap)) {
          n[0]++;
        }
      });
    }
    return n[0];
  }

  /** Compiles {@code corpus/<name>.java} test resources for {@code release}, in memory. */
  private static Map<String, byte[]> compile(String release, List<String> names)
      throws IOException {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    List<JavaFileObject> sources = new ArrayList<>();
    for (String name : names) {
      String text;
      try (InputStream in = LambdaClassesTest.class.getResourceAsStream(
          "/corpus/" + name + ".java")) {
        text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      }
      sources.add(new SimpleJavaFileObject(URI.create("string:///corpus/" + name + ".java"),
          JavaFileObject.Kind.SOURCE) {
        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
          return text;
        }
      });
    }
    Map<String, byte[]> out = new LinkedHashMap<>();
    JavaFileManager files = new ForwardingJavaFileManager<>(
        javac.getStandardFileManager(null, null, null)) {
      @Override
      public JavaFileObject getJavaFileForOutput(Location location, String className,
          JavaFileObject.Kind kind, FileObject sibling) {
        return new SimpleJavaFileObject(URI.create("mem:///" + className.replace('.', '/')
            + ".class"), kind) {
          @Override
          public OutputStream openOutputStream() {
            return new ByteArrayOutputStream() {
              @Override
              public void close() {
                out.put(className.replace('.', '/'), toByteArray());
              }
            };
          }
        };
      }
    };
    boolean ok = javac.getTask(null, files, null, List.of("--release", release, "-Xlint:-options"),
        null, sources).call();
    assertThat(ok).as("javac --release " + release).isTrue();
    assertThat(StandardLocation.CLASS_OUTPUT).isNotNull();
    return out;
  }
}
