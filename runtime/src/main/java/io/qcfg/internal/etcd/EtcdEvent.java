package io.qcfg.internal.etcd;

import java.util.List;

/**
 * What a watch ({@link EtcdSource#watch}) reports, on the watch's one thread. Each {@link Changed}
 * has a higher {@link #revision()} than every event before it, so no revision is delivered twice;
 * a {@link ResyncRequired} may repeat the revision of the event before it (nothing changed while
 * the watch was down) and, after a new or restored cluster, may even go back.
 */
public sealed interface EtcdEvent {

  /** The etcd revision this event brings the watcher up to. */
  long revision();

  /**
   * Keys under the prefix changed in one etcd revision (one put, delete or transaction; a
   * publish of several files is one event).
   *
   * @param revision the revision of the change
   * @param puts keys written, with their new text
   * @param deletedKeys keys deleted (full keys)
   */
  record Changed(long revision, List<EtcdFile> puts, List<String> deletedKeys)
      implements EtcdEvent {
    public Changed {
      puts = List.copyOf(puts);
      deletedKeys = List.copyOf(deletedKeys);
    }

    /** Whether any key in this change is in {@code keys} (e.g. {@link EtcdSource#layerKeys}). */
    public boolean touchesAny(List<String> keys) {
      return puts.stream().anyMatch(f -> keys.contains(f.key()))
          || deletedKeys.stream().anyMatch(keys::contains);
    }
  }

  /**
   * The watcher cannot say what changed since the last event: read everything again with {@link
   * EtcdSource#read(String)} (which returns a revision at least {@link #revision()}). Later {@link
   * Changed} events have revisions above {@link #revision()}; some of them may already be in what
   * the re-read returned, which is harmless because identical content is not a new version.
   *
   * @param revision the store revision when the watch was re-established
   * @param reason why
   * @param detail a human-readable explanation for the log, never a secret
   */
  record ResyncRequired(long revision, Reason reason, String detail) implements EtcdEvent {}

  /** Why a {@link ResyncRequired} was sent. */
  enum Reason {
    /** The connection to etcd was lost (or never made) and is back. */
    RECONNECTED,
    /** etcd compacted away revisions the watcher had not seen yet. */
    COMPACTED
  }
}
