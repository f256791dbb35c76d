package io.qcfg.internal.snapshot;

import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A value as the start tree's file holds it (kind, plain payload, origin), made into a Typesafe value only
 * when a caller asks for it: a fast restart's readers and bound fields touch few of them.
 * Immutable.
 */
record StartTreeValue(byte kind, Object payload, String text, long origin,
    StartTreeOrigins origins) implements Leaf.Source {
  @Override
  public ConfigValue make() {
    ConfigOrigin o = origins.get(origin);
    return switch (kind) {
      case StartTree.INT, StartTree.LONG, StartTree.DOUBLE ->
          StartTreeNumbers.of((Number) payload, o, text);
      case StartTree.LIST -> {
        List<ConfigValue> items = new ArrayList<>();
        for (Object e : (List<?>) payload) {
          items.add(((StartTreeValue) e).make());
        }
        yield ConfigValueFactory.fromIterable(items).withOrigin(o);
      }
      case StartTree.OBJECT -> {
        Map<String, ConfigValue> fields = new LinkedHashMap<>();
        ((Map<?, ?>) payload).forEach((k, v) -> fields.put((String) k, ((StartTreeValue) v).make()));
        yield ConfigValueFactory.fromMap(fields).withOrigin(o);
      }
      default -> ConfigValueFactory.fromAnyRef(payload).withOrigin(o);
    };
  }

  /** What {@link Leaf#plain()} holds for this value. */
  Object plain() {
    return kind == StartTree.LIST || kind == StartTree.OBJECT ? null : payload;
  }

  Leaf leaf() {
    return Leaf.lazy(plain(), kind == StartTree.NULL, this);
  }
}
