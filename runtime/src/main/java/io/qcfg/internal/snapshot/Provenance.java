package io.qcfg.internal.snapshot;

import java.time.Instant;

/**
 * Where a snapshot stands: its version, the checksum of its content, the environment it was built
 * for and how that environment was chosen, and when and why it was made. A candidate has version
 * 0 and cause "candidate" until {@link #as} gives it its place in history.
 *
 * @param version the history version, 0 for a candidate
 * @param checksum the content checksum (secrets sealed into it, never readable from it)
 * @param environment e.g. "production"
 * @param environmentSource where the environment came from ("option", "default", ...)
 * @param createdAt when this version was made
 * @param cause why, in the words of history and audit ("reload() by api", "candidate", ...)
 */
public record Provenance(
    long version,
    String checksum,
    String environment,
    String environmentSource,
    Instant createdAt,
    String cause) {

  /** A candidate built now: version 0, cause "candidate". */
  public static Provenance candidate(String checksum, String environment,
      String environmentSource) {
    return new Provenance(0, checksum, environment, environmentSource, Instant.now(), "candidate");
  }

  /** The same content under another version, time and cause. */
  public Provenance as(long newVersion, Instant at, String newCause) {
    return new Provenance(newVersion, checksum, environment, environmentSource, at, newCause);
  }
}
