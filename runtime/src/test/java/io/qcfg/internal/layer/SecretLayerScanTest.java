package io.qcfg.internal.layer;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import io.qcfg.internal.tree.LayerKind;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The secret-layer scan reuses the last scan's answer for a pair of objects only when both are the
 * very same objects at the same path under equal layer assignments (issue 19 item 3): a changed
 * secret layer over an unchanged tree, or another layer assignment, is scanned again.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SecretLayerScanTest {
  private static Config parse(String text, String file) {
    return ConfigFactory.parseString(text, ConfigParseOptions.defaults().setOriginDescription(file));
  }

  private static Set<String> scan(SecretLayerScan s, Config secrets, Config resolved,
      Map<String, LayerKind> layerOf) {
    Set<String> out = new TreeSet<>();
    s.scan(secrets.root(), resolved.root(), layerOf, out);
    return out;
  }

  @Test
  void reusesOnlyForTheSameObjectsAndLayers() {
    Map<String, LayerKind> layers = Map.of("s.conf", LayerKind.SECRETS, "a.conf", LayerKind.BASE);
    Config base = parse("db { password = p, user = u, host = h }\nother { x = 1 }", "a.conf");
    Config secrets = parse("db { password = x, user = y }", "s.conf");
    Config resolved = secrets.withFallback(base).resolve();
    SecretLayerScan scan = new SecretLayerScan();

    assertThat(scan(scan, secrets, resolved, layers)).containsExactly("db.password", "db.user");
    assertThat(scan(scan, secrets, resolved, layers)).as("the same inputs: the memo")
        .containsExactly("db.password", "db.user");

    // Another secret layer over the very same resolved tree: scanned again, not taken.
    Config fewer = parse("db { password = x }", "s.conf");
    assertThat(scan(scan, fewer, resolved, layers)).containsExactly("db.password");

    // Another layer assignment: the same objects, another answer.
    assertThat(scan(scan, fewer, resolved, Map.of("s.conf", LayerKind.BASE))).isEmpty();
    assertThat(scan(scan, secrets, resolved, layers)).containsExactly("db.password", "db.user");
  }
}
