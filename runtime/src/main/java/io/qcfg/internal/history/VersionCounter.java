package io.qcfg.internal.history;

import io.qcfg.internal.log.Log;
import io.qcfg.internal.text.Digits;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;

/**
 * The durable, monotonic version counter of a state directory: every version number it hands out
 * is on the device before the snapshot that carries it is published, so a number is never handed
 * out twice, even when history files are lost (a deleted folder, a full disk).
 *
 * <p>File {@code <state>/version.counter}: two fixed-size slots of {@value #SLOT} bytes, {@code
 * "%019d %08x\n"} (the version and the CRC-32 of its digits). Version {@code v} is written in place
 * into slot {@code v % 2} and fsynced; the other slot keeps {@code v - 1}. A torn write damages one
 * slot only, and an in-place write of an existing block needs no new space, so it works on a full
 * disk where a temporary file and a rename would not. The value is the larger valid slot.
 *
 * <p>At open the counter continues from the maximum of the file and the floors it is given (the
 * highest version in history and in the audit log), so losing any one of them is harmless.
 *
 * <p>When the file cannot be written the counter still counts in memory and logs QCFG-4207 once
 * per outage: the application keeps running, but numbers handed out then are durable only through
 * history and the audit log.
 *
 * <p>Concurrency: {@link #reserve} is called by the engine's one applier thread; it is
 * synchronized for safety. {@link #last} is a volatile read.
 */
public final class VersionCounter {
  /** The counter's file name inside the state directory. */
  public static final String FILE = "version.counter";

  static final int SLOT = 29;

  private final Path file; // null: in memory only
  private volatile long last;
  private boolean failing;

  private VersionCounter(Path file, long last) {
    this.file = file;
    this.last = last;
  }

  /**
   * Opens the counter of {@code stateDir}; the next {@link #reserve} returns one more than the
   * maximum of the file and {@code floors}. Never throws for a problem on disk.
   */
  public static VersionCounter open(Path stateDir, long... floors) {
    long max = read(stateDir);
    for (long f : floors) {
      max = Math.max(max, f);
    }
    return new VersionCounter(stateDir.resolve(FILE), max);
  }

  /** A counter that writes nothing (a state directory owned by another JVM). */
  public static VersionCounter inMemory(long last) {
    return new VersionCounter(null, last);
  }

  /** The highest version handed out (or found at open); 0 when none. */
  public long last() {
    return last;
  }

  /**
   * Hands out the next version, written to the device first. The engine calls this before it
   * publishes a new snapshot.
   */
  public synchronized long reserve() {
    long next = last + 1;
    if (file != null) {
      write(next);
    }
    last = next;
    return next;
  }

  private void write(long version) {
    byte[] slot = slot(version);
    try {
      boolean created = !Files.exists(file);
      if (created) {
        Files.createDirectories(file.getParent());
      }
      try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
        if (f.length() < 2L * SLOT) {
          // A new (or cut) file: both slots, so that the other one is never garbage.
          f.seek(0);
          f.write(slot(version - 1));
          f.write(slot(version - 1));
        }
        f.seek((version % 2) * SLOT);
        f.write(slot);
        f.getFD().sync();
      }
      if (created) {
        DurableFiles.syncDirectory(file.getParent());
      }
      if (failing) {
        failing = false;
        Log.info(file + ": the version counter is writable again [QCFG-4207]");
      }
    } catch (IOException | RuntimeException e) {
      if (!failing) {
        failing = true;
        Log.error(
            file
                + ": cannot write the version counter ("
                + HistoryStore.reason(e)
                + "); version "
                + version
                + " is durable only through history and the audit log [QCFG-4207]");
      }
    }
  }

  /** The counter value stored in {@code stateDir}, 0 if there is none or neither slot is valid. */
  public static long read(Path stateDir) {
    Path file = stateDir.resolve(FILE);
    byte[] bytes;
    try {
      if (!Files.isRegularFile(file)) {
        return 0;
      }
      bytes = io.qcfg.internal.text.FileBytes.read(file);
    } catch (IOException | RuntimeException e) {
      Log.warn(file + ": unreadable (" + HistoryStore.reason(e) + "); ignored [QCFG-4207]");
      return 0;
    }
    long max = 0;
    for (int i = 0; i + SLOT <= bytes.length && i < 2 * SLOT; i += SLOT) {
      max = Math.max(max, parse(new String(bytes, i, SLOT, StandardCharsets.US_ASCII)));
    }
    return max;
  }

  static byte[] slot(long version) {
    String digits = Digits.zeroPadded(Math.max(0, version), 19);
    return (digits + ' ' + Digits.hex(crc(digits), 8) + '\n').getBytes(StandardCharsets.US_ASCII);
  }

  private static long parse(String slot) {
    if (slot.length() != SLOT || slot.charAt(19) != ' ' || slot.charAt(SLOT - 1) != '\n') {
      return 0;
    }
    String digits = slot.substring(0, 19);
    try {
      long crc = Long.parseLong(slot.substring(20, 28), 16);
      return crc == crc(digits) ? Long.parseLong(digits) : 0;
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static long crc(String digits) {
    CRC32 c = new CRC32();
    c.update(digits.getBytes(StandardCharsets.US_ASCII));
    return c.getValue();
  }
}
