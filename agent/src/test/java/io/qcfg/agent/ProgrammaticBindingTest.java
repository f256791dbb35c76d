package io.qcfg.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.qcfg.ConfigValue;
import io.qcfg.OnConfigChange;
import io.qcfg.Qcfg;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Qcfg.start and Qcfg.bind give code without the agent the same binding. */
class ProgrammaticBindingTest {
  @TempDir Path tmp;

  static class Greeter {
    @ConfigValue("greeting.text") String text = "hello";
    @ConfigValue("greeting.times") int times = 1;
    int changes;

    @OnConfigChange
    void changed() {
      changes++;
    }
  }

  @AfterEach
  void stop() {
    Qcfg.stop();
  }

  @Test
  void startThenBindFollowsChanges() throws Exception {
    Files.writeString(tmp.resolve("application.conf"), "greeting.text = hi\n");
    Qcfg.start(Map.of("dir", tmp.toString(), "state", tmp.resolve("state").toString(),
        "watch", "false", "jmx", "false"));
    Greeter g = Qcfg.bind(new Greeter());
    assertThat(g.text).isEqualTo("hi");
    assertThat(g.times).isEqualTo(1); // missing path: declared default

    Qcfg.setOverride("greeting.times", "3");
    assertThat(g.times).isEqualTo(3);
    assertThat(g.changes).isEqualTo(1);

    Qcfg.clearOverride("greeting.times");
    assertThat(g.times).isEqualTo(1);
    assertThat(g.text).isEqualTo("hi");
  }
}
