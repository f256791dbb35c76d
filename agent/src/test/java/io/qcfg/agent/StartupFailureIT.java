package io.qcfg.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What stops an application at start-up, and what only gets reported. */
class StartupFailureIT {
  @TempDir Path tmp;

  String options() {
    return "dir=" + tmp.resolve("config") + ",state=" + tmp.resolve("state")
        + ",watch=false,jmx=false";
  }

  void config(String text) throws IOException {
    Files.createDirectories(tmp.resolve("config"));
    Files.writeString(tmp.resolve("config/application.conf"), text);
  }

  @Test
  void anUnknownOptionNamesItListsTheValidOnesAndExits78BeforeMain() throws Exception {
    config("s.int = 1\n");
    try (AppJvm app = AppJvm.start("bogus=1," + options(), List.of(), "app.Hello")) {
      assertThat(app.awaitExit()).isEqualTo(78);
      assertThat(String.join("\n", app.stderr()))
          .contains("unknown option 'bogus'")
          .contains("valid options: dir, env, state, watch, jmx, key, packages")
          .contains("QCFG-0001")
          .contains("exiting with status 78");
      assertThat(app.stdout()).doesNotContain("hello");
    }
  }

  @Test
  void aMalformedOptionIsAUsageErrorToo() throws Exception {
    config("s.int = 1\n");
    try (AppJvm app = AppJvm.start(options() + ",history=lots", List.of(), "app.Hello")) {
      assertThat(app.awaitExit()).isEqualTo(78);
      assertThat(String.join("\n", app.stderr()))
          .contains("option history: expected a whole number from 1 to 100000, found 'lots'")
          .contains("QCFG-0001");
      assertThat(app.stdout()).doesNotContain("hello");
    }
  }

  @Test
  void anInvalidConfigurationExits78WithTheReasons() throws Exception {
    config("s.int = 1\ns.string = {\n");
    try (AppJvm app = AppJvm.start(options(), List.of(), "app.Main")) {
      assertThat(app.awaitExit()).isEqualTo(78);
      assertThat(String.join("\n", app.stderr()))
          .contains("QCFG-1500")
          .contains("application.conf:")
          .contains("exiting with status 78");
      assertThat(app.stdout()).noneMatch(l -> l.startsWith("READY"));
    }
  }

  @Test
  void aRequiredPathMissingAtStartUpExits78NamingFieldAndPath() throws Exception {
    config("other = 1\n");
    try (AppJvm app = AppJvm.start(options(), List.of(), "app.RequiredMain")) {
      assertThat(app.awaitExit()).isEqualTo(78);
      assertThat(String.join("\n", app.stderr()))
          .contains("QCFG-5016: app.Required cannot be bound to the configuration at start-up")
          .contains("needed.url: required by field app.Required.url, but missing [QCFG-5003]")
          .contains("exiting with status 78");
      assertThat(app.stdout()).noneMatch(l -> l.startsWith("READY"));
    }
  }

  @Test
  void onceBoundARequiredPathCannotBeRemoved() throws Exception {
    config("needed.url = \"jdbc:one\"\n");
    try (AppJvm app = AppJvm.start(options(), List.of(), "app.RequiredMain")) {
      assertThat(app.awaitOut("READY")).isEqualTo("READY url=jdbc:one");
      config("other = 2\n");
      assertThat(app.command("reload"))
          .singleElement()
          .asString()
          .startsWith("ERR")
          .contains("needed.url: required by field app.Required.url, but missing [QCFG-5003]");
      assertThat(app.command("print")).containsExactly("url=jdbc:one");
    }
  }
}
