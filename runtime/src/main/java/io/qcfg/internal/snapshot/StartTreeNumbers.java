package io.qcfg.internal.snapshot;

import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;

/**
 * Numbers of the start tree as a full build makes them: Typesafe's numbers keep the text they were
 * written as ({@code 1.50}, {@code 1e3}), which renderings show, and its API makes numbers without
 * it, so the constructors that take it are used (found through the classes of sample values, so
 * relocation cannot break them). Without them a number renders canonically.
 */
final class StartTreeNumbers {
  private StartTreeNumbers() {}

  private static final java.lang.reflect.Constructor<?> INT_TEXT = withText(1, int.class);
  private static final java.lang.reflect.Constructor<?> LONG_TEXT = withText(1L, long.class);
  private static final java.lang.reflect.Constructor<?> DOUBLE_TEXT = withText(1.0, double.class);

  private static java.lang.reflect.Constructor<?> withText(Object sample, Class<?> type) {
    try {
      var c = ConfigValueFactory.fromAnyRef(sample).getClass()
          .getDeclaredConstructor(ConfigOrigin.class, type, String.class);
      c.setAccessible(true);
      return c;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  /** The number {@code n} at {@code o}, rendering as {@code text}. */
  static ConfigValue of(Number n, ConfigOrigin o, String text) {
    java.lang.reflect.Constructor<?> c = n instanceof Integer ? INT_TEXT
        : n instanceof Long ? LONG_TEXT : DOUBLE_TEXT;
    if (c != null) {
      try {
        return (ConfigValue) c.newInstance(o, n, text);
      } catch (ReflectiveOperationException | RuntimeException e) {
        // the canonical rendering below
      }
    }
    return ConfigValueFactory.fromAnyRef(n).withOrigin(o);
  }

}
