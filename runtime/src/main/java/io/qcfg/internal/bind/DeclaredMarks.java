package io.qcfg.internal.bind;

import io.qcfg.ConfigValue;
import io.qcfg.HealthCheck;
import io.qcfg.OnConfigChange;
import java.lang.ref.WeakReference;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The qcfg annotations of a class as the agent read them from its class file while rewriting
 * it, so that binding does not ask reflection for annotations. The first {@code getAnnotation}
 * of a JVM parses annotation bytes and spins a dynamic proxy class per annotation type ({@code
 * ProxyGenerator}, {@code sun.reflect.annotation}, generic signatures, accessor generation:
 * about 60 cold classes) on the path of the application's first bound field (issue 16).
 *
 * <p>A class the agent did not read (a superclass outside the instrumented packages, an object
 * given to {@code Qcfg.bind}, a JVM without the agent) is answered by reflection, as before.
 *
 * <p>Concurrency: {@link #record} runs on whichever thread loads a class, lookups on binding
 * threads; entries are immutable and kept in a {@link ConcurrentHashMap}, no lock of ours. A
 * class is identified by name and defining loader; the loader is held weakly.
 */
public final class DeclaredMarks {
  private DeclaredMarks() {}

  /** A field's {@code @ConfigValue}: its path and whether it is required. */
  public record FieldMark(String path, boolean required) {}

  /**
   * What one class file declares.
   *
   * @param fields {@code @ConfigValue} fields by name
   * @param listeners {@code @OnConfigChange} methods, by {@link #methodKey}
   * @param probes {@code @HealthCheck.Probe} methods, by {@link #methodKey}
   */
  public record ClassMarks(
      Map<String, FieldMark> fields, Set<String> listeners, Set<String> probes) {}

  private record Entry(WeakReference<ClassLoader> loader, ClassMarks marks) {}

  // Binary class name -> one entry per defining loader (almost always exactly one).
  private static final ConcurrentHashMap<String, Entry[]> BY_NAME = new ConcurrentHashMap<>();

  /** Records what the class {@code binaryName} defined by {@code loader} declares. */
  public static void record(ClassLoader loader, String binaryName, ClassMarks marks) {
    Entry e = new Entry(new WeakReference<>(loader), marks);
    for (;;) { // compare-and-set, without a lambda class on the transformer's path
      Entry[] old = BY_NAME.get(binaryName);
      Entry[] next = replace(old, loader, e);
      if (old == null
          ? BY_NAME.putIfAbsent(binaryName, next) == null
          : BY_NAME.replace(binaryName, old, next)) {
        return;
      }
    }
  }

  private static Entry[] replace(Entry[] old, ClassLoader loader, Entry e) {
    if (old == null) {
      return new Entry[] {e};
    }
    Entry[] out = new Entry[old.length + 1];
    int n = 0;
    for (Entry o : old) {
      ClassLoader l = o.loader.get();
      if (l != null && l != loader) {
        out[n++] = o; // drop this loader's older entry and entries of collected loaders
      }
    }
    out[n++] = e;
    return java.util.Arrays.copyOf(out, n);
  }

  /** What the agent read for {@code c}, or null when it did not read that class. */
  public static ClassMarks of(Class<?> c) {
    Entry[] entries = BY_NAME.get(c.getName());
    if (entries != null) {
      ClassLoader loader = c.getClassLoader();
      for (Entry e : entries) {
        if (e.loader.get() == loader && loader != null) {
          return e.marks;
        }
      }
    }
    return null;
  }

  /** The {@code @ConfigValue} of {@code f}; null when it has none. */
  public static FieldMark field(Field f) {
    ClassMarks m = of(f.getDeclaringClass());
    if (m != null) {
      return m.fields.get(f.getName());
    }
    ConfigValue a = f.getAnnotation(ConfigValue.class);
    return a == null ? null : new FieldMark(a.value(), a.required());
  }

  /** Whether {@code m} carries {@code @OnConfigChange}. */
  public static boolean listener(Method m) {
    ClassMarks marks = of(m.getDeclaringClass());
    return marks != null
        ? marks.listeners.contains(methodKey(m))
        : m.isAnnotationPresent(OnConfigChange.class);
  }

  /** Whether {@code m} carries {@code @HealthCheck.Probe}. */
  public static boolean probe(Method m) {
    ClassMarks marks = of(m.getDeclaringClass());
    return marks != null
        ? marks.probes.contains(methodKey(m))
        : m.isAnnotationPresent(HealthCheck.Probe.class);
  }

  /**
   * A method's key: its name and its parameter types' names, {@code name(int,java.lang.String[])}
   * ({@link Class#getTypeName()} spelling, as ASM's {@code Type.getClassName()} gives it).
   */
  public static String methodKey(Method m) {
    StringBuilder sb = new StringBuilder(m.getName()).append('(');
    Class<?>[] params = m.getParameterTypes();
    for (int i = 0; i < params.length; i++) {
      sb.append(i == 0 ? "" : ",").append(params[i].getTypeName());
    }
    return sb.append(')').toString();
  }
}
