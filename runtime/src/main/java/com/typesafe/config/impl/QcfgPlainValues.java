package com.typesafe.config.impl;

import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigValue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Typesafe's own value objects, made with their origin at once, for qcfg's plain reader
 * ({@code io.qcfg.internal.layer.PlainHocon}, issue 19). Through the public API every value took
 * two objects ({@code ConfigValueFactory.fromAnyRef} with a placeholder origin, then {@code
 * withOrigin}'s copy), every object three (the same, with each field wrapped again), and each
 * object's span of lines a merge of two scratch objects: a quarter of a cold 1,000-setting build.
 * These are the objects those calls end in, made directly with the package's constructors; the
 * span is {@code SimpleConfigOrigin}'s own merge of two origins. {@code
 * PlainHoconDifferentialTest} compares every value, class and origin with Typesafe's parser. The
 * shade plugin relocates this class with Typesafe's package, as it does {@link QcfgLayerFold}.
 */
public final class QcfgPlainValues {
  private QcfgPlainValues() {}

  /**
   * What {@code ConfigValueFactory.fromAnyRef(plain).withOrigin(origin)} gives, for {@code null},
   * a {@link Boolean}, an {@link Integer}, a {@link Long} or a {@link String} (a quoted string).
   */
  public static ConfigValue scalar(Object plain, ConfigOrigin origin) {
    if (plain == null) {
      return new ConfigNull(origin);
    }
    if (plain instanceof Boolean b) {
      return new ConfigBoolean(origin, b);
    }
    if (plain instanceof Integer i) {
      return new ConfigInt(origin, i, null);
    }
    if (plain instanceof Long l) {
      return new ConfigLong(origin, l, null);
    }
    if (plain instanceof String s) {
      return new ConfigString.Quoted(origin, s);
    }
    throw new IllegalArgumentException("not a plain value: " + plain.getClass().getName());
  }

  /** What {@code ConfigValueFactory.fromIterable(items).withOrigin(origin)} gives. */
  public static ConfigValue list(List<ConfigValue> items, ConfigOrigin origin) {
    List<AbstractConfigValue> values = new ArrayList<>(items.size());
    for (ConfigValue v : items) {
      values.add((AbstractConfigValue) v);
    }
    return new SimpleConfigList(origin, values);
  }

  /** What {@code ConfigValueFactory.fromMap(fields).withOrigin(origin)} gives. */
  public static ConfigObject object(Map<String, ConfigValue> fields, ConfigOrigin origin) {
    Map<String, AbstractConfigValue> values = new HashMap<>(fields.size() * 4 / 3 + 1);
    fields.forEach((k, v) -> values.put(k, (AbstractConfigValue) v));
    return new SimpleConfigObject(origin, values);
  }

  /** The origin of a merge of an object from {@code over} over one from {@code under}. */
  public static ConfigOrigin merged(ConfigOrigin over, ConfigOrigin under) {
    return SimpleConfigOrigin.mergeOrigins(over, under);
  }
}
