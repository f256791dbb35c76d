package io.qcfg.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.qcfg.internal.QcfgOptions;
import io.qcfg.internal.crypto.Hmac;
import io.qcfg.internal.history.StartInputsFile;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files' part of the fast start's fingerprint with the stat pre-check (issue 16): a file whose
 * settled identity is the kept one is not read (its kept digest stands, whatever it is), any other
 * is read and digested. The clock is put ahead so that files just written count as settled; the
 * racy rule itself is {@code FileIdentityTest}'s and {@code FastStartStatTest}'s.
 */
@Timeout(30)
class StartInputsFilesTest {
  static final long AHEAD = 10_000; // ms

  @TempDir Path tmp;
  Path dir;
  StartInputs inputs;

  @BeforeEach
  void setUp() throws Exception {
    assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("unix"));
    dir = Files.createDirectories(tmp.resolve("config"));
    Files.createDirectories(dir.resolve("secrets"));
    Files.writeString(dir.resolve("application.conf"), "app.port = 8080\n");
    Files.writeString(dir.resolve("schema.json"), "{\"type\": \"object\"}");
    Files.writeString(dir.resolve("secrets/db.password"), "s3cret");
    QcfgOptions options = QcfgOptions.resolve(Map.of("dir", dir.toString(),
        "state", tmp.resolve("state").toString()), new Properties(), Map.of());
    inputs = new StartInputs(options, ClassLoader.getSystemClassLoader(),
        () -> new Hmac(new byte[32]), () -> System.currentTimeMillis() + AHEAD);
  }

  /** A fingerprint of {@code files} whose digests are all "kept-...": only it can give those. */
  static StartInputsFile keptWithFalseDigests(FileDigests files) {
    SortedMap<String, String> digests = new TreeMap<>();
    files.digests().keySet().forEach(name -> digests.put(name, "kept-" + name.length()));
    return new StartInputsFile(1, "c", "development", List.of(), List.of(), List.of(), digests,
        files.identities());
  }

  /**
   * A configuration directory that is a symbolic link (a release switched by a link) is
   * fingerprinted by the files where it leads: an edit of one changes its digest (the link alone
   * was digested before, and an edit inside went unseen by the fast path), and a state directory
   * inside it is left out whichever name it is given by.
   */
  @Test
  void aConfigurationDirectoryThatIsALinkIsFingerprintedByItsFiles() throws Exception {
    Path link = Files.createSymbolicLink(tmp.resolve("current"), dir);
    for (Path state : new Path[] {link.resolve("state"), dir.resolve("state")}) {
      Files.createDirectories(state);
      Files.writeString(state.resolve("start-inputs"), "changes at every start\n");
      QcfgOptions options = QcfgOptions.resolve(Map.of("dir", link.toString(),
          "state", state.toString()), new Properties(), Map.of());
      StartInputs viaLink = new StartInputs(options, ClassLoader.getSystemClassLoader(),
          () -> new Hmac(new byte[32]), () -> System.currentTimeMillis() + AHEAD);
      FileDigests before = viaLink.files(null);
      assertThat(before.digests()).containsOnlyKeys("file application.conf", "file schema.json",
          "file secrets/db.password");
      Files.writeString(dir.resolve("secrets/db.password"), "rotated");
      FileDigests after = viaLink.files(keptWithFalseDigests(before));
      assertThat(after.digests().get("file secrets/db.password"))
          .isNotEqualTo(before.digests().get("file secrets/db.password"));
      Files.writeString(dir.resolve("secrets/db.password"), "s3cret");
    }
  }

  @Test
  void filesWithTheirKeptIdentityAreNotRead() throws Exception {
    FileDigests first = inputs.files(null);
    assertThat(first.read()).isEqualTo(3);
    assertThat(first.identities()).containsOnlyKeys(first.digests().keySet());
    StartInputsFile kept = keptWithFalseDigests(first);
    FileDigests again = inputs.files(kept);
    assertThat(again.read()).isZero();
    assertThat(again.digests()).isEqualTo(kept.digests()); // no byte read: the kept digests stand
    assertThat(again.identities()).isEqualTo(first.identities());
  }

  @Test
  void aFileJustWrittenIsReadAndKeepsNoIdentity() throws Exception {
    StartInputsFile kept = keptWithFalseDigests(inputs.files(null));
    QcfgOptions options = QcfgOptions.resolve(Map.of("dir", dir.toString(),
        "state", tmp.resolve("state").toString()), new Properties(), Map.of());
    StartInputs now = new StartInputs(options, ClassLoader.getSystemClassLoader(),
        () -> new Hmac(new byte[32])); // the real clock: every file is under a second old
    FileDigests read = now.files(kept);
    assertThat(read.read()).isEqualTo(3);
    assertThat(read.identities()).isEmpty();
    assertThat(read.digests()).isEqualTo(inputs.files(null).digests());
  }

  @Test
  void anEditOfTheSameSizeWithItsTimePutBackIsRead() throws Exception {
    Path conf = dir.resolve("application.conf");
    FileTime mtime = Files.getLastModifiedTime(conf);
    StartInputsFile kept = keptWithFalseDigests(inputs.files(null));
    Files.writeString(conf, "app.port = 9090\n");
    Files.setLastModifiedTime(conf, mtime);
    FileDigests after = inputs.files(kept);
    assertThat(after.read()).isEqualTo(1);
    assertThat(after.digests().get("file application.conf"))
        .isEqualTo(inputs.files(null).digests().get("file application.conf")).hasSize(64);
    assertThat(after.digests().get("file schema.json")).startsWith("kept-");
  }

  @Test
  void aSecretFileReplacedByRenameWithTheSameSizeAndTimeIsRead() throws Exception {
    Path secret = dir.resolve("secrets/db.password");
    FileTime mtime = Files.getLastModifiedTime(secret);
    StartInputsFile kept = keptWithFalseDigests(inputs.files(null));
    Path next = Files.writeString(tmp.resolve("new-password"), "n3w-pw");
    Files.setLastModifiedTime(next, mtime);
    Files.move(next, secret, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    FileDigests after = inputs.files(kept);
    assertThat(after.read()).isEqualTo(1);
    assertThat(after.digests().get("file secrets/db.password")).hasSize(64);
  }

  @Test
  void aFileWithoutAKeptIdentityOrANewFileIsRead() throws Exception {
    FileDigests first = inputs.files(null);
    SortedMap<String, String> some = new TreeMap<>(first.identities());
    some.remove("file schema.json");
    StartInputsFile kept = new StartInputsFile(1, "c", "development", List.of(), List.of(),
        List.of(), keptWithFalseDigests(first).digests(), some);
    Files.writeString(dir.resolve("local.conf"), "app.name = mine\n");
    FileDigests after = inputs.files(kept);
    assertThat(after.read()).isEqualTo(2);
    assertThat(after.digests().get("file schema.json")).hasSize(64);
    assertThat(after.digests().get("file local.conf")).hasSize(64);
    assertThat(after.digests().get("file application.conf")).startsWith("kept-");
  }

  @Test
  void filesReadAndDigestedLaterGiveWhatFilesGives() throws Exception {
    StartInputs.Reads reads = inputs.read(null, StartInputs.MAX_FILES);
    assertThat(reads.read()).isEqualTo(3);
    FileDigests later = inputs.digest(reads);
    FileDigests now = inputs.files(null);
    assertThat(later.digests()).isEqualTo(now.digests()).hasSize(3);
    assertThat(later.identities()).isEqualTo(now.identities());
    assertThat(later.read()).isEqualTo(3);
  }

  /**
   * The fingerprint must describe the bytes read before the build read them: a file edited after
   * the read and before the digests are taken is digested as it was read, never as it is now (the
   * next start then finds it changed and builds in full).
   */
  @Test
  void anEditAfterTheReadIsNotInTheDigestsTakenLater() throws Exception {
    FileDigests before = inputs.files(null);
    StartInputs.Reads reads = inputs.read(null, 1 << 20);
    Files.writeString(dir.resolve("application.conf"), "app.port = 9090\n");
    FileDigests later = inputs.digest(reads);
    assertThat(later.digests()).isEqualTo(before.digests());
    assertThat(later.digests().get("file application.conf"))
        .isNotEqualTo(inputs.files(null).digests().get("file application.conf"));
  }

  @Test
  void filesOverTheBytesKeptUndigestedAreDigestedAtOnceAndTheSame() throws Exception {
    int[] macs = {0};
    QcfgOptions options = QcfgOptions.resolve(Map.of("dir", dir.toString(),
        "state", tmp.resolve("state").toString()), new Properties(), Map.of());
    StartInputs counted = new StartInputs(options, ClassLoader.getSystemClassLoader(), () -> {
      macs[0]++;
      return new Hmac(new byte[32]);
    }, () -> System.currentTimeMillis() + AHEAD);
    StartInputs.Reads reads = counted.read(null, "app.port = 8080\n".length()); // one file fits
    assertThat(macs[0]).isEqualTo(2); // the two others, while read
    assertThat(counted.digest(reads).digests()).isEqualTo(inputs.files(null).digests());
    assertThat(macs[0]).isEqualTo(3); // one for what was kept
  }

  @Test
  void aReadAheadWithoutAKeyGivesTheFilesOrNullWhenTheyAreTooLarge() throws Exception {
    QcfgOptions options = QcfgOptions.resolve(Map.of("dir", dir.toString(),
        "state", tmp.resolve("state").toString()), new Properties(), Map.of());
    StartInputs.Reads ahead =
        FastStart.beginReadAhead(options).get(20_000);
    assertThat(inputs.digest(ahead).digests()).isEqualTo(inputs.files(null).digests());
    Files.write(dir.resolve("big.bin"), new byte[(int) FastStart.KEEP_UNDIGESTED_BYTES + 1]);
    assertThat(FastStart.beginReadAhead(options).get(20_000))
        .isNull(); // read again once the key can be made
  }
}
