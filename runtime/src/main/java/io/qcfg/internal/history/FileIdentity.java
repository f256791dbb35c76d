package io.qcfg.internal.history;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Which file a path names and whether it changed, from its attributes alone (issue 16: the fast
 * restart knows history's newest entry without reading it, {@link HeadStamp}, and an input file
 * without reading its bytes, {@link #settled}). On POSIX systems: size, modification time,
 * status-change time, device and inode. Any write or replace changes at least one: {@link
 * DurableFiles} replaces by rename (a new inode), an edit in place sets the status-change time,
 * which no tool can set back (unlike the modification time, {@code touch -d}), so neither a clock
 * set back nor a restored time stamp makes two versions of a file look equal. Elsewhere: size,
 * modification and creation time and the file key where there is one.
 */
public final class FileIdentity {
  /**
   * How much older than the moment of its read a file's modification and status-change times must
   * be for its identity to stand for its bytes next time ({@link #settled}): git's "racy git" rule.
   * A file system stamps times with its own granularity (FAT and exFAT 2 s for the modification
   * time, ext3, HFS+ and some network file systems 1 s, ext4 and XFS the kernel's clock tick), and
   * an NFS or SMB server's clock may run a little ahead of ours: an edit of the same size right
   * after the read can carry the very times that were recorded. Three seconds covers the coarsest
   * common stamp (2 s) plus a second of skew; a file edited less than that before the read is
   * simply digested again at the next start.
   */
  public static final long RACY_MARGIN_NANOS = 3_000_000_000L;

  private static final boolean UNIX =
      FileSystems.getDefault().supportedFileAttributeViews().contains("unix");
  private static final String UNIX_ATTRIBUTES = "unix:size,lastModifiedTime,ctime,dev,ino";

  private FileIdentity() {}

  /** The identity of {@code file}, one word of ASCII; null when its attributes cannot be read. */
  static String of(Path file) {
    try {
      if (UNIX) {
        Map<String, Object> a = Files.readAttributes(file, UNIX_ATTRIBUTES);
        return unix(a, nanos(a.get("lastModifiedTime")), nanos(a.get("ctime")));
      }
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      Object key = a.fileKey();
      return "s" + a.size() + ":m" + nanos(a.lastModifiedTime()) + ":b"
          + nanos(a.creationTime()) + (key == null ? "" : ":k" + key.toString().replace(' ', '_'));
    } catch (IOException | RuntimeException e) { // UnsupportedOperationException, a missing value
      return null;
    }
  }

  /**
   * The POSIX identity of {@code file} (links followed) when it may stand for the bytes read right
   * after it is taken: both its times are older than {@code readAtMillis} (wall clock, taken before
   * this call) minus {@link #RACY_MARGIN_NANOS}. Null when they are not (the file is digested again
   * next time), and where there is no status-change time (not POSIX: a {@code touch -d} after an
   * edit of the same size would go unseen) or the attributes cannot be read.
   */
  public static String settled(Path file, long readAtMillis) {
    if (!UNIX) {
      return null;
    }
    try {
      Map<String, Object> a = Files.readAttributes(file, UNIX_ATTRIBUTES);
      long modified = nanos(a.get("lastModifiedTime"));
      long changed = nanos(a.get("ctime"));
      return settled(modified, changed, readAtMillis) ? unix(a, modified, changed) : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** The racy rule of {@link #settled}, on times in nanoseconds since the epoch. */
  static boolean settled(long modifiedNanos, long changedNanos, long readAtMillis) {
    long before = readAtMillis * 1_000_000L - RACY_MARGIN_NANOS;
    return modifiedNanos < before && changedNanos < before;
  }

  private static String unix(Map<String, Object> a, long modified, long changed) {
    return "s" + a.get("size") + ":m" + modified + ":c" + changed + ":d" + a.get("dev") + ":i"
        + a.get("ino");
  }

  private static long nanos(Object time) {
    return ((FileTime) time).to(TimeUnit.NANOSECONDS);
  }
}
