package io.qcfg.internal.metrics;

import io.qcfg.internal.engine.Engine;
import io.qcfg.internal.engine.Extension;
import io.qcfg.internal.jmx.ConfigOperations;
import io.qcfg.internal.log.Log;

/** What qcfg starts in the host's logging and metrics once the first snapshot exists. */
public final class Observability {
  private Observability() {}

  /**
   * From the qcfg thread after the first snapshot, next to the status endpoint: log lines carry
   * the active version, {@code log=system} may touch {@link System.Logger} from now on, and
   * Micrometer meters are registered when {@code appLoader} sees Micrometer. Never throws.
   */
  public static void start(ConfigOperations ops, ClassLoader appLoader) {
    Log.startupDone(() -> ops.current().version());
    MicrometerBinder.bindIfPresent(ops, appLoader);
  }

  /** {@link #start} as an engine {@link Extension}. */
  public static Extension extension() {
    return new Extension() {
      @Override
      public void started(Engine engine) {
        start(ConfigOperations.of(engine), engine.appLoader());
      }

      @Override
      public void stopped(Engine engine) {
        // Meters read the engine through ConfigOperations; a stopped one reads its last values.
      }
    };
  }
}
