package io.qcfg.internal.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import io.qcfg.internal.text.Sha256;
import io.qcfg.internal.text.Sha256Selection;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The start path's random bytes, and the later switch of SHA-256 to the JDK's digest. */
@Timeout(30)
class RandomBytesTest {
  @Test
  void startKeysAreFreshBytesOfTheAskedLength() {
    byte[] a = RandomBytes.forStartKey(32);
    byte[] b = RandomBytes.forStartKey(32);
    assertThat(a).hasSize(32).isNotEqualTo(b).isNotEqualTo(new byte[32]);
    byte[] c = new byte[12];
    RandomBytes.fill(c);
    assertThat(c).isNotEqualTo(new byte[12]);
  }

  @Test
  void aStoppedWarmUpEndsItsDaemonThreadAtOnce() {
    Sha256Selection.select(false); // an engine test before may have switched already
    java.util.List<Thread> before = digestThreads(); // of engines other tests left running
    DigestWarmUp warmUp = new DigestWarmUp(Duration.ofSeconds(60));
    warmUp.started(null);
    java.util.List<Thread> ours = new java.util.ArrayList<>(digestThreads());
    ours.removeAll(before);
    assertThat(ours).hasSize(1).allMatch(Thread::isDaemon);
    warmUp.stopped(null);
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !ours.get(0).isAlive());
  }

  private static java.util.List<Thread> digestThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals("qcfg-digest") && t.isAlive()).toList();
  }

  @Test
  void theWarmUpSwitchesToTheJdkDigestAfterItsDelay() {
    Sha256Selection.select(false);
    DigestWarmUp warmUp = new DigestWarmUp(Duration.ofMillis(10));
    try {
      warmUp.started(null);
      Awaitility.await().atMost(Duration.ofSeconds(20)).until(Sha256::usesJdk);
      assertThat(Sha256.hex("abc"))
          .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    } finally {
      warmUp.stopped(null);
      Sha256Selection.select(false); // the other tests in this JVM exercise the pure digest
    }
  }
}
