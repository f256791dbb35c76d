package io.qcfg.internal.history;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This JVM's process id, for the state dir's lock file and temporary file names. On Linux it is
 * read from the {@code /proc/self} link: {@code ProcessHandle.current()} initialises the JDK's
 * process machinery (its reaper executor, lambdas, a thread factory) on the state thread, which
 * runs beside the first build (issue 16). Elsewhere, or if the link says anything but a number,
 * {@link ProcessHandle} answers.
 */
public final class ProcessId {
  private static volatile long pid; // 0: not known yet; racing first calls compute the same value

  private ProcessId() {}

  /** The pid, as {@code ProcessHandle.current().pid()} gives it. */
  public static long current() {
    long p = pid;
    if (p == 0) {
      p = fromProc();
      if (p <= 0) {
        p = ProcessHandle.current().pid();
      }
      pid = p;
    }
    return p;
  }

  /** The number {@code /proc/self} links to; -1 when there is none. */
  static long fromProc() {
    try {
      String self = Files.readSymbolicLink(Path.of("/proc/self")).toString();
      if (self.isEmpty() || self.length() > 18) {
        return -1;
      }
      long p = 0;
      for (int i = 0; i < self.length(); i++) {
        char c = self.charAt(i);
        if (c < '0' || c > '9') {
          return -1;
        }
        p = p * 10 + (c - '0');
      }
      return p;
    } catch (java.io.IOException | RuntimeException e) {
      return -1; // no /proc (macOS, Windows) or no permission: ask the JDK
    }
  }
}
