package io.qcfg.internal.engine;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValueType;
import io.qcfg.QcfgException;
import io.qcfg.internal.Pipeline;
import io.qcfg.internal.bind.FieldBinder;
import io.qcfg.internal.crypto.SecretPaths;
import io.qcfg.internal.history.HistoryEntry;
import io.qcfg.internal.history.HistoryStore;
import io.qcfg.internal.layer.Environment;
import io.qcfg.internal.tree.LayerKind;
import io.qcfg.internal.layer.LoadedConfig;
import io.qcfg.internal.log.Log;
import io.qcfg.internal.snapshot.ConfigSnapshot;
import io.qcfg.internal.tree.Leaves;
import io.qcfg.internal.tree.Origins;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Snapshots from history: for diffs of kept versions ({@link #snapshotAt}), for a rollback and
 * for the start-up fallback ({@link #fromHistory}). One parse of the stored tree serves all.
 */
final class HistoryRestore {
  private final Records records;
  private final Path dir;

  HistoryRestore(Records records, Path dir) {
    this.records = records;
    this.dir = dir;
  }

  /** The entry of {@code version}. @throws QcfgException.Refused when it is not kept */
  HistoryEntry entry(long version, String what) {
    HistoryStore h = records.history();
    if (h == null) {
      throw new QcfgException.Refused("QCFG-1603", what + " refused: history is not available");
    }
    return h.get(version).orElseThrow(() -> new QcfgException.Refused("QCFG-1604",
        what + " refused: version " + version + " is not in history (kept: "
            + Records.describeKept(h) + ")"));
  }

  /**
   * The snapshot of a kept version as it was stored, without validation: secrets stay sealed, so
   * they show redacted (for diffs).
   */
  ConfigSnapshot snapshotAt(long version) {
    HistoryEntry e = entry(version, "version " + version);
    String origin = origin(e);
    Config tree = parse(e);
    Set<String> leaves = new TreeSet<>();
    Leaves.collectLeaves(tree.root(), "", (p, v) -> leaves.add(p));
    SecretPaths secrets = SecretPaths.of(sealedPaths(tree), Set.of(), List.of()).withLeaves(leaves);
    return new ConfigSnapshot(tree, e.provenance(), Map.of(origin, LayerKind.HISTORY),
        secrets::isSecret, Set.of(), Set.of(), tree);
  }

  /**
   * Rebuilds a candidate from a history entry and validates it against today's schema, rules and
   * bound fields; sealed secrets are re-read from the secret layer.
   *
   * @throws QcfgException.Invalid when it no longer validates
   */
  ConfigSnapshot fromHistory(HistoryEntry entry, Pipeline pipeline, FieldBinder.BoundFields bound) {
    return pipeline.fromLoaded(loaded(entry, pipeline), dir, bound);
  }

  /**
   * The fast start (issue 16): the entry of the active version, whose inputs are known to be
   * unchanged, with its sealed secrets re-read as {@link #fromHistory} does, but not validated
   * again (see {@link Pipeline#fromValidated}).
   */
  ConfigSnapshot fromValidated(HistoryEntry entry, Pipeline pipeline,
      FieldBinder.BoundFields bound, List<String> secretPatterns) {
    return pipeline.fromValidated(loaded(entry, pipeline), dir, bound, secretPatterns);
  }

  private LoadedConfig loaded(HistoryEntry entry, Pipeline pipeline) {
    String origin = origin(entry);
    Config tree = parse(entry);
    List<String> sealed = sealedPaths(tree);
    Set<String> secretPaths = new TreeSet<>();
    if (!sealed.isEmpty()) { // no secret in history: the secret layer is not read
      tree = withSecrets(tree, sealed, pipeline.secretLayer(dir), secretPaths, entry.version());
    }
    Environment env = new Environment(entry.environment(), entry.environmentSource());
    Map<String, LayerKind> layerOf = new HashMap<>();
    layerOf.put(origin, LayerKind.HISTORY);
    for (String p : secretPaths) {
      layerOf.put(Origins.fileOf(tree.getValue(p).origin()), LayerKind.SECRETS);
    }
    return new LoadedConfig(tree, env, secretPaths, List.of(), Map.copyOf(layerOf));
  }

  /**
   * {@code tree} with its {@code sealed} leaves replaced by the values of the secret layer (the
   * paths that got one go into {@code restored}), or left out with QCFG-1507 when the layer has
   * none. When the layer holds exactly values for sealed leaves (the usual case) one merge does
   * it: a {@code withValue} per secret copied the objects above it each time, thousands of times
   * on the fast restart of a large tree (issue 16).
   */
  static Config withSecrets(Config tree, List<String> sealed, Config secrets,
      Set<String> restored, long version) {
    Set<String> sealedSet = new java.util.HashSet<>(sealed);
    List<String> given = new ArrayList<>();
    boolean[] plain = {true}; // every value of the layer is a scalar or list at a sealed leaf
    Leaves.collectLeaves(secrets.root(), "", (path, v) -> {
      given.add(path);
      plain[0] &= sealedSet.contains(path) && v.valueType() != ConfigValueType.NULL
          && v.valueType() != ConfigValueType.OBJECT;
    });
    if (!plain[0]) {
      return withSecretsOneByOne(tree, sealed, secrets, restored, version);
    }
    Set<String> givenSet = new java.util.HashSet<>(given);
    for (String path : sealed) {
      if (!givenSet.contains(path)) {
        tree = tree.withoutPath(path);
        leftOut(path, version);
      }
    }
    restored.addAll(given);
    return secrets.withFallback(tree);
  }

  /** {@link #withSecrets} one path at a time, for any shape of secret layer. */
  static Config withSecretsOneByOne(Config tree, List<String> sealed, Config secrets,
      Set<String> restored, long version) {
    for (String path : sealed) {
      if (secrets.hasPath(path)) {
        tree = tree.withValue(path, secrets.getValue(path));
        restored.add(path);
      } else {
        tree = tree.withoutPath(path);
        leftOut(path, version);
      }
    }
    return tree;
  }

  private static void leftOut(String path, long version) {
    Log.warn("QCFG-1507: " + path + " was a secret in version " + version
        + " and is no longer in the secret layer; it is left out");
  }

  /** The newest kept entry, or null. */
  HistoryEntry latest() {
    HistoryStore h = records.history();
    return h == null ? null : h.latest().orElse(null);
  }

  private static String origin(HistoryEntry e) {
    return "history version " + e.version();
  }

  private static Config parse(HistoryEntry e) {
    return ConfigFactory.parseString(e.tree(),
        ConfigParseOptions.defaults().setSyntax(ConfigSyntax.JSON).setOriginDescription(origin(e)));
  }

  static List<String> sealedPaths(Config tree) {
    List<String> out = new ArrayList<>();
    Leaves.collectLeaves(tree.root(), "", (path, v) -> {
      if (holdsSealed(v)) {
        out.add(path);
      }
    });
    return out;
  }

  // A sealed leaf, or a list with a sealed secret inside (servers.0.password): the leaf is
  // restored whole from the secret layer, or left out.
  private static boolean holdsSealed(com.typesafe.config.ConfigValue v) {
    if (v instanceof com.typesafe.config.ConfigList list) {
      for (com.typesafe.config.ConfigValue item : list) {
        if (holdsSealed(item)) {
          return true;
        }
      }
      return false;
    }
    if (v instanceof com.typesafe.config.ConfigObject obj) {
      for (com.typesafe.config.ConfigValue child : obj.values()) {
        if (holdsSealed(child)) {
          return true;
        }
      }
      return false;
    }
    return ConfigSnapshot.SEALED.equals(v.unwrapped());
  }
}
