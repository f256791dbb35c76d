package io.qcfg.internal.layer;

import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.qcfg.internal.tree.ConfigPaths;
import io.qcfg.internal.tree.LayerKind;
import io.qcfg.internal.tree.Origins;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the leaf paths of the secret layer (as {@link io.qcfg.internal.tree.Leaves#collectLeaves}
 * names them) whose value in the resolved tree is not null and still comes from the secret layer
 * (a higher layer may override one). One walk of both trees side by side: no path is parsed or
 * looked up from the root, and the cost is the secret layer's size, not the tree's.
 *
 * <p>A reload walks again only what changed (issue 19 item 3): a pair of objects met at the same
 * path as in the last scan, the secret layer's and the resolved tree's both the very same objects
 * (trees are immutable, and unchanged subtrees keep their identity through the parse cache and
 * the incremental merge), under equal layer assignments, gives the paths it gave last time.
 *
 * <p>Concurrency: called by the building thread only; the memo is one immutable record behind a
 * volatile field, so a build on another thread later sees a whole one.
 */
final class SecretLayerScan {
  private record Seen(ConfigObject mine, String prefix, List<String> paths) {}

  private record Memo(Map<String, LayerKind> layerOf, IdentityHashMap<ConfigObject, Seen> seen) {}

  private volatile Memo memo;

  /** Adds to {@code out} the paths below {@code secrets} whose winner in {@code resolved} is it. */
  void scan(ConfigObject secrets, ConfigObject resolved, Map<String, LayerKind> layerOf,
      Set<String> out) {
    Memo last = memo;
    IdentityHashMap<ConfigObject, Seen> previous =
        last != null && last.layerOf().equals(layerOf) ? last.seen() : new IdentityHashMap<>();
    IdentityHashMap<ConfigObject, Seen> next = new IdentityHashMap<>();
    List<String> found = new ArrayList<>();
    walk(secrets, resolved, "", layerOf, found, previous, next);
    out.addAll(found);
    memo = new Memo(Map.copyOf(layerOf), next);
  }

  private static void walk(ConfigObject secrets, ConfigObject resolved, String prefix,
      Map<String, LayerKind> layerOf, List<String> out,
      Map<ConfigObject, Seen> previous, Map<ConfigObject, Seen> next) {
    Seen seen = previous.get(resolved);
    if (seen != null && seen.mine() == secrets && seen.prefix().equals(prefix)) {
      out.addAll(seen.paths());
      next.put(resolved, seen);
      return;
    }
    int start = out.size();
    // keySet and get: Typesafe's entrySet builds a HashSet of entries, hashing every value deeply
    for (String key : secrets.keySet()) {
      String path = prefix.isEmpty() ? ConfigPaths.quote(key) : prefix + "." + ConfigPaths.quote(key);
      ConfigValue mine = secrets.get(key);
      ConfigValue won = resolved.get(key);
      if (mine instanceof ConfigObject o && !o.isEmpty()) {
        if (won instanceof ConfigObject wo) { // else no path below exists in the tree
          walk(o, wo, path, layerOf, out, previous, next);
        }
      } else if (won != null && won.valueType() != ConfigValueType.NULL
          && Origins.originOf(won.origin(), layerOf).layer().equals(LayerKind.SECRETS.label())) {
        out.add(path);
      }
    }
    next.put(resolved, new Seen(secrets, prefix, List.copyOf(out.subList(start, out.size()))));
  }
}
