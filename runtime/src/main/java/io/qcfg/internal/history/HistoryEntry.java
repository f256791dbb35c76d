package io.qcfg.internal.history;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One applied snapshot as the history keeps it on disk: enough to list, diff and roll back to it,
 * and to start from it when the configuration is invalid at start-up.
 *
 * <p><b>No plaintext secret may reach this record.</b> {@link #tree} is written to the state
 * directory as is, so the caller guarantees it holds none: the engine keeps {@code ENC[...]} values
 * as their ciphertext (they decrypt again on rollback) and replaces every other secret value
 * (secret layer, {@code x-secret}, credential-named paths) by a placeholder. A rollback to an entry
 * therefore re-reads placeholder secrets from the current secret layer.
 *
 * @param version the snapshot version, 1 or more
 * @param checksum SHA-256 hex of the snapshot's canonical rendering
 * @param environment the environment the snapshot was built for
 * @param environmentSource where the environment name came from ({@code option}, {@code QCFG_ENV},
 *     {@code CI}, {@code default})
 * @param createdAt when the snapshot was built
 * @param cause why it was built ({@code startup}, {@code file-change: ...}, {@code rollback: 7})
 * @param actor who caused it ({@code qcfg} for file changes, a JMX principal for operations)
 * @param files the layer files that made the snapshot, lowest precedence first
 * @param tree JSON text of the configuration tree, secrets removed as described above. The store
 *     keeps it as a JSON value, so an entry read back carries the compact rendering of the same
 *     JSON (no insignificant whitespace)
 * @param confirmed whether the version ended a probation healthy, or was the target of a rollback
 *     (issue 18): only confirmed versions are targets of an automatic rollback. Entries written
 *     before this field existed read as not confirmed
 */
public record HistoryEntry(
    long version,
    String checksum,
    String environment,
    String environmentSource,
    Instant createdAt,
    String cause,
    String actor,
    List<String> files,
    String tree,
    boolean confirmed) {

  /** The snapshot's provenance this entry records. */
  public io.qcfg.internal.snapshot.Provenance provenance() {
    return new io.qcfg.internal.snapshot.Provenance(version, checksum, environment,
        environmentSource, createdAt, cause);
  }

  /** An entry not (yet) confirmed: how the engine appends every applied version. */
  public HistoryEntry(long version, String checksum, String environment, String environmentSource,
      Instant createdAt, String cause, String actor, List<String> files, String tree) {
    this(version, checksum, environment, environmentSource, createdAt, cause, actor, files, tree,
        false);
  }

  /** This entry marked confirmed. */
  public HistoryEntry asConfirmed() {
    return new HistoryEntry(version, checksum, environment, environmentSource, createdAt, cause,
        actor, files, tree, true);
  }

  public HistoryEntry {
    if (version < 1) {
      throw new IllegalArgumentException("version must be 1 or more, was " + version);
    }
    Objects.requireNonNull(checksum, "checksum");
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(environmentSource, "environmentSource");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(cause, "cause");
    Objects.requireNonNull(actor, "actor");
    files = List.copyOf(files);
    Objects.requireNonNull(tree, "tree");
  }

  /** Everything but the tree, which can be large. */
  @Override
  public String toString() {
    return "HistoryEntry[version="
        + version
        + ", checksum="
        + checksum
        + ", environment="
        + environment
        + " ("
        + environmentSource
        + "), createdAt="
        + createdAt
        + ", cause="
        + cause
        + ", actor="
        + actor
        + ", files="
        + files
        + (confirmed ? ", confirmed" : "")
        + "]";
  }
}
