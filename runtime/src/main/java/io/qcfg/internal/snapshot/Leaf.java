package io.qcfg.internal.snapshot;

import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.lang.reflect.Type;

/**
 * One leaf of a snapshot: its value, the value unwrapped once (for the int, long, double, boolean
 * and String getters, which then need no cache), and the last typed conversion (a Duration, a
 * List...), memoised.
 *
 * <p>Concurrency: {@code memo} is written by any reader that converts; a race makes two threads
 * convert the same pure value, and the memo is an immutable pair, so a reader sees either the old
 * pair or the new one. A new snapshot whose leaf equals the old one's carries the memo over
 * ({@link #carried}), so readers do not start cold after a reload.
 */
public final class Leaf {
  private static final java.lang.invoke.VarHandle VALUE;

  static {
    try {
      VALUE = java.lang.invoke.MethodHandles.lookup()
          .findVarHandle(Leaf.class, "value", ConfigValue.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /**
   * Makes a leaf's Typesafe value on first use (the fast restart's start tree, issue 16): pure, so
   * racing readers may both make one; the first published wins and every caller gets it.
   */
  interface Source {
    ConfigValue make();
  }

  private volatile ConfigValue value; // null until made, for a leaf with a source
  private final Source source; // null when the value was given
  private final Object plain;
  private final boolean nullValue;
  private volatile Memo memo;

  record Memo(Type type, Object value) {}

  Leaf(ConfigValue value) {
    this(value, null);
  }

  private Leaf(ConfigValue value, Memo memo) {
    this.value = value;
    this.source = null;
    ConfigValueType t = value.valueType();
    this.plain =
        t == ConfigValueType.NUMBER || t == ConfigValueType.STRING || t == ConfigValueType.BOOLEAN
            ? value.unwrapped()
            : null;
    this.nullValue = t == ConfigValueType.NULL;
    this.memo = memo;
  }

  private Leaf(Object plain, boolean nullValue, Source source) {
    this.source = source;
    this.plain = plain;
    this.nullValue = nullValue;
  }

  /**
   * A leaf whose value {@code source} makes on first use. {@code plain} must be what {@link
   * #plain()} gives for that value (its unwrapped number, string or boolean; else null), and
   * {@code nullValue} whether it is a null: the getters and {@code hasPath} then need no value.
   */
  static Leaf lazy(Object plain, boolean nullValue, Source source) {
    return new Leaf(plain, nullValue, java.util.Objects.requireNonNull(source));
  }

  /** A leaf for {@code newValue} (equal to this one's, maybe another origin) with this memo. */
  Leaf carried(ConfigValue newValue) {
    return new Leaf(newValue, memo);
  }

  /** The value; a lazy leaf's is made now if no caller made it yet (the same object for all). */
  public ConfigValue value() {
    ConfigValue v = value;
    if (v == null) {
      ConfigValue made = source.make();
      v = (ConfigValue) VALUE.compareAndExchange(this, null, made);
      if (v == null) {
        v = made;
      }
    }
    return v;
  }

  /**
   * Adds this value's text as the redactor knows secrets ({@code String.valueOf} of the unwrapped
   * value; of each element for a list) to {@code into}; nothing for a null. A scalar's is taken
   * from {@link #plain()}, so a lazy leaf's value is not made for it (issue 16).
   */
  public void addTexts(java.util.List<String> into) {
    if (plain != null) {
      into.add(String.valueOf(plain));
      return;
    }
    Object v = nullValue ? null : value().unwrapped();
    if (v instanceof java.util.List<?> l) {
      l.forEach(e -> into.add(String.valueOf(e)));
    } else if (v != null) {
      into.add(String.valueOf(v));
    }
  }

  /** Whether the value is a null, without making a lazy leaf's value. */
  boolean isNull() {
    return nullValue;
  }

  /** Whether the value exists yet (for tests: a fast restart makes only what is asked for). */
  boolean made() {
    return value != null;
  }

  /** Integer, Long, Double, BigInteger..., Boolean or String; null for lists, objects, null. */
  Object plain() {
    return plain;
  }

  /** The memoised conversion to {@code type}, or null. */
  Object memo(Type type) {
    Memo m = memo;
    return m != null && m.type().equals(type) ? m.value() : null;
  }

  void memoise(Type type, Object converted) {
    memo = new Memo(type, converted);
  }
}
