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
  private final ConfigValue value;
  private final Object plain;
  private volatile Memo memo;

  record Memo(Type type, Object value) {}

  Leaf(ConfigValue value) {
    this(value, null);
  }

  private Leaf(ConfigValue value, Memo memo) {
    this.value = value;
    ConfigValueType t = value.valueType();
    this.plain =
        t == ConfigValueType.NUMBER || t == ConfigValueType.STRING || t == ConfigValueType.BOOLEAN
            ? value.unwrapped()
            : null;
    this.memo = memo;
  }

  /** A leaf for {@code newValue} (equal to this one's, maybe another origin) with this memo. */
  Leaf carried(ConfigValue newValue) {
    return new Leaf(newValue, memo);
  }

  public ConfigValue value() {
    return value;
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
