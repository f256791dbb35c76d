package io.qcfg.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.qcfg.internal.layer.Environment;
import io.qcfg.internal.layer.LayerStack;
import io.qcfg.internal.snapshot.ConfigSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19 item 4: the sealed tree is rendered on a thread of its own ({@code qcfg-seal}) for the
 * first start's candidate only. A reload renders nothing ahead: under back-to-back reloads a
 * render per reload would be one more thread taking a core from the readers.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SealedAheadOnceTest {
  @TempDir Path dir;

  private LayerStack.Request request(String hot) {
    return new LayerStack.Request(dir, new Environment("development", "option"),
        Map.of("bench.hot", hot), new Properties(), Map.of(), null, null);
  }

  @Test
  void onlyTheBuildAfterSealNextAheadRendersAhead() throws Exception {
    Files.writeString(dir.resolve("application.conf"),
        "bench { hot = 1, name = x }\ndb.password = hunter2\n");
    Pipeline p = new Pipeline(QcfgOptions.defaults(), null, null);
    ConfigSnapshot before = p.build(request("1"));
    p.sealNextAhead();
    ConfigSnapshot first = p.build(request("2"));
    ConfigSnapshot[] reloads = {p.build(request("3")), p.build(request("4"))};

    assertThat(before.sealedRenderedAhead()).isFalse();
    assertThat(first.sealedRenderedAhead()).isTrue();
    for (ConfigSnapshot reload : reloads) {
      assertThat(reload.sealedRenderedAhead()).isFalse();
    }
    // Ahead or in line, the same text.
    assertThat(first.sealedJson()).isEqualTo(p.build(request("2")).sealedJson())
        .contains("\"hot\":2");
  }
}
