package io.qcfg.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An {@code @OnConfigChange} method that never returns holds neither the applier nor the
 * application: later file edits still reach fields and {@code Qcfg.current()}, and qcfg says
 * which listener is stuck (QCFG-1403) once the callback time limit has passed.
 */
@Timeout(120)
class HangingCallbackIT {
  @TempDir Path tmp;

  @Test
  void editsStillApplyWhileAListenerHangs() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("config"));
    write(dir, "hang { value = one, mode = fine }\n");
    try (AppJvm app = AppJvm.start("dir=" + dir + ",state=" + tmp.resolve("state")
        + ",env=development,jmx=false,watch=poll:100ms", List.of(), "app.HangMain")) {
      app.awaitOut("READY value=one");
      write(dir, "hang { value = two, mode = stuck }\n");
      app.awaitOut("LISTENER mode=stuck"); // the listener now hangs for good
      app.awaitOut("SEEN value=two current=two");
      write(dir, "hang { value = three, mode = stuck }\n");
      app.awaitOut("SEEN value=three current=three");
      write(dir, "hang { value = four, mode = fine }\n");
      app.awaitOut("SEEN value=four current=four");
      assertThat(app.awaitErr("QCFG-1403"))
          .contains("@OnConfigChange app.HangMain.changed")
          .contains("has not returned");
    }
  }

  private static void write(Path dir, String text) throws Exception {
    Path t = dir.resolve("application.conf.tmp");
    Files.writeString(t, text);
    Files.move(t, dir.resolve("application.conf"), StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
  }
}
