package io.qcfg.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 item 3 in real JVMs under the agent: the trace shows the fast path, or which input
 * kept it from being taken; a changed environment variable that a {@code ${?X}} substitution reads
 * defeats it; a library whose class-path defaults change without its reference.conf changing is
 * caught by the full build after the fast start, applied, and said (QCFG-1531); a plain secret
 * file is read on the fast path without Typesafe's parser, never printed, and an edit of it is
 * picked up; files older than the racy margin are not read at an unchanged restart (the stat
 * pre-check), and an edit that keeps their size and time, in place or by rename, is found.
 */
@Timeout(300)
class FastStartIT {
  static final String FAST = "fast path: inputs unchanged";

  @TempDir Path tmp;

  private String options(Path dir) {
    return "dir=" + dir + ",state=" + tmp.resolve("state") + ",env=development,jmx=false"
        + ",trace=startup";
  }

  private static String err(AppJvm app) {
    return String.join("\n", app.stderr());
  }

  @Test
  void theTraceShowsTheFastPathAndWhyItWasNotTaken() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("config"));
    Files.writeString(dir.resolve("application.conf"), "s { int = 80, string = seven }\n");
    try (AppJvm app = AppJvm.start(options(dir), List.of(), "app.FirstUse")) {
      assertThat(app.awaitExit()).isZero();
      assertThat(err(app)).contains("fast path: not taken: no fingerprint");
    }
    try (AppJvm app = AppJvm.start(options(dir), List.of(), "app.FirstUse")) {
      assertThat(app.awaitExit()).isZero();
      assertThat(app.stdout()).contains("value=seven");
      assertThat(err(app)).contains(FAST, "QCFG-1533").doesNotContain("fast path: not taken");
    }
    Files.writeString(dir.resolve("application.conf"), "s { int = 80, string = eight }\n");
    try (AppJvm app = AppJvm.start(options(dir), List.of(), "app.FirstUse")) {
      assertThat(app.awaitExit()).isZero();
      assertThat(app.stdout()).contains("value=eight");
      assertThat(err(app)).contains(
          "fast path: not taken: the configuration file application.conf changed");
    }
  }

  @Test
  void theFullBuildAfterAFastStartWaitsForTheApplicationsClassLoading() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("config"));
    Files.writeString(dir.resolve("application.conf"), "s { int = 80, string = seven }\n");
    try (AppJvm app = AppJvm.start(options(dir), List.of(), "app.FirstUse")) {
      assertThat(app.awaitExit()).isZero(); // a full start keeps the fingerprint
    }
    try (AppJvm app = AppJvm.start(options(dir), List.of("-Dqcfg.log=debug"),
        "app.ClassLoadsMain", "400")) {
      app.awaitOut("loaded=400");
      String queued = app.awaitErr("start-up check: the full build is queued");
      // The agent's transformer counted the application's loads after the publish (the fresh
      // loaders' classes and Leaf's): the wait saw the application at work.
      Matcher m = Pattern.compile("the application loaded (\\d+) classes").matcher(queued);
      assertThat(m.find()).as(queued).isTrue();
      assertThat(Integer.parseInt(m.group(1))).as(queued).isPositive();
      assertThat(err(app)).contains(FAST, "QCFG-1533");
    }
  }

  @Test
  void aPlainSecretFileIsReadWithoutTypesafesParserNeverPrintedAndAnEditIsPickedUp()
      throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("config"));
    Files.writeString(dir.resolve("application.conf"), "s { int = 80, string = seven }\n");
    Files.createDirectories(dir.resolve("secrets"));
    String plain = "# from the vault\ns {\n  string = \"pl41n-s3cret\"\n}\nother.lease = 33s\n";
    Files.writeString(dir.resolve("secrets/extra.conf"), plain);
    for (String[] run : new String[][] {{"pl41n-s3cret", "not taken: no fingerprint"},
        {"pl41n-s3cret", FAST}, {"n3w-s3cret",
            "fast path: not taken: the configuration file secrets/extra.conf changed"},
        {"n3w-s3cret", FAST}}) {
      if (run[0].startsWith("n3w")) {
        Files.writeString(dir.resolve("secrets/extra.conf"), plain.replace("pl41n", "n3w"));
      }
      try (AppJvm app = AppJvm.start(options(dir), List.of(), "app.FirstUse")) {
        assertThat(app.awaitExit()).isZero();
        assertThat(app.stdout()).contains("value=" + run[0]); // the application's own print
        assertThat(err(app)).contains(run[1]).doesNotContain("pl41n-s3cret", "n3w-s3cret");
        if (run[1].equals(FAST)) { // read before the publish, without Typesafe's parser
          assertThat(err(app)).containsPattern("plain parse \\S*secrets/extra.conf");
        }
      }
    }
  }

  @Test
  void settledFilesAreNotReadAtAnUnchangedRestartAndEditsKeepingSizeAndTimeAreFound()
      throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.FileSystems.getDefault()
        .supportedFileAttributeViews().contains("unix"));
    Path dir = Files.createDirectories(tmp.resolve("config"));
    Path conf = Files.writeString(dir.resolve("application.conf"),
        "s { int = 80, string = seven }\n");
    Files.createDirectories(dir.resolve("secrets"));
    Files.writeString(dir.resolve("secrets/db.password"), "s3cret");
    String noneRead = "fast path: inputs (digest: 0 of 2 files read)";
    settled(dir);
    firstUse(dir, "seven", "fast path: not taken: no fingerprint");
    firstUse(dir, "seven", FAST, noneRead);
    // In place, the same size, the modification time put back (touch -d): the status-change time
    // differs. Then replaced by rename, the same size and time: another inode. Each waits for the
    // racy margin first, so that the full build that finds it keeps the file's identity.
    java.nio.file.attribute.FileTime time = Files.getLastModifiedTime(conf);
    Files.writeString(conf, "s { int = 80, string = eight }\n");
    Files.setLastModifiedTime(conf, time);
    settled(dir);
    String changed = "fast path: not taken: the configuration file application.conf changed";
    firstUse(dir, "eight", changed, "fast path: inputs (digest: 1 of 2 files read)");
    Path next = Files.writeString(tmp.resolve("application.conf.new"),
        "s { int = 80, string = sixty }\n");
    Files.setLastModifiedTime(next, time);
    Files.move(next, conf, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    settled(dir);
    firstUse(dir, "sixty", changed);
    firstUse(dir, "sixty", FAST, noneRead);
  }

  /** Runs app.FirstUse once: it prints {@code value}, and its stderr holds each of {@code seen}. */
  private void firstUse(Path dir, String value, String... seen) throws Exception {
    try (AppJvm app = AppJvm.start(options(dir), List.of(), "app.FirstUse")) {
      assertThat(app.awaitExit()).isZero();
      assertThat(app.stdout()).contains("value=" + value);
      assertThat(err(app)).contains(seen);
    }
  }

  /** Waits until the clock is past every file's times by qcfg's racy margin (3 s) and a little. */
  private static void settled(Path dir) throws Exception {
    long newest = 0;
    try (var files = Files.walk(dir)) {
      for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        newest = Math.max(newest, ((java.nio.file.attribute.FileTime) Files.getAttribute(f,
            "unix:ctime")).toMillis()); // never before the modification time here
      }
    }
    long after = newest + 3_200;
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(15))
        .pollInterval(java.time.Duration.ofMillis(100))
        .until(() -> System.currentTimeMillis() > after);
  }

  @Test
  void aChangedSubstitutedEnvironmentVariableDefeatsTheFastPath() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("config"));
    Files.writeString(dir.resolve("application.conf"),
        "s { int = 80, string = seven }\ns.string = ${?GREETING}\n");
    for (String[] run : new String[][] {{"hello", "not taken"}, {"hello", FAST},
        {"bye", "fast path: not taken: the input 'substituted environment variables' changed"},
        {"bye", FAST}}) {
      try (AppJvm app = AppJvm.startWithEnv(Map.of("GREETING", run[0]), options(dir), List.of(),
          "app.FirstUse")) {
        assertThat(app.awaitExit()).isZero();
        assertThat(app.stdout()).contains("value=" + run[0]);
        assertThat(err(app)).contains(run[1]);
      }
    }
  }

  @Test
  void changedLibraryDefaultsBehindAnUnchangedReferenceConfAreAppliedAndSaid() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("config"));
    Files.writeString(dir.resolve("application.conf"), "app.name = demo\n");
    // A class-path directory: reference.conf includes version.conf beside it (Pekko's layout).
    Path classes = Files.createDirectories(tmp.resolve("library-classes"));
    Files.writeString(classes.resolve("reference.conf"),
        "lib { name = library }\ninclude \"version\"\n");
    Files.writeString(classes.resolve("version.conf"), "lib.version = \"1.2.3\"\n");
    String opts = options(dir) + ",watch=false";
    try (AppJvm app = AppJvm.start(opts, List.of(), List.of(classes), "app.FastStartMain",
        "lib.version")) {
      assertThat(app.awaitOut("VALUE ")).isEqualTo("VALUE 1.2.3");
      app.command("exit");
      assertThat(app.awaitExit()).isZero();
    }
    // The included resource changes, reference.conf itself does not: the fast path is taken,
    // and the full build behind it finds the new value, applies it and says so.
    Files.writeString(classes.resolve("version.conf"), "lib.version = \"1.2.4\"\n");
    try (AppJvm app = AppJvm.start(opts, List.of(), List.of(classes), "app.FastStartMain",
        "lib.version")) {
      assertThat(app.awaitOut("VALUE ")).isIn("VALUE 1.2.3", "VALUE 1.2.4"); // a race by design
      app.awaitErr("QCFG-1531");
      assertThat(app.command("get")).containsExactly("VALUE 1.2.4 version=2");
      assertThat(err(app)).contains(FAST, "APPLIED", "as version 2");
      assertThat(Files.readString(tmp.resolve("state/audit.log")))
          .contains("start-up check (the full build after the fast start of version 1)");
    }
    // The fingerprint now describes version 2.
    try (AppJvm app = AppJvm.start(opts, List.of(), List.of(classes), "app.FastStartMain",
        "lib.version")) {
      assertThat(app.awaitOut("VALUE ")).isEqualTo("VALUE 1.2.4");
      app.awaitErr("QCFG-1533");
      assertThat(app.command("get")).containsExactly("VALUE 1.2.4 version=2");
    }
  }

  @Test
  void aNewLibraryJarDefeatsTheFastPath() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("config"));
    Files.writeString(dir.resolve("application.conf"), "app.name = demo\n");
    Path lib = tmp.resolve("library.jar");
    library(lib, "lib { name = library }\ninclude \"version\"\n", "1.2.3");
    String opts = options(dir) + ",watch=false";
    try (AppJvm app = AppJvm.start(opts, List.of(), List.of(lib), "app.FirstUse")) {
      assertThat(app.awaitExit()).isZero();
    }
    library(lib, "lib { name = library, more = 1 }\ninclude \"version\"\n", "1.2.4");
    try (AppJvm app = AppJvm.start(opts, List.of(), List.of(lib), "app.FirstUse")) {
      assertThat(app.awaitExit()).isZero();
      assertThat(err(app)).contains(
          "fast path: not taken: the input 'class-path reference.conf' changed");
    }
  }

  private static void library(Path jarFile, String reference, String version) throws Exception {
    try (OutputStream out = Files.newOutputStream(jarFile);
        JarOutputStream jar = new JarOutputStream(out)) {
      jar.putNextEntry(new JarEntry("reference.conf"));
      jar.write(reference.getBytes(StandardCharsets.UTF_8));
      jar.putNextEntry(new JarEntry("version.conf"));
      jar.write(("lib.version = \"" + version + "\"\n").getBytes(StandardCharsets.UTF_8));
    }
  }
}
