package io.qcfg.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qcfg.QcfgException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading qcfg into a JVM that started without it (the CLI's attach verb). */
class AttachIT {
  @TempDir Path tmp;

  @Test
  void attachBindsLoadedStaticsAndNewObjectsButNotOldObjects() throws Exception {
    Path good = tmp.resolve("good");
    Path broken = tmp.resolve("broken");
    Files.createDirectories(good);
    Files.createDirectories(broken);
    Files.writeString(good.resolve("application.conf"), "s { string = attached, int = 5 }\n");
    Files.writeString(broken.resolve("application.conf"), "s { string = \n");
    String jar = AppJvm.jar().toString();
    String pid;
    try (AppJvm app = AppJvm.start(null, List.of(), "app.AttachMain")) {
      assertThat(app.awaitOut("READY")).isEqualTo("READY declared -1");
      pid = Long.toString(app.pid());

      // An invalid configuration is reported to the caller; the target keeps running as it was.
      assertThatThrownBy(
              () -> Attacher.attach(pid, jar, "dir=" + broken + ",state=" + tmp.resolve("s1")
                  + ",watch=false,jmx=false"))
          .isInstanceOf(QcfgException.Refused.class)
          .hasMessageContaining("QCFG-5022")
          .hasMessageContaining("qcfg did not start")
          .hasMessageContaining("application.conf:");
      assertThat(app.values("print"))
          .containsEntry("static", "declared")
          .containsEntry("after", "-1");

      String result =
          Attacher.attach(
              pid, jar, "dir=" + good + ",state=" + tmp.resolve("s2") + ",watch=false,jmx=false");
      assertThat(result)
          .startsWith("ok: attached at version 1")
          // app.Early, and app.LimitRule, which qcfg's own first build loaded as a rule
          .contains("2 loaded classes with static bindings bound")
          .contains("1 constructors retransformed");
      assertThat(app.values("print"))
          .containsEntry("static", "attached")
          .containsEntry("before", "-1") // out of reach: created before the attach
          .containsEntry("after", "5");

      assertThat(app.command("set s.int 6")).containsExactly("OK 2");
      assertThat(app.values("print"))
          .containsEntry("static", "attached")
          .containsEntry("before", "-1")
          .containsEntry("after", "6");

      // A second attach finds qcfg running and changes nothing.
      assertThat(Attacher.attach(pid, jar, "")).startsWith("ok: already running, version 2");
    }
  }
}
