package io.qcfg.internal.engine;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
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
    return new ConfigSnapshot(tree, e.version(), e.checksum(), e.environment(),
        e.environmentSource(), e.createdAt(), e.cause(), Map.of(origin, LayerKind.HISTORY),
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
    Config secrets = pipeline.secretLayer(dir);
    Set<String> secretPaths = new TreeSet<>();
    for (String path : sealedPaths(tree)) {
      if (secrets.hasPath(path)) {
        tree = tree.withValue(path, secrets.getValue(path));
        secretPaths.add(path);
      } else {
        tree = tree.withoutPath(path);
        Log.warn("QCFG-1507: " + path + " was a secret in version " + entry.version()
            + " and is no longer in the secret layer; it is left out");
      }
    }
    Environment env = new Environment(entry.environment(), entry.environmentSource());
    Map<String, LayerKind> layerOf = new HashMap<>();
    layerOf.put(origin, LayerKind.HISTORY);
    for (String p : secretPaths) {
      layerOf.put(Origins.fileOf(tree.getValue(p).origin()), LayerKind.SECRETS);
    }
    return new LoadedConfig(tree, env, secretPaths, List.of(), Map.copyOf(layerOf));
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

  private static List<String> sealedPaths(Config tree) {
    List<String> out = new ArrayList<>();
    Leaves.collectLeaves(tree.root(), "", (path, v) -> {
      if (ConfigSnapshot.SEALED.equals(v.unwrapped())) {
        out.add(path);
      }
    });
    return out;
  }
}
