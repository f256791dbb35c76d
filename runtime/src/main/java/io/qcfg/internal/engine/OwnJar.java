package io.qcfg.internal.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The jar qcfg runs from, for the fast start's fingerprint of qcfg's own build (issue 16).
 *
 * <p>Classes that the bootstrap loader defined (under the agent, qcfg.jar's manifest puts the jar
 * on the bootstrap class path) have no code source, and asking a class loader for one of the
 * jar's resources runs the JDK's resource lookup cold and opens the jar (4,450 entries) in Java:
 * 60-120 ms on the fast restart's critical path. The JVM was given the jar as {@code -javaagent:...qcfg.jar}
 * (the manifest names the jar by that file name), on its command line or in {@code
 * JAVA_TOOL_OPTIONS} or {@code JDK_JAVA_OPTIONS}, so it is found there. Where the command line
 * cannot be read ({@code /proc/self/cmdline} is Linux's), or names no single such jar, the caller
 * asks the class loader after all.
 */
final class OwnJar {
  private static final String AGENT = "-javaagent:";

  private OwnJar() {}

  /** The qcfg.jar of this JVM's {@code -javaagent} options, or null if not exactly one. */
  static Path fromCommandLine() {
    List<String> args = new ArrayList<>();
    try {
      byte[] cmdline = io.qcfg.internal.text.FileBytes.read(Path.of("/proc/self/cmdline"));
      for (String a : new String(cmdline, StandardCharsets.UTF_8).split("\0")) {
        args.add(a);
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: the options from the environment may still name it
    }
    for (String variable : new String[] {"JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS"}) {
      String v = System.getenv(variable);
      if (v != null) {
        args.addAll(List.of(v.trim().split("\\s+")));
      }
    }
    return fromArguments(args, Path.of(System.getProperty("user.dir", ".")));
  }

  /** The one existing {@code qcfg.jar} that {@code -javaagent:} arguments name, or null. */
  static Path fromArguments(List<String> args, Path workingDir) {
    Set<Path> jars = new LinkedHashSet<>();
    for (String a : args) {
      if (!a.startsWith(AGENT)) {
        continue;
      }
      String spec = a.substring(AGENT.length());
      int eq = spec.indexOf('=');
      try {
        Path jar = workingDir.resolve(eq < 0 ? spec : spec.substring(0, eq));
        if (jar.getFileName() != null && jar.getFileName().toString().equals("qcfg.jar")
            && Files.isRegularFile(jar)) {
          jars.add(jar.toRealPath());
        }
      } catch (IOException | RuntimeException e) {
        // not a path this JVM could have loaded
      }
    }
    return jars.size() == 1 ? jars.iterator().next() : null;
  }
}
