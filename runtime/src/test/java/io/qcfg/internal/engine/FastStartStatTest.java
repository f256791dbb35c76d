package io.qcfg.internal.engine;

import static io.qcfg.internal.engine.FastStartTest.FAST;
import static io.qcfg.internal.engine.FastStartTest.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.qcfg.internal.crypto.ChecksumKey;
import io.qcfg.internal.engine.FastStartTest.Run;
import io.qcfg.internal.history.FileIdentity;
import io.qcfg.internal.history.StartInputsFile;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fast restart's stat pre-check, in process (issue 16 item 3): an unchanged restart of settled
 * files reads none of them; an edit of the same size with its time put back is found by the
 * status-change time; a file written just before the start is recorded without identity (the racy
 * rule), so an edit within the same tick is found by its digest; a fast start whose full build
 * agrees keeps the identities the first start could not; an older qcfg's fingerprint is replaced
 * with one line said. Where files must be older than the racy margin, the test waits for the
 * clock to pass it (no identity can be recorded otherwise: the status-change time cannot be set).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FastStartStatTest {
  static final String NONE_READ = "fast path: inputs (digest: 0 of 5 files read)";

  @TempDir Path tmp;
  final ByteArrayOutputStream log = new ByteArrayOutputStream();

  @BeforeEach
  void posixFilesAndTheLog() throws Exception {
    assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("unix"));
    FastStartTest.configuration(tmp);
    FastStartTest.capture(log);
  }

  Path dir() {
    return tmp.resolve("config");
  }

  @AfterEach
  void stop() {
    FastStartTest.release();
  }

  Run start() {
    return run(FastStartTest.options(tmp));
  }

  Run traced() {
    Map<String, String> options = FastStartTest.options(tmp);
    options.put("trace", "startup");
    return run(options);
  }

  String log() {
    return log.toString(StandardCharsets.UTF_8);
  }

  /** Waits until every file of the configuration is older than the racy margin. */
  void awaitSettled() {
    await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
        .until(() -> newestTime() * 1_000_000L + FileIdentity.RACY_MARGIN_NANOS
            < System.currentTimeMillis() * 1_000_000L - 50_000_000L);
  }

  long newestTime() throws Exception {
    try (Stream<Path> files = Files.walk(dir())) {
      long newest = 0;
      for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        newest = Math.max(newest, Math.max(Files.getLastModifiedTime(f).toMillis(),
            ((FileTime) Files.getAttribute(f, "unix:ctime")).toMillis()));
      }
      return newest + 1;
    }
  }

  /** The identities the fingerprint file keeps, by input name. */
  SortedMap<String, String> keptIdentities() throws Exception {
    return StartInputsFile.read(tmp.resolve("state/" + StartInputsFile.NAME), ChecksumKey
        .of(null, tmp.resolve("state")).derivedMac(FastStart.FILE_PURPOSE)).identities();
  }

  @Test
  void anUnchangedRestartOfSettledFilesReadsNoFile() throws Exception {
    awaitSettled();
    assertThat(start().path()).startsWith("full build: no fingerprint");
    assertThat(keptIdentities()).hasSize(5);
    Run r = traced();
    assertThat(r.path()).isEqualTo(FAST);
    assertThat(log()).contains(NONE_READ);
    assertThat(r.port()).isEqualTo("8080");
    assertThat(r.password()).isEqualTo("s3cret");
  }

  @Test
  void anEditOfTheSameSizeWithItsTimePutBackIsFound() throws Exception {
    awaitSettled();
    start();
    assertThat(keptIdentities()).containsKey("file application.conf");
    Path conf = dir().resolve("application.conf");
    FileTime mtime = Files.getLastModifiedTime(conf);
    long size = Files.size(conf);
    Files.writeString(conf, Files.readString(conf).replace("8080", "9090"));
    Files.setLastModifiedTime(conf, mtime); // touch -d: only the status-change time tells
    assertThat(Files.size(conf)).isEqualTo(size);
    Run r = traced();
    assertThat(r.path()).isEqualTo("full build: the configuration file application.conf changed");
    assertThat(r.port()).isEqualTo("9090");
    assertThat(r.version()).isEqualTo(2);
    assertThat(log()).contains("fast path: inputs (digest: 1 of 5 files read)");
  }

  @Test
  void aFileWrittenJustBeforeTheStartKeepsNoIdentityAndAnEditInTheSameTickIsFound()
      throws Exception {
    Path secret = dir().resolve("secrets/db.password");
    Files.writeString(secret, "s3cret"); // again: well within the margin of the start's read
    start();
    assertThat(keptIdentities()).doesNotContainKey("file secrets/db.password");
    FileTime mtime = Files.getLastModifiedTime(secret);
    Files.writeString(secret, "n3wpw!"); // the same size, the same modification time
    Files.setLastModifiedTime(secret, mtime);
    Run r = start();
    assertThat(r.path()).isEqualTo(
        "full build: the configuration file secrets/db.password changed");
    assertThat(r.password()).isEqualTo("n3wpw!");
  }

  @Test
  void aFastStartWhoseFullBuildAgreesKeepsTheIdentitiesTheFirstStartCouldNot() throws Exception {
    start(); // files written just now: no identity kept
    assertThat(keptIdentities()).isEmpty();
    awaitSettled();
    assertThat(start().path()).isEqualTo(FAST); // every file read; then the full build agrees
    assertThat(keptIdentities()).hasSize(5);
    assertThat(traced().path()).isEqualTo(FAST);
    assertThat(log()).contains(NONE_READ);
  }

  @Test
  void anOlderQcfgsFingerprintIsReplacedWithOneLineSaid() throws Exception {
    start();
    Path f = tmp.resolve("state/" + StartInputsFile.NAME);
    String text = Files.readString(f);
    // Format 2 as an older qcfg wrote it: no identities, sealed under the same key.
    String body = text.substring(0, text.lastIndexOf("mac "))
        .replace("qcfg-start-inputs 3", "qcfg-start-inputs 2")
        .replaceAll("(?m)^(digest \\S+ \\S+) \\S+$", "$1");
    byte[] mac = ChecksumKey.of(null, tmp.resolve("state")).derivedMac(FastStart.FILE_PURPOSE)
        .doFinal(body.getBytes(StandardCharsets.UTF_8));
    Files.writeString(f, body + "mac " + HexFormat.of().formatHex(mac) + "\n");
    Run r = start();
    assertThat(r.path()).isEqualTo("full build: the fingerprint file is an older qcfg's"
        + " (QCFG-1538)");
    assertThat(r.version()).isEqualTo(1);
    assertThat(log().lines().filter(l -> l.contains(StartInputsFile.NAME))).singleElement()
        .asString().contains("QCFG-1538", "older qcfg");
    assertThat(log()).doesNotContain("QCFG-1530", "QCFG-1534");
    assertThat(Files.readString(f)).startsWith("qcfg-start-inputs 3\n");
    assertThat(start().path()).isEqualTo(FAST);
  }
}
