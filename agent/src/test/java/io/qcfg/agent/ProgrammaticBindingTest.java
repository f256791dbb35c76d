package io.qcfg.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.qcfg.ConfigValue;
import io.qcfg.OnConfigChange;
import io.qcfg.Qcfg;
import io.qcfg.internal.engine.Engine;
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

  @Test
  void bindingAnObjectTwiceRegistersItOnceWithItsDeclaredDefaults() throws Exception {
    Files.writeString(tmp.resolve("application.conf"), "greeting.times = 2\n");
    Qcfg.start(Map.of("dir", tmp.toString(), "state", tmp.resolve("state").toString(),
        "watch", "false", "jmx", "false"));
    Greeter g = Qcfg.bind(new Greeter());
    Qcfg.bind(g); // would capture the bound 2 as a "default" if registered again
    assertThat(Engine.running().binder().liveInstances()).isEqualTo(1);

    Files.writeString(tmp.resolve("application.conf"), "other = 1\n");
    Qcfg.reload();
    assertThat(g.times).isEqualTo(1);
    assertThat(g.changes).isEqualTo(1);
  }
}
