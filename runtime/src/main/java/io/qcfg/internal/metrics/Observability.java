package io.qcfg.internal.metrics;

import io.qcfg.internal.engine.Engine;
import io.qcfg.internal.engine.Extension;
import io.qcfg.internal.engine.Later;
import io.qcfg.internal.jmx.ConfigOperations;
import io.qcfg.internal.log.Log;
import java.time.Duration;

/**
 * What qcfg starts in the host's logging and metrics once the first snapshot exists: log lines
 * carry the active version and {@code log=system} may touch {@link System.Logger} from then on;
 * Micrometer meters are registered a while later ({@link #BIND_DELAY}) when the application's
 * class loader sees Micrometer.
 *
 * <p>Why later (issue 16): where Micrometer is absent, asking the application's class loader for
 * it searches the whole class path, and the last entry is qcfg.jar itself (the agent's jar is
 * appended to the system class path): its 5,000-entry index was read for nothing, about 14 ms of
 * CPU at every start that nothing else made open it, beside the application's own start. A
 * short-lived JVM never pays it; a service's meters appear two seconds after its first snapshot.
 *
 * <p>Concurrency: the engine starts and stops the extension under its lifecycle lock; the one
 * {@code qcfg-metrics} daemon thread per engine ({@link Later}) waits, and a stop ends it.
 */
public final class Observability {
  /** How long after the first snapshot the Micrometer meters are bound. */
  public static final Duration BIND_DELAY = Duration.ofSeconds(2);

  private Observability() {}

  /** The extension, binding Micrometer's meters {@link #BIND_DELAY} after the first snapshot. */
  public static Extension extension() {
    return extension(BIND_DELAY);
  }

  static Extension extension(Duration bindDelay) {
    return new Extension() {
      private final Later later = new Later();

      @Override
      public void started(Engine engine) {
        ConfigOperations ops = ConfigOperations.of(engine);
        Log.startupDone(() -> ops.current().version());
        MicrometerBinder.follow(ops); // meters bound by an earlier runtime read this one now
        ClassLoader appLoader = engine.appLoader();
        later.start("qcfg-metrics", bindDelay,
            () -> MicrometerBinder.bindIfPresent(ops, appLoader)); // never throws
      }

      @Override
      public void stopped(Engine engine) {
        // Bound meters read the engine through ConfigOperations: a stopped one reads its last
        // values. One not bound yet is not bound any more.
        later.cancel();
      }
    };
  }
}
