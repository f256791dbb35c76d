package io.qcfg.internal.snapshot;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One walk over a start tree's verified bytes that makes its Typesafe tree, on demand: keys in
 * the file's order, each leaf's value the table's leaf value (so a leaf's value is the tree's
 * value object), a sealed leaf's the live one or, for history's form, the seal. A walk per
 * call, so racing readers never wait for each other: each makes an equal tree, and the snapshot
 * keeps the first ({@link ConfigSnapshot}'s lazy tree).
 */
final class StartTreeWalk {
  private final StartTreeBytes in;
  private final StartTreeOrigins origins;
  private final Leaf[] leaves; // in walk order
  private final boolean sealed;
  private int next;

  StartTreeWalk(StartTreeBytes in, StartTreeOrigins origins, Leaf[] leaves, boolean sealed) {
    this.in = in;
    this.origins = origins;
    this.leaves = leaves;
    this.sealed = sealed;
  }

  Config root(long origin) {
    ConfigObject root = object(origin);
    return (root != null ? root : ConfigValueFactory.fromMap(Map.of())
        .withOrigin(origins.get(origin))).toConfig();
  }

  // Null for an empty object: the table holds it as a leaf.
  private ConfigObject object(long origin) {
    int n = in.count();
    if (n == 0) {
      return null;
    }
    Map<String, ConfigValue> out = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      int head = in.varint();
      int at = in.skip(head >>> 1);
      String key = (head & 1) == 0
          ? new String(in.array(), at, head >>> 1, StandardCharsets.UTF_8) : in.string();
      int kindAndFlags = in.get();
      int kind = kindAndFlags & StartTree.KIND;
      long o = StartTreeReader.origin(in, origins);
      ConfigValue v = kind == StartTree.OBJECT ? object(o) : null;
      if (v == null) {
        Leaf leaf = leaves[next++];
        if (kind == StartTree.SEALED) {
          v = sealed ? ConfigValueFactory.fromAnyRef(ConfigSnapshot.SEALED)
              .withOrigin(origins.get(o)) : leaf.value();
        } else {
          if (kind != StartTree.OBJECT) {
            StartTreeReader.skip(in, origins, kindAndFlags); // the leaf holds it
          }
          v = leaf.value();
        }
      }
      out.put(key, v);
    }
    return ConfigValueFactory.fromMap(out).withOrigin(origins.get(origin));
  }
}
