package io.qcfg.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13: a library jar whose reference.conf says {@code include "version"} with version.conf
 * beside it (Pekko's layout) made the agent exit 78 (QCFG-1018, "nested more than 16 deep").
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LibraryReferenceConfIT {
  @TempDir Path tmp;

  @Test
  void aReferenceConfIncludingItsSiblingResourceStartsAndIsSeenByQcfgAndTheLibrary()
      throws Exception {
    Path config = Files.createDirectories(tmp.resolve("config"));
    Files.writeString(config.resolve("application.conf"), "app.name = demo\n");
    Path lib = tmp.resolve("library.jar");
    try (OutputStream out = Files.newOutputStream(lib); JarOutputStream jar = new JarOutputStream(out)) {
      jar.putNextEntry(new JarEntry("reference.conf"));
      jar.write("lib { name = library }\ninclude \"version\"\n".getBytes(StandardCharsets.UTF_8));
      jar.putNextEntry(new JarEntry("version.conf"));
      jar.write("lib.version = \"1.2.3\"\n".getBytes(StandardCharsets.UTF_8));
    }
    Path typesafe = Path.of(com.typesafe.config.ConfigFactory.class.getProtectionDomain()
        .getCodeSource().getLocation().toURI());
    String options = "dir=" + config + ",state=" + tmp.resolve("state") + ",watch=false,jmx=false";
    try (AppJvm app = AppJvm.start(options, List.of(), List.of(lib, typesafe), "app.LibraryMain")) {
      assertThat(app.awaitOut("QCFG ")).isEqualTo("QCFG 1.2.3");
      assertThat(app.awaitOut("FIELD ")).isEqualTo("FIELD 1.2.3");
      assertThat(app.awaitOut("LIBRARY ")).isEqualTo("LIBRARY 1.2.3");
      assertThat(app.awaitExit()).isEqualTo(0);
      assertThat(String.join("\n", app.stderr())).doesNotContain("QCFG-1018");
    }
  }
}
