package io.qcfg.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packages option limits which classes the agent touches. */
class PackagesIT {
  @TempDir Path tmp;

  @Test
  void onlyClassesInTheListedPackagesAreInstrumented() throws Exception {
    Files.createDirectories(tmp.resolve("config"));
    Files.writeString(tmp.resolve("config/application.conf"), "s { string = bound, int = 7 }\n");
    String options =
        "dir=" + tmp.resolve("config") + ",state=" + tmp.resolve("state")
            + ",watch=false,jmx=false,packages=app.inside:com.example";
    try (AppJvm app = AppJvm.start(options, List.of(), "app.PackagesMain")) {
      app.awaitOut("END");
      assertThat(app.stdout())
          .containsExactly(
              "in.text=bound",
              "in.number=7",
              "in.volatile=true",
              "out.text=declared",
              "out.number=-1",
              "out.volatile=false",
              "END");
    }
  }
}
