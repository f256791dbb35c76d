package io.qcfg.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status page of a JVM under the agent ({@code http=127.0.0.1:0}), loaded in a real headless
 * Chromium: its DOM has the version, the settings with origins, the secret redacted, and no
 * script at all (the page works with JavaScript off: the diff form is a plain GET form; Chromium's
 * headless dump and screenshot themselves need scripting on, so "off" is proven by the absence
 * of any script); a screenshot is taken (target/status-page.png). Skipped, with the reason,
 * where no Chromium is installed (.ci/run installs Debian's).
 */
@Timeout(180)
class StatusPageBrowserIT {
  private static final String CANARY = "canary-PAGE-77";

  @TempDir Path dir;
  @TempDir Path state;
  @TempDir Path profile;

  static String chromium() {
    for (String c : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser",
        "/usr/bin/google-chrome")) {
      if (Files.isExecutable(Path.of(c))) {
        return c;
      }
    }
    return null;
  }

  private String browse(String chromium, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(chromium, "--headless", "--no-sandbox",
        "--disable-gpu", "--disable-dev-shm-usage", "--user-data-dir=" + profile));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("chromium ends").isTrue();
    return out;
  }

  @Test
  void thePageShowsVersionSettingsAndOriginsWithoutJavaScript() throws Exception {
    String chromium = chromium();
    Assumptions.assumeTrue(chromium != null, "no Chromium installed (.ci/run installs it)");
    Files.writeString(dir.resolve("application.conf"),
        "greeter { greeting = hello, workers = 4 }\ndb { password = \"" + CANARY + "\" }\n");
    try (AppJvm app = AppJvm.start(
        "dir=" + dir + ",state=" + state + ",http=127.0.0.1:0", List.of(), "app.Serve")) {
      app.awaitOut("READY");
      String line = app.awaitErr("status endpoint at http://");
      Matcher m = Pattern.compile("http://(127\\.0\\.0\\.1:\\d+)/").matcher(line);
      assertThat(m.find()).as(line).isTrue();
      String url = "http://" + m.group(1) + "/";

      String dom = browse(chromium, "--dump-dom", url);
      assertThat(dom)
          .contains("<span id=\"version\">1</span>")
          .contains("id=\"settings\"")
          .contains("greeter.greeting")
          .contains("application.conf:1")
          .contains("&lt;redacted&gt;")
          .doesNotContain(CANARY)
          .doesNotContainIgnoringCase("<script");

      Path png = Path.of("target", "status-page.png").toAbsolutePath();
      Files.deleteIfExists(png);
      browse(chromium, "--window-size=1100,800", "--screenshot=" + png, url);
      assertThat(png).exists();
      byte[] bytes = Files.readAllBytes(png);
      assertThat(bytes.length).isGreaterThan(5_000);
      assertThat(new String(bytes, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
    }
  }
}
