package io.qcfg;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A generic type, captured by an anonymous subclass, for typed lookups that a {@code Class}
 * cannot express:
 *
 * <pre>{@code
 * List<Integer> ports = snapshot.get("http.ports", new TypeRef<List<Integer>>() {});
 * Map<String, Duration> timeouts = snapshot.get("timeouts", new TypeRef<Map<String, Duration>>() {});
 * }</pre>
 *
 * <p>For the common shapes there are factories: {@link #listOf}, {@link #setOf}, {@link #mapOf}
 * ({@code TypeRef.listOf(Integer.class)}). Immutable; a constant may be kept and reused. Two
 * references to the same type are equal, however they were made.
 *
 * @param <T> the type to convert to: any type a {@link ConfigValue} field may have
 */
public abstract class TypeRef<T> {
  private final Type type;

  /**
   * Captures the type argument of the anonymous subclass.
   *
   * @throws IllegalStateException if the subclass gives no type argument ({@code new TypeRef()
   *     {}})
   */
  protected TypeRef() {
    Type superclass = getClass().getGenericSuperclass();
    if (!(superclass instanceof ParameterizedType p) || p.getRawType() != TypeRef.class) {
      throw new IllegalStateException(
          "TypeRef needs its type argument written out: new TypeRef<List<Integer>>() {}");
    }
    this.type = p.getActualTypeArguments()[0];
  }

  private TypeRef(Type type) {
    this.type = type;
  }

  /** {@code List<E>}, for an element type without type arguments of its own. */
  public static <E> TypeRef<List<E>> listOf(Class<E> element) {
    return new Built<>(new Parameterized(List.class, element));
  }

  /** {@code Set<E>}, for an element type without type arguments of its own. */
  public static <E> TypeRef<Set<E>> setOf(Class<E> element) {
    return new Built<>(new Parameterized(Set.class, element));
  }

  /**
   * {@code Map<String, V>} (configuration keys are strings), for a value type without type
   * arguments of its own.
   */
  public static <V> TypeRef<Map<String, V>> mapOf(Class<V> value) {
    return new Built<>(new Parameterized(Map.class, String.class, value));
  }

  /** The captured type, e.g. {@code java.util.List<java.lang.Integer>}. */
  public final Type type() {
    return type;
  }

  @Override
  public final boolean equals(Object o) {
    return o instanceof TypeRef<?> other && type.equals(other.type);
  }

  @Override
  public final int hashCode() {
    return type.hashCode();
  }

  @Override
  public String toString() {
    return "TypeRef<" + type.getTypeName() + ">";
  }

  /** A reference made by a factory rather than by an anonymous subclass. */
  private static final class Built<T> extends TypeRef<T> {
    Built(Type type) {
      super(type);
    }
  }

  /**
   * A parameterized type built by hand; equal to (and hashing like) the JDK's own for the same
   * type, so both reach the same memoised lookup.
   */
  private record Parameterized(Class<?> raw, Type... arguments) implements ParameterizedType {
    Parameterized {
      arguments = arguments.clone();
      for (Type a : arguments) {
        Objects.requireNonNull(a, "type argument");
      }
    }

    @Override
    public Type[] getActualTypeArguments() {
      return arguments.clone();
    }

    @Override
    public Type getRawType() {
      return raw;
    }

    @Override
    public Type getOwnerType() {
      return null;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ParameterizedType p
          && raw.equals(p.getRawType())
          && p.getOwnerType() == null
          && Arrays.equals(arguments, p.getActualTypeArguments());
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(arguments) ^ raw.hashCode(); // as the JDK's: owner null hashes to 0
    }

    @Override
    public String getTypeName() {
      StringBuilder b = new StringBuilder(raw.getName()).append('<');
      for (int i = 0; i < arguments.length; i++) {
        b.append(i == 0 ? "" : ", ").append(arguments[i].getTypeName());
      }
      return b.append('>').toString();
    }

    @Override
    public String toString() {
      return getTypeName();
    }
  }
}
