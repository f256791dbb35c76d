package io.qcfg.internal.history;

import io.qcfg.QcfgException;
import io.qcfg.internal.log.Log;
import io.qcfg.internal.text.PropertiesText;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * What a state directory belongs to: {@code <state>/state.properties} records the absolute real
 * path of the configuration directory ({@code configDir}) and the environment last started
 * ({@code environment}). A state directory serves one configuration directory only: its history
 * is never used for another one's start-up fallback or rollback.
 *
 * <p>A directory without the file (new, or written by an older qcfg) is claimed by the first
 * engine that opens it.
 */
final class StateIdentity {
  static final String FILE = "state.properties";

  private final Path file;
  private final String configDir;
  private String environment; // guarded by: the applier thread

  private StateIdentity(Path file, String configDir, String environment) {
    this.file = file;
    this.configDir = configDir;
    this.environment = environment;
  }

  /**
   * Claims {@code stateDir} for {@code configDir}.
   *
   * @throws QcfgException.Refused QCFG-4209 if it belongs to another configuration directory
   */
  static StateIdentity claim(Path stateDir, Path configDir) {
    Path file = stateDir.resolve(FILE);
    String mine = realPath(configDir);
    Properties stored = read(file);
    String theirs = stored.getProperty("configDir");
    if (theirs != null && !theirs.equals(mine)) {
      throw new QcfgException.Refused(
          "QCFG-4209",
          "state directory "
              + stateDir
              + " belongs to the configuration directory "
              + theirs
              + ", not to "
              + mine
              + "; its history is not used for fallback or rollback and nothing is written"
              + " there: give this JVM its own state= (or leave state unset: the default is"
              + " namespaced by the configuration directory)");
    }
    StateIdentity identity = new StateIdentity(file, mine, stored.getProperty("environment"));
    if (theirs == null) {
      identity.write();
    }
    return identity;
  }

  /** Records the environment the engine runs in, if it changed. */
  void recordEnvironment(String name) {
    if (!name.equals(environment)) {
      environment = name;
      write();
    }
  }

  /** The absolute real path of a directory, or its absolute normal form if it does not exist. */
  static String realPath(Path dir) {
    try {
      return dir.toRealPath().toString();
    } catch (IOException | RuntimeException e) {
      return dir.toAbsolutePath().normalize().toString();
    }
  }

  private void write() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("configDir", configDir);
    if (environment != null) {
      p.put("environment", environment);
    }
    try { // not Properties.store: its date comment loads the time-zone machinery (issue 16)
      DurableFiles.replace(file, PropertiesText.render(
          "qcfg state directory: which configuration directory it belongs to", p)
          .getBytes(StandardCharsets.ISO_8859_1));
    } catch (IOException | RuntimeException e) {
      Log.warnOnce("state-identity:" + file,
          file + ": cannot record what this state directory belongs to ("
              + HistoryStore.reason(e) + ") [QCFG-4209]");
    }
  }

  private static Properties read(Path file) {
    Properties p = new Properties();
    try {
      if (Files.isRegularFile(file)) {
        p.load(new StringReader(new String(io.qcfg.internal.text.FileBytes.read(file),
            StandardCharsets.ISO_8859_1)));
      }
    } catch (IOException | RuntimeException e) {
      Log.warn(file + ": unreadable (" + HistoryStore.reason(e) + "); claimed anew [QCFG-4209]");
    }
    return p;
  }
}
