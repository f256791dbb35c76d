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
 * restart knows history's newest entry without reading it, {@link HeadStamp}). On POSIX systems:
 * size, modification time, status-change time, device and inode. Any write or replace changes at
 * least one: {@link DurableFiles} replaces by rename (a new inode), an edit in place sets the
 * status-change time, which no tool can set back (unlike the modification time, {@code touch -d}),
 * so neither a clock set back nor a restored time stamp makes two versions of a file look equal.
 * Elsewhere: size, modification and creation time and the file key where there is one.
 */
final class FileIdentity {
  private static final boolean UNIX =
      FileSystems.getDefault().supportedFileAttributeViews().contains("unix");

  private FileIdentity() {}

  /** The identity of {@code file}, one word of ASCII; null when its attributes cannot be read. */
  static String of(Path file) {
    try {
      if (UNIX) {
        Map<String, Object> a =
            Files.readAttributes(file, "unix:size,lastModifiedTime,ctime,dev,ino");
        return "s" + a.get("size") + ":m" + nanos(a.get("lastModifiedTime")) + ":c"
            + nanos(a.get("ctime")) + ":d" + a.get("dev") + ":i" + a.get("ino");
      }
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      Object key = a.fileKey();
      return "s" + a.size() + ":m" + nanos(a.lastModifiedTime()) + ":b"
          + nanos(a.creationTime()) + (key == null ? "" : ":k" + key.toString().replace(' ', '_'));
    } catch (IOException | RuntimeException e) { // UnsupportedOperationException, a missing value
      return null;
    }
  }

  private static long nanos(Object time) {
    return ((FileTime) time).to(TimeUnit.NANOSECONDS);
  }
}
