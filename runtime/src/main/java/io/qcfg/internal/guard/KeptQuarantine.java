package io.qcfg.internal.guard;

import io.qcfg.internal.history.QuarantineFile;
import io.qcfg.internal.history.SealedFile;
import io.qcfg.internal.log.Log;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The quarantine as the state directory keeps it ({@link QuarantineFile}), so that a restart on
 * still-bad files does not apply them again (issue 18). A file that is not intact is ignored with
 * a warning (QCFG-4716); one that cannot be written costs the restart only, never a change.
 *
 * <p>Concurrency: {@link #keep} is called from the applier, the health threads and JMX; it
 * serialises itself, and writes only when the quarantine changed.
 */
final class KeptQuarantine {
  private final Path state;
  private String written = ""; // guarded by this
  private boolean closed; // guarded by this: qcfg stopped, the state dir is no longer ours

  KeptQuarantine(Path state) {
    this.state = state;
  }

  /** The quarantine kept from an earlier run, or null. */
  synchronized QuarantineFile load() {
    try {
      QuarantineFile q = QuarantineFile.load(state);
      written = q == null ? "" : q.checksum();
      return q;
    } catch (SealedFile.Broken e) {
      Log.warn("QCFG-4716: " + QuarantineFile.in(state) + " " + e.getMessage()
          + "; it is ignored: nothing is quarantined");
      return null;
    }
  }

  /** No write after this returns (a write under way finishes first): qcfg stops. */
  synchronized void close() {
    closed = true;
  }

  /** Keeps {@code checksum} quarantined ("": none) across restarts; a no-op when unchanged. */
  synchronized void keep(String checksum, long version) {
    if (closed || checksum.equals(written)) {
      return;
    }
    try {
      if (checksum.isEmpty()) {
        QuarantineFile.clear(QuarantineFile.in(state));
      } else {
        new QuarantineFile(checksum, version).save(state);
      }
      written = checksum;
    } catch (IOException | RuntimeException e) {
      Log.warnOnce("quarantine-file", "QCFG-4716: cannot keep the quarantine in "
          + QuarantineFile.in(state) + " (" + e.getClass().getSimpleName() + "); it holds until"
          + " qcfg stops");
    }
  }
}
