package io.qcfg;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;

/**
 * A generic type, captured by an anonymous subclass, for typed lookups that a {@code Class}
 * cannot express:
 *
 * <pre>{@code
 * List<Integer> ports = snapshot.get("http.ports", new TypeRef<List<Integer>>() {});
 * Map<String, Duration> timeouts = snapshot.get("timeouts", new TypeRef<Map<String, Duration>>() {});
 * }</pre>
 *
 * <p>Immutable; a constant may be kept and reused ({@code static final TypeRef<...> PORTS = new
 * TypeRef<>() {}} does not compile: the type argument must be written out). Two references to the
 * same type are equal.
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
}
