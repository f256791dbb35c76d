package qcfg.benchmarks;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;

/**
 * What an application does with bare Typesafe Config to get the same tree qcfg builds: parse the
 * five layer files, stack them with {@code withFallback} and resolve. No schema, no origins
 * beyond Typesafe's own, no checksum, no limits, no caches: the floor qcfg is compared with.
 */
final class TypesafeBaseline {
  private TypesafeBaseline() {}

  /** Parses {@link ConfigGenerator#LAYER_FILES} under {@code dir}, highest precedence wins. */
  static Config load(Path dir) {
    Config merged = ConfigFactory.empty();
    for (String file : ConfigGenerator.LAYER_FILES) {
      merged = ConfigFactory.parseFile(dir.resolve(file).toFile()).withFallback(merged);
    }
    return merged.resolve();
  }
}
