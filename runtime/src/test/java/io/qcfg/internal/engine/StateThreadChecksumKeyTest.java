package io.qcfg.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.qcfg.Qcfg;
import io.qcfg.internal.crypto.ChecksumKey;
import io.qcfg.internal.log.StartupTrace;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16: a first start makes the state directory's checksum key on {@code qcfg-state}, beside
 * the build, not on the applier in the middle of the build's index; the key is the one the
 * build's checksum uses (a restart on the same directory gives the same checksum, and does not
 * make it there: its key file exists). With a key
 * ring (the {@code key} option) the build's checksum key derives from the ring: the state thread
 * makes none (the fingerprint's, after the publish, is made where it always was).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StateThreadChecksumKeyTest {
  static final String PHASE = "checksum key (state dir)";

  @TempDir Path tmp;
  final ByteArrayOutputStream log = new ByteArrayOutputStream();

  @BeforeEach
  void files() throws Exception {
    FastStartTest.configuration(tmp);
    FastStartTest.capture(log);
  }

  @AfterEach
  void stop() {
    StartupTrace.ON = false;
    FastStartTest.release();
  }

  @Test
  void aFirstStartMakesTheKeyOnTheStateThread() throws Exception {
    StartupTrace.enable(System.nanoTime());
    FastStartTest.Run first = FastStartTest.run(FastStartTest.options(tmp));
    assertThat(StartupTrace.phases())
        .filteredOn(p -> p.name().equals(PHASE))
        .extracting(StartupTrace.Phase::thread)
        .containsExactly("qcfg-state");
    assertThat(tmp.resolve("state").resolve(ChecksumKey.FILE)).isRegularFile();
    StartupTrace.enable(System.nanoTime());
    FastStartTest.Run second = FastStartTest.run(FastStartTest.options(tmp));
    assertThat(second.checksum()).isEqualTo(first.checksum());
    assertThat(StartupTrace.phases()).as("a restart reads the key on the applier, as before")
        .extracting(StartupTrace.Phase::name).doesNotContain(PHASE);
  }

  @Test
  void withAKeyRingNoStateKeyIsMade() throws Exception {
    Path key = tmp.resolve("ring.key");
    Files.writeString(key, "k1:" + java.util.Base64.getEncoder().encodeToString(new byte[32])
        + "\n");
    Map<String, String> options = FastStartTest.options(tmp);
    options.put("key", key.toString());
    StartupTrace.enable(System.nanoTime());
    FastStartTest.run(options);
    assertThat(StartupTrace.phases()).extracting(StartupTrace.Phase::name).doesNotContain(PHASE);
  }
}
