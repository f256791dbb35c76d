package io.qcfg.internal;

import io.qcfg.internal.crypto.DigestWarmUp;
import io.qcfg.internal.engine.Extension;
import io.qcfg.internal.http.StatusEndpoint;
import io.qcfg.internal.jmx.ConfigEndpoint;
import io.qcfg.internal.metrics.Observability;
import java.util.List;

/**
 * What every engine started by the agent or {@code Qcfg.start} plugs in, in this order: the HTTP
 * status endpoint (option {@code http}), logging and Micrometer meters, probation (option {@code
 * probation}), the MBean, and with the etcd layer the rollout status reporter,
 * and the switch of SHA-256 to the JDK's digest once it is off the start path.
 */
public final class StandardExtensions {
  private StandardExtensions() {}

  public static List<Extension> all() {
    return List.of(new StatusEndpoint(), Observability.extension(),
        io.qcfg.internal.guard.Guard.extension(), ConfigEndpoint.extension(),
        new io.qcfg.internal.rollout.StatusReporter(), new DigestWarmUp());
  }
}
