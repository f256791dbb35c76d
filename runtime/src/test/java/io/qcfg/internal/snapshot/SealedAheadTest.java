package io.qcfg.internal.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 16: the first start's candidate renders its sealed tree on a thread of its own while the
 * applier validates; what the history check then gets is the same text as rendered in line.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SealedAheadTest {
  static ConfigSnapshot candidate() {
    Config c = ConfigFactory.parseString(
        "db { password = hunter2, url = \"jdbc:x\" }, key = \"ENC[v1:k:abc]\", n = [1, 2.50]");
    return new ConfigSnapshot(c, new Provenance(0, Canonical.checksum(c.root()), "production",
        "option", Instant.parse("2026-12-04T10:00:00Z"), "candidate"), Map.of(),
        p -> p.equals("db.password") || p.equals("key"), Set.of("key"), Set.of(), c);
  }

  @Test
  void renderedAheadItIsTheTextRenderedInLine() {
    ConfigSnapshot ahead = candidate();
    ahead.renderSealedAhead();
    String inLine = candidate().sealedJson();
    assertThat(ahead.sealedJson()).isEqualTo(inLine).isEqualTo(ahead.sealedJson())
        .contains(ConfigSnapshot.SEALED).contains("ENC[v1:k:abc]").doesNotContain("hunter2");
  }
}
