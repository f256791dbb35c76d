package io.qcfg.cli;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The application's class path for the offline verbs ({@code --classpath CP}, {@code -cp CP}):
 * a class loader over it whose every {@code reference.conf} becomes the defaults layer, exactly as
 * the agent reads them from the JVM's system class loader. Entries are separated by the platform's
 * path separator; {@code dir/*} means every jar in {@code dir}, as {@code java -cp} has it.
 * Without the flag the verbs build without defaults and say so once on stderr.
 */
final class ClassPathDefaults {
  private ClassPathDefaults() {}

  /** The note the verbs print once, on stderr, when they build without {@code --classpath}. */
  static void tellNotIncluded(PrintWriter err) {
    err.println("note: class-path defaults were not included (no reference.conf of the"
        + " application's jars); give --classpath CP to include them [QCFG-5271]");
    err.flush();
  }

  /**
   * The loader for {@code classPath}, or null when none was given.
   *
   * @throws CliFailure (usage, QCFG-5270) for an entry that does not exist
   */
  static ClassLoader loader(String classPath) {
    if (classPath == null) {
      return null;
    }
    List<URL> urls = new ArrayList<>();
    for (String entry : classPath.split(File.pathSeparator)) {
      if (entry.isBlank()) {
        continue;
      }
      if (entry.endsWith("*") && (entry.length() == 1 || entry.endsWith(File.separator + "*"))) {
        Path dir = Path.of(entry.substring(0, entry.length() - 1).isEmpty()
            ? "." : entry.substring(0, entry.length() - 1));
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(dir, "*.{jar,JAR}")) {
          List<Path> sorted = new ArrayList<>();
          jars.forEach(sorted::add);
          sorted.sort(null);
          for (Path jar : sorted) {
            urls.add(url(jar));
          }
        } catch (IOException e) {
          throw CliFailure.usage("QCFG-5270", "--classpath: cannot list " + dir + " ("
              + e.getClass().getSimpleName() + ")");
        }
        continue;
      }
      Path p = Path.of(entry);
      if (!Files.exists(p)) {
        throw CliFailure.usage("QCFG-5270", "--classpath: " + entry + " does not exist");
      }
      urls.add(url(p));
    }
    // Parent: the platform loader, as the system class loader of a JVM has it; never the CLI's own.
    return new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
  }

  private static URL url(Path p) {
    try {
      return p.toAbsolutePath().toUri().toURL();
    } catch (MalformedURLException e) {
      throw CliFailure.usage("QCFG-5270", "--classpath: " + p + " is not a usable path");
    }
  }
}
