package io.qcfg.internal.etcd;

import java.net.URI;
import java.time.Instant;
import java.util.Optional;

/**
 * The health of an {@link EtcdSource}, for JMX and the CLI's {@code status}.
 *
 * @param connected whether the last request succeeded or a watch is live; false from the first
 *     failure until the next success
 * @param endpoint the endpoint that answered last (or was last tried)
 * @param revision the highest etcd revision seen by a read or a watch, 0 before any
 * @param lastError the last failure's message (never a secret), empty when there was none; kept
 *     after recovery so that an operator sees what happened
 * @param lastErrorAt when {@code lastError} happened, empty when there was none
 */
public record EtcdStatus(
    boolean connected,
    URI endpoint,
    long revision,
    Optional<String> lastError,
    Optional<Instant> lastErrorAt) {}
