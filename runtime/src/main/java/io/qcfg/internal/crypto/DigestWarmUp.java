package io.qcfg.internal.crypto;

import io.qcfg.internal.engine.Engine;
import io.qcfg.internal.engine.Extension;
import io.qcfg.internal.engine.Later;
import io.qcfg.internal.text.Sha256;
import java.time.Duration;

/**
 * Moves {@link Sha256} to the JDK's digest a while after the first snapshot is published. Cold,
 * the pure digest is cheaper (no JCA); warm, the JDK's is several times faster on large inputs
 * (the checksum of a large tree, reloads). The delay keeps the JCA's first use, tens of
 * milliseconds of CPU, away from the application's own start, and short-lived JVMs never pay it.
 *
 * <p>Concurrency: {@link #started} and {@link #stopped} run under the engine's lifecycle lock;
 * the one {@code qcfg-digest} daemon thread ({@link Later}) waits, and a stop ends it early.
 */
public final class DigestWarmUp implements Extension {
  /** How long after the first snapshot the switch happens. */
  public static final Duration DELAY = Duration.ofSeconds(2);

  private final Duration delay;
  private final Later later = new Later();

  public DigestWarmUp() {
    this(DELAY);
  }

  DigestWarmUp(Duration delay) {
    this.delay = delay;
  }

  @Override
  public void started(Engine engine) {
    if (!Sha256.usesJdk()) {
      later.start("qcfg-digest", delay, Sha256::preferJdk);
    }
  }

  @Override
  public void stopped(Engine engine) {
    later.cancel();
  }
}
