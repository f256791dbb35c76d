package io.qcfg.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The default state directory is namespaced by the configuration directory (issue 15 item 11). */
class DefaultStateDirTest {
  @TempDir Path tmp;

  Path stateFor(String dir) {
    return QcfgOptions.resolve(Map.of("dir", dir), new Properties(), Map.of()).state();
  }

  @Test
  void eachConfigurationDirectoryGetsItsOwnDefaultStateDirectory() throws Exception {
    Path a = Files.createDirectories(tmp.resolve("a/config"));
    Path b = Files.createDirectories(tmp.resolve("b/config"));
    Path stateA = stateFor(a.toString());
    assertThat(stateA.getParent()).isEqualTo(Path.of(".qcfg"));
    assertThat(stateA.getFileName().toString()).matches("config-[0-9a-f]{8}");
    assertThat(stateFor(b.toString())).isNotEqualTo(stateA);
    // Another spelling of the same directory (with .., through a symlink) is the same one.
    assertThat(stateFor(tmp.resolve("b/../a/config").toString())).isEqualTo(stateA);
    Path link = Files.createSymbolicLink(tmp.resolve("link"), a);
    assertThat(stateFor(link.toString())).isEqualTo(stateA);
  }

  @Test
  void anExplicitStateDirectoryIsUsedAsGiven() {
    assertThat(QcfgOptions.resolve(Map.of("dir", "x", "state", "/var/lib/app/qcfg"),
        new Properties(), Map.of()).state()).isEqualTo(Path.of("/var/lib/app/qcfg"));
    Properties sys = new Properties();
    sys.setProperty("qcfg.state", "s");
    assertThat(QcfgOptions.resolve(Map.of(), sys, Map.of()).state()).isEqualTo(Path.of("s"));
    assertThat(QcfgOptions.resolve(Map.of(), new Properties(), Map.of("QCFG_STATE", "t")).state())
        .isEqualTo(Path.of("t"));
  }
}
