package io.qcfg.internal.layer;

import com.typesafe.config.Config;
import io.qcfg.Origin;
import io.qcfg.internal.tree.LayerKind;
import io.qcfg.internal.tree.Origins;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The merged and resolved tree of every layer, before decryption and validation.
 *
 * @param config the resolved tree
 * @param environment the environment it was built for
 * @param secretLayerPaths leaf paths whose winning value came from the secret layer
 * @param files every file read, in layer order
 * @param layerOf for each origin file (display form), its layer
 * @param unresolved the merged tree before its one resolve, null when it had no substitutions
 *     or was not built from layers (history); the secret marker pass resolves it again
 * @param variables the environment variables that substitutions could see
 * @param references every path a substitution names, as written ({@code a.b}, {@code ENV_X})
 */
public record LoadedConfig(
    Config config,
    Environment environment,
    Set<String> secretLayerPaths,
    List<Path> files,
    Map<String, LayerKind> layerOf,
    Config unresolved,
    Map<String, String> variables,
    Set<String> references) {

  /** A tree without its unresolved form (from history). */
  public LoadedConfig(Config config, Environment environment, Set<String> secretLayerPaths,
      List<Path> files, Map<String, LayerKind> layerOf) {
    this(config, environment, secretLayerPaths, files, layerOf, null, Map.of(), Set.of());
  }

  /** The origin of a leaf path. */
  public Origin origin(String path) {
    if (!config.hasPathOrNull(path)) {
      return null;
    }
    return Origins.originOf(config.getValue(path).origin(), layerOf);
  }
}
