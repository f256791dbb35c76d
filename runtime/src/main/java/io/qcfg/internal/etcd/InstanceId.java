package io.qcfg.internal.etcd;

import io.qcfg.internal.log.Log;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A JVM's instance id for canary rollouts and status entries: the option {@code instance}, else
 * {@code <host>-<pid>-<start time>} written once to {@code <state>/instance-id} and read back from
 * there on later starts, so that a JVM restarted on the same state directory keeps its id (and
 * its canary bucket). When the file cannot be written, the generated id lives in memory only.
 */
public final class InstanceId {
  private static final Map<Path, String> MEMO = new ConcurrentHashMap<>();

  private InstanceId() {}

  /** The id for {@code option} (may be null) and the state directory {@code state}. */
  public static String of(String option, Path state) {
    if (option != null && !option.isBlank()) {
      return option.trim();
    }
    return MEMO.computeIfAbsent(state.toAbsolutePath().normalize(), InstanceId::fromStateDir);
  }

  private static String fromStateDir(Path state) {
    Path file = state.resolve("instance-id");
    try {
      if (Files.isRegularFile(file)) {
        String s = Files.readString(file, StandardCharsets.UTF_8).trim();
        if (valid(s)) {
          return s;
        }
      }
    } catch (IOException e) {
      // write a new one below
    }
    String id = generated();
    try {
      Files.createDirectories(state);
      Files.writeString(file, id + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      Log.warn(file + ": cannot write the instance id (" + e.getClass().getSimpleName()
          + "); using " + id + " until the JVM stops [QCFG-4657]");
    }
    return id;
  }

  static String generated() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      host = "host";
    }
    return clean(host) + "-" + ProcessHandle.current().pid() + "-"
        + ManagementFactory.getRuntimeMXBean().getStartTime();
  }

  /** An id must be usable as one etcd key segment: printable, no '/'. */
  static boolean valid(String s) {
    return !s.isEmpty() && s.length() <= 200 && s.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != '/');
  }

  private static String clean(String s) {
    return s.replaceAll("[^A-Za-z0-9._-]", "_");
  }
}
