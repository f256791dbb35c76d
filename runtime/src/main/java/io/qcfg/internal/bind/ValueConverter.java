package io.qcfg.internal.bind;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.qcfg.QcfgException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Converts a Typesafe {@link ConfigValue} to a Java type: primitives and boxes, {@code String},
 * {@link Duration}, enums, {@code List<T>}, {@code Set<T>}, {@code Map<String,T>}, {@code
 * Optional<T>}, records and Java beans. Object keys match record components and bean properties
 * by name, or by its kebab-case form ({@code poolSize} ← {@code pool-size}).
 *
 * <p>Results are immutable where the type allows (lists, sets and maps are unmodifiable), so a
 * value converted once may be shared by every reader of a snapshot.
 */
public final class ValueConverter {
  private ValueConverter() {}

  /**
   * Converts {@code value}, found at {@code path} (located at {@code location} for messages).
   *
   * @throws QcfgException.WrongType naming the path, the expected type and what was found
   */
  public static Object convert(ConfigValue value, Type type, String path, String location) {
    try {
      return doConvert(value, type, path, location);
    } catch (QcfgException e) {
      throw e;
    } catch (ConfigException e) {
      throw wrong(location, path, type, describe(value));
    } catch (RuntimeException e) {
      throw wrong(location, path, type, describe(value) + " (" + io.qcfg.internal.crypto.ForeignText.describe(e) + ")");
    }
  }

  private static Object doConvert(ConfigValue v, Type type, String path, String location) {
    Class<?> raw = rawType(type);
    ConfigValueType vt = v.valueType();
    if (raw == Optional.class) {
      if (vt == ConfigValueType.NULL) {
        return Optional.empty();
      }
      return Optional.of(convert(v, typeArg(type, 0), path, location));
    }
    if (vt == ConfigValueType.NULL) {
      if (raw.isPrimitive()) {
        throw wrong(location, path, type, "null");
      }
      return null;
    }
    if (raw == String.class) {
      if (vt == ConfigValueType.OBJECT || vt == ConfigValueType.LIST) {
        throw wrong(location, path, type, describe(v));
      }
      return String.valueOf(v.unwrapped());
    }
    if (raw == int.class || raw == Integer.class) {
      return (int) inRange(v, path, location, type, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }
    if (raw == long.class || raw == Long.class) {
      return inRange(v, path, location, type, Long.MIN_VALUE, Long.MAX_VALUE);
    }
    if (raw == double.class || raw == Double.class) {
      return number(v, path, location, type).doubleValue();
    }
    if (raw == float.class || raw == Float.class) {
      return number(v, path, location, type).floatValue();
    }
    if (raw == short.class || raw == Short.class) {
      return (short) inRange(v, path, location, type, Short.MIN_VALUE, Short.MAX_VALUE);
    }
    if (raw == byte.class || raw == Byte.class) {
      return (byte) inRange(v, path, location, type, Byte.MIN_VALUE, Byte.MAX_VALUE);
    }
    if (raw == boolean.class || raw == Boolean.class) {
      return bool(v, path, location, type);
    }
    if (raw == char.class || raw == Character.class) {
      String s = String.valueOf(v.unwrapped());
      if (s.length() != 1) {
        throw wrong(location, path, type, describe(v));
      }
      return s.charAt(0);
    }
    if (raw == Duration.class) {
      return single(v).getDuration("v");
    }
    if (raw.isEnum()) {
      return enumValue(raw, v, path, location, type);
    }
    if (raw == Object.class) {
      return v.unwrapped();
    }
    if (java.util.Collection.class.isAssignableFrom(raw) || Map.class.isAssignableFrom(raw)) {
      if (raw != List.class && raw != Set.class && raw != java.util.Collection.class
          && raw != Map.class) {
        // qcfg's collections are unmodifiable; an ArrayList field could never be written.
        throw wrong(location, path, type, describe(v) + " (declare the field as "
            + (Map.class.isAssignableFrom(raw) ? "Map" : "List, Set or Collection")
            + ": qcfg's collections are immutable)");
      }
    }
    if (List.class.isAssignableFrom(raw) || raw == Set.class || raw == java.util.Collection.class) {
      if (vt != ConfigValueType.LIST) {
        throw wrong(location, path, type, describe(v));
      }
      Type elem = typeArg(type, 0);
      ConfigList list = (ConfigList) v;
      List<Object> out = new ArrayList<>(list.size());
      for (int i = 0; i < list.size(); i++) {
        out.add(convert(list.get(i), elem, path + "." + i, location));
      }
      if (raw == Set.class) {
        return Collections.unmodifiableSet(new java.util.LinkedHashSet<>(out));
      }
      return Collections.unmodifiableList(out);
    }
    if (Map.class.isAssignableFrom(raw)) {
      if (vt != ConfigValueType.OBJECT) {
        throw wrong(location, path, type, describe(v));
      }
      Type valueType = typeArg(type, 1);
      Map<String, Object> out = new LinkedHashMap<>();
      ConfigObject obj = (ConfigObject) v;
      for (String key : new TreeMap<>(obj).keySet()) {
        out.put(key, convert(obj.get(key), valueType, path + "." + key, location));
      }
      return Collections.unmodifiableMap(out);
    }
    if (raw.isRecord()) {
      return record(raw, v, path, location, type);
    }
    if (vt == ConfigValueType.OBJECT && !raw.isInterface() && !raw.isPrimitive()) {
      return bean(raw, (ConfigObject) v, path, location, type);
    }
    throw wrong(location, path, type, describe(v) + " (unsupported field type)");
  }

  /** A whole number within {@code [min, max]}; anything else is a {@link QcfgException.WrongType}. */
  private static long inRange(
      ConfigValue v, String path, String location, Type type, long min, long max) {
    Number n = number(v, path, location, type);
    java.math.BigDecimal exact =
        n instanceof Double d ? java.math.BigDecimal.valueOf(d) : new java.math.BigDecimal(n.toString());
    if (exact.compareTo(java.math.BigDecimal.valueOf(min)) < 0
        || exact.compareTo(java.math.BigDecimal.valueOf(max)) > 0) {
      throw wrong(location, path, type, describe(v) + " (out of range " + min + " to " + max + ")");
    }
    return exact.longValueExact();
  }

  /**
   * Whether a value of {@code type} may be mutated by its holder: a Java bean, or a type that
   * contains one (a list of beans, a record with a bean component). Such results are never
   * shared between callers.
   */
  public static boolean isMutable(Type type) {
    return isMutable(type, 0);
  }

  private static boolean isMutable(Type type, int depth) {
    if (depth > 16) {
      return true; // a recursive type: assume the worst
    }
    Class<?> raw = rawType(type);
    if (type instanceof ParameterizedType p) {
      for (Type arg : p.getActualTypeArguments()) {
        if (isMutable(arg, depth + 1)) {
          return true;
        }
      }
    }
    if (raw.isPrimitive() || raw.isEnum() || raw == String.class || raw == Duration.class
        || raw == Optional.class || Number.class.isAssignableFrom(raw)
        || raw == Boolean.class || raw == Character.class
        || java.util.Collection.class.isAssignableFrom(raw) || Map.class.isAssignableFrom(raw)) {
      return false;
    }
    if (raw.isRecord()) {
      for (RecordComponent c : raw.getRecordComponents()) {
        if (isMutable(c.getGenericType(), depth + 1)) {
          return true;
        }
      }
      return false;
    }
    return true; // a bean, or Object (an object value unwraps to a HashMap)
  }

  private static Number number(ConfigValue v, String path, String location, Type type) {
    Object u = v.unwrapped();
    if (u instanceof Number n) {
      if (rawType(type) != double.class && rawType(type) != Double.class
          && rawType(type) != float.class && rawType(type) != Float.class
          && n.doubleValue() != Math.rint(n.doubleValue())) {
        throw wrong(location, path, type, describe(v));
      }
      return n;
    }
    if (u instanceof String s) {
      try {
        if (rawType(type) == double.class || rawType(type) == Double.class
            || rawType(type) == float.class || rawType(type) == Float.class) {
          return Double.parseDouble(s.trim());
        }
        return Long.parseLong(s.trim());
      } catch (NumberFormatException e) {
        throw wrong(location, path, type, describe(v));
      }
    }
    throw wrong(location, path, type, describe(v));
  }

  private static boolean bool(ConfigValue v, String path, String location, Type type) {
    Object u = v.unwrapped();
    if (u instanceof Boolean b) {
      return b;
    }
    if (u instanceof String s) {
      switch (s.trim().toLowerCase(Locale.ROOT)) {
        case "true", "yes", "on":
          return true;
        case "false", "no", "off":
          return false;
        default:
          break;
      }
    }
    throw wrong(location, path, type, describe(v));
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Object enumValue(Class<?> raw, ConfigValue v, String path, String location, Type type) {
    if (v.valueType() != ConfigValueType.STRING) {
      throw wrong(location, path, type, describe(v));
    }
    String s = ((String) v.unwrapped()).trim();
    String norm = s.replace('-', '_');
    for (Object c : raw.getEnumConstants()) {
      String name = ((Enum) c).name();
      if (name.equals(s) || name.equalsIgnoreCase(norm)) {
        return c;
      }
    }
    List<String> names = new ArrayList<>();
    for (Object c : raw.getEnumConstants()) {
      names.add(((Enum) c).name());
    }
    throw new QcfgException.WrongType(location, path, "one of " + names, describe(v));
  }

  private static Object record(Class<?> raw, ConfigValue v, String path, String location, Type type) {
    if (v.valueType() != ConfigValueType.OBJECT) {
      throw wrong(location, path, type, describe(v));
    }
    ConfigObject obj = (ConfigObject) v;
    RecordComponent[] comps = raw.getRecordComponents();
    Object[] args = new Object[comps.length];
    Class<?>[] types = new Class<?>[comps.length];
    for (int i = 0; i < comps.length; i++) {
      RecordComponent c = comps[i];
      types[i] = c.getType();
      ConfigValue cv = member(obj, c.getName());
      String cpath = path + "." + c.getName();
      if (cv == null) {
        if (c.getType() == Optional.class) {
          args[i] = Optional.empty();
          continue;
        }
        throw new QcfgException.WrongType(
            location, cpath, "a value for record component " + raw.getSimpleName() + "."
                + c.getName(), "nothing");
      }
      args[i] = convert(cv, c.getGenericType(), cpath, location);
    }
    try {
      Constructor<?> ctor = raw.getDeclaredConstructor(types);
      ctor.setAccessible(true);
      return ctor.newInstance(args);
    } catch (ReflectiveOperationException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new QcfgException.WrongType(
          location, path, "a valid " + raw.getSimpleName(), "a value its constructor refused: "
              + cause.getClass().getSimpleName());
    }
  }

  private static Object bean(Class<?> raw, ConfigObject obj, String path, String location, Type type) {
    Object bean;
    try {
      Constructor<?> ctor = raw.getDeclaredConstructor();
      ctor.setAccessible(true);
      bean = ctor.newInstance();
    } catch (ReflectiveOperationException e) {
      throw wrong(location, path, type, "an object, but " + raw.getName()
          + " has no no-argument constructor");
    }
    for (Class<?> c = raw; c != null && c != Object.class; c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        if (Modifier.isStatic(f.getModifiers()) || f.isSynthetic()) {
          continue;
        }
        ConfigValue cv = member(obj, f.getName());
        if (cv == null) {
          continue;
        }
        Object value = convert(cv, f.getGenericType(), path + "." + f.getName(), location);
        try {
          Method setter = setter(raw, f);
          if (setter != null) {
            setter.invoke(bean, value);
          } else if (!Modifier.isFinal(f.getModifiers())) {
            f.setAccessible(true);
            f.set(bean, value);
          }
        } catch (ReflectiveOperationException e) {
          throw wrong(location, path + "." + f.getName(), f.getGenericType(), describe(cv));
        }
      }
    }
    return bean;
  }

  private static Method setter(Class<?> raw, Field f) {
    String name = "set" + Character.toUpperCase(f.getName().charAt(0)) + f.getName().substring(1);
    try {
      Method m = raw.getMethod(name, f.getType());
      return m;
    } catch (NoSuchMethodException e) {
      return null;
    }
  }

  private static ConfigValue member(ConfigObject obj, String javaName) {
    ConfigValue v = obj.get(javaName);
    return v != null ? v : obj.get(kebab(javaName));
  }

  /** {@code poolSize} → {@code pool-size}. */
  static String kebab(String camel) {
    StringBuilder sb = new StringBuilder();
    for (char c : camel.toCharArray()) {
      if (Character.isUpperCase(c)) {
        sb.append('-').append(Character.toLowerCase(c));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  private static Config single(ConfigValue v) {
    return ConfigFactory.empty().withValue("v", v);
  }

  public static Class<?> rawType(Type t) {
    if (t instanceof Class<?> c) {
      return c;
    }
    if (t instanceof ParameterizedType p) {
      return (Class<?>) p.getRawType();
    }
    if (t instanceof WildcardType w) {
      return rawType(w.getUpperBounds()[0]);
    }
    return Object.class;
  }

  private static Type typeArg(Type t, int i) {
    if (t instanceof ParameterizedType p && p.getActualTypeArguments().length > i) {
      Type a = p.getActualTypeArguments()[i];
      return a instanceof WildcardType w ? w.getUpperBounds()[0] : a;
    }
    return Object.class;
  }

  /** What was found, for messages: the type and the value, never more than 40 characters. */
  static String describe(ConfigValue v) {
    String kind = v.valueType().name().toLowerCase(Locale.ROOT);
    if (v.valueType() == ConfigValueType.OBJECT || v.valueType() == ConfigValueType.LIST) {
      return "a" + (kind.equals("object") ? "n " : " ") + kind;
    }
    String s = String.valueOf(v.unwrapped());
    if (s.length() > 40) {
      s = s.substring(0, 37) + "...";
    }
    return kind + " '" + s + "'";
  }

  private static QcfgException.WrongType wrong(String location, String path, Type type, String found) {
    return new QcfgException.WrongType(location, path, typeName(type), found);
  }

  static String typeName(Type t) {
    return t instanceof Class<?> c ? c.getSimpleName() : t.getTypeName().replaceAll("[a-z]\\w*\\.", "");
  }
}
