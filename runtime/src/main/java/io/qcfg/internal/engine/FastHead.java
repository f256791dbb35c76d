package io.qcfg.internal.engine;

import io.qcfg.internal.crypto.ChecksumKey;
import io.qcfg.internal.history.HeadStamp;
import io.qcfg.internal.history.HistoryStore;
import io.qcfg.internal.history.SealedFile;
import io.qcfg.internal.log.Log;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * History's newest head for the fast restart (issue 16): from the {@link HeadStamp} when the
 * newest entry file is still the stamped one, so that no JSON is tokenized before the publish;
 * else read from the entry, as before, and stamped after the publish for the next restart.
 *
 * <p>Concurrency: applier thread only.
 */
final class FastHead {
  private static final String PURPOSE = "qcfg history head v1";

  private final Path file;
  private HeadStamp stamp; // read at prepare, or null
  private boolean stamped; // whether the last head came from the stamp

  FastHead(Path state) {
    this.file = state.resolve(HeadStamp.NAME);
  }

  /** Reads the stamp under {@code key}; a stamp that is not intact is ignored with a warning. */
  void prepare(ChecksumKey key) {
    try {
      stamp = HeadStamp.read(file, key.derivedMac(PURPOSE));
    } catch (SealedFile.Broken e) {
      Log.warn("QCFG-1536: " + file + " " + e.getMessage() + "; it is ignored and history's"
          + " newest entry is read instead");
    } catch (RuntimeException e) { // never a failed start: the entry is read
      Log.debug("the history head stamp cannot be read (" + e.getClass().getSimpleName() + ")");
    }
  }

  /** The newest entry's head: the stamp's when it still names that file, else read; or null. */
  HistoryStore.Head newest(HistoryStore h) {
    stamped = false;
    if (stamp != null) {
      var head = h.headIfStamped(stamp);
      if (head.isPresent()) {
        stamped = true;
        Log.debug("history's newest head is taken from " + file + " (the entry is not read)");
        return head.get();
      }
      Log.debug("the history head stamp names another entry file than the newest: it is read");
    }
    return h.head().orElse(null);
  }

  /** Whether {@link #newest} last answered from the stamp. */
  boolean stamped() {
    return stamped;
  }

  /**
   * Stamps history's newest entry when this process knows its head for sure (it wrote the entry,
   * or read it unchanged); failures cost the next restart a read of the entry only.
   */
  void keep(HistoryStore h, ChecksumKey key) {
    HeadStamp known = h == null || key == null || !key.persistent() ? null
        : h.newestStamp().orElse(null);
    if (known == null) {
      return;
    }
    try {
      known.write(file, key.derivedMac(PURPOSE));
      stamp = known;
    } catch (IOException | RuntimeException e) {
      Log.debug("the history head stamp cannot be written (" + e.getClass().getSimpleName() + ")");
    }
  }

  /** Deletes the stamp. */
  void forget() {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      Log.debug("cannot remove " + file);
    }
  }
}
