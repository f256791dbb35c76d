package io.qcfg.internal.http;

import io.qcfg.internal.engine.Engine;
import io.qcfg.internal.engine.Extension;
import io.qcfg.internal.jmx.ConfigOperations;
import io.qcfg.internal.log.Log;
import java.io.IOException;

/**
 * The status endpoint as an engine {@link Extension}: when the {@code http} option asks for it,
 * {@code /health}, {@code /metrics}, {@code /status} and {@code /} are served from the first
 * snapshot on, like the MBean. A port that cannot be bound is logged (QCFG-5302); the application
 * runs on.
 *
 * <p>Concurrency: started and stopped by the engine under its lifecycle lock; {@link #port()} may
 * be read by anyone.
 */
public final class StatusEndpoint implements Extension {
  private static volatile StatusServer active;

  /** The port the running endpoint is bound to, or -1 without one. */
  public static int port() {
    StatusServer s = active;
    return s == null ? -1 : s.port();
  }

  @Override
  public void started(Engine engine) {
    BindAddress at = engine.options().http();
    if (at == null) {
      return;
    }
    StatusServer old = active;
    if (old != null) {
      old.close(); // a previous engine in this JVM that did not stop cleanly
    }
    try {
      StatusServer s = StatusServer.start(at, ConfigOperations.of(engine));
      active = s;
      Log.info("status endpoint at http://" + new BindAddress(at.host(), s.port())
          + "/ (/health, /metrics, /status)");
    } catch (IOException | RuntimeException e) {
      active = null;
      Log.error("QCFG-5302: cannot serve the status endpoint on " + at + " ("
          + e.getClass().getSimpleName() + "); qcfg runs without it");
    }
  }

  @Override
  public void stopped(Engine engine) {
    StatusServer s = active;
    active = null;
    if (s != null) {
      s.close();
    }
  }
}
