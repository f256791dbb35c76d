package io.qcfg.internal.template;

import java.lang.reflect.Method;

/** Typesafe Config's own decoding of {@code CONFIG_FORCE_} names, reached by reflection. */
final class TypesafeEnvNames {
  private TypesafeEnvNames() {}

  /** The property path Typesafe Config derives from an override variable name. */
  static String decode(String envName) {
    try {
      Class<?> util = Class.forName("com.typesafe.config.impl.ConfigImplUtil");
      Method m = util.getDeclaredMethod("envVariableAsProperty", String.class, String.class);
      m.setAccessible(true);
      return (String) m.invoke(null, envName, ConfigExporter.DOTENV_PREFIX);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError("Typesafe Config changed its env decoding", e);
    }
  }
}
