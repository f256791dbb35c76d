package io.qcfg.internal.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.qcfg.Qcfg;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Readers do not start cold after a reload (issue 19 item 4): lookups need no per-snapshot cache,
 * and a conversion memoised for a leaf carries over to the next snapshot when the leaf's value
 * did not change, but not when it did.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LookupCarryOverTest {
  @TempDir Path dir;

  @Test
  void memoisedConversionsOfUnchangedLeavesSurviveAReload() throws Exception {
    Path app = dir.resolve("application.conf");
    Files.writeString(app, "a.timeout = 30s\nb.timeout = 5s\nport = 8080\nname = x\n");
    Qcfg.start(Map.of("dir", dir.toString(), "state", dir.resolve("state").toString(),
        "watch", "false", "jmx", "false"));
    try {
      ConfigSnapshot first = (ConfigSnapshot) Qcfg.current();
      assertThat(first.getDuration("a.timeout")).isEqualTo(Duration.ofSeconds(30));
      assertThat(first.getDuration("b.timeout")).isEqualTo(Duration.ofSeconds(5));

      Files.writeString(app, "a.timeout = 30s\nb.timeout = 7s\nport = 8081\nname = y\n");
      ConfigSnapshot second = (ConfigSnapshot) Qcfg.reload();

      assertThat(second.version()).isGreaterThan(first.version());
      assertThat(second.leaves().get("a.timeout").memo(Duration.class))
          .as("unchanged leaf: carried over").isEqualTo(Duration.ofSeconds(30));
      assertThat(second.leaves().get("b.timeout").memo(Duration.class))
          .as("changed leaf: converted anew").isNull();
      assertThat(second.getDuration("b.timeout")).isEqualTo(Duration.ofSeconds(7));
      assertThat(second.getInt("port")).isEqualTo(8081);
      assertThat(second.getString("name")).isEqualTo("y");
      assertThat(second.getLong("port")).isEqualTo(8081L);
      assertThat(second.getDouble("port")).isEqualTo(8081.0);
      assertThat(first.getInt("port")).as("the old snapshot is untouched").isEqualTo(8080);
      assertThat(second.getDuration("\"a\".timeout")).as("another spelling")
          .isEqualTo(Duration.ofSeconds(30));
      assertThat(second.getInt("\"port\"")).isEqualTo(8081);
    } finally {
      Qcfg.stop();
    }
  }
}
