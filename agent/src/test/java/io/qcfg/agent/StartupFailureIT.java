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
  void anInvalidConfigurationExitsThroughSystemExitSoShutdownHooksRun() throws Exception {
    config("needed.url = {\n");
    try (AppJvm app = AppJvm.start(options(), List.of(), "app.HookMain")) {
      assertThat(app.awaitExit()).isEqualTo(78);
      assertThat(app.stdout()).contains("HOOK RAN").noneMatch(l -> l.startsWith("READY"));
      assertThat(String.join("\n", app.stderr())).contains("QCFG-1500");
    }
  }

  @Test
  void onInvalidStartContinueRunsOnDeclaredDefaultsAndAppliesTheFixedFiles() throws Exception {
    config("needed.url = {\n");
    try (AppJvm app =
        AppJvm.start(options() + ",on-invalid-start=continue", List.of(), "app.RequiredMain")) {
      assertThat(app.awaitOut("READY")).isEqualTo("READY url=unset");
      assertThat(String.join("\n", app.stderr())).contains("QCFG-1500").contains("QCFG-1513");
      config("needed.url = \"jdbc:fixed\"\n");
      assertThat(app.command("reload")).containsExactly("OK 1");
      assertThat(app.command("print")).containsExactly("url=jdbc:fixed");
    }
  }

  /** Issue 14 defect 4: this used to halt the JVM (Runtime.halt(78)) while main was running. */
  @Test
  void aRequiredPathMissingAtStartUpIsReportedNamingFieldAndPathAndTheApplicationRuns()
      throws Exception {
    config("other = 1\n");
    try (AppJvm app = AppJvm.start(options(), List.of(), "app.RequiredMain")) {
      assertThat(app.awaitOut("READY")).isEqualTo("READY url=unset");
      assertThat(String.join("\n", app.stderr()))
          .contains("QCFG-5016: app.Required cannot be bound to the configuration at start-up")
          .contains("needed.url: required by field app.Required.url, but missing [QCFG-5003]")
          .doesNotContain("exiting with status 78");
      assertThat(app.command("print")).containsExactly("url=unset");
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
