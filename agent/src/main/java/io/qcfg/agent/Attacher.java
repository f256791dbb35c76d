package io.qcfg.agent;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import io.qcfg.QcfgException;
import io.qcfg.internal.QcfgOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Loads qcfg.jar into a running JVM through the JDK attach API, for the CLI's {@code attach}
 * verb. The target must run as the same user, and (JDK 21+) prints a warning about a dynamically
 * loaded agent unless started with {@code -XX:+EnableDynamicAgentLoading}.
 *
 * <p>The target keeps running whatever happens: a bad option is refused here, before the
 * attach; an invalid configuration means qcfg is not started in the target, which this class
 * reports as an exception.
 */
public final class Attacher {
  private static final Set<String> PATH_OPTIONS = Set.of("dir", "state", "key");

  private Attacher() {}

  /**
   * Attaches to {@code pid}, loads the agent from {@code jarPath} with {@code options} (the
   * agent's {@code key=value,...} syntax; may be null or empty) and waits until qcfg has started
   * there.
   *
   * <p>Relative {@code dir}, {@code state} and {@code key} paths are resolved against the
   * caller's working directory, which is what a user typing them into a shell means; paths left
   * out take their default in the target ({@code ./config} of the target's working directory).
   *
   * @return the agent's one-line outcome, e.g. {@code ok: attached at version 3; ...}
   * @throws QcfgException.BadOption for an unknown option or a bad value (QCFG-0001); nothing
   *     was attached
   * @throws QcfgException.Refused when the JVM cannot be attached to or the agent fails to load
   *     (QCFG-5021), or qcfg could not start there (QCFG-5022, with the target's reason)
   */
  public static String attach(String pid, String jarPath, String options) {
    String args = checkedOptions(options);
    String jar = Path.of(jarPath).toAbsolutePath().normalize().toString();
    if (!Files.isRegularFile(Path.of(jar))) {
      throw new QcfgException.Refused("QCFG-5021", jar + ": agent jar not found");
    }
    VirtualMachine vm;
    try {
      vm = VirtualMachine.attach(pid);
    } catch (AttachNotSupportedException | IOException e) {
      throw new QcfgException.Refused(
          "QCFG-5021", "pid " + pid + ": cannot attach (" + io.qcfg.internal.crypto.ForeignText.describe(e) + ")");
    }
    try {
      vm.loadAgent(jar, args);
      String result = vm.getSystemProperties().getProperty(QcfgAgent.ATTACH_RESULT_PROPERTY);
      if (result == null) {
        throw new QcfgException.Refused(
            "QCFG-5022", "pid " + pid + ": the agent loaded but reported nothing");
      }
      if (!result.startsWith("ok:")) {
        throw new QcfgException.Refused(
            "QCFG-5022", "pid " + pid + ": qcfg did not start: " + result);
      }
      return result;
    } catch (AgentLoadException | AgentInitializationException | IOException e) {
      throw new QcfgException.Refused(
          "QCFG-5021", "pid " + pid + ": cannot load " + jar + " (" + io.qcfg.internal.crypto.ForeignText.describe(e) + ")");
    } finally {
      try {
        vm.detach();
      } catch (IOException e) {
        // The agent is loaded; a failed detach only leaves a socket to the target behind.
      }
    }
  }

  /** Validates {@code options} as the agent will and makes path options absolute. */
  static String checkedOptions(String options) {
    Map<String, String> given = QcfgOptions.parseAgentArgs(options);
    QcfgOptions.resolve(given, new Properties(), Map.of()); // throws BadOption
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : given.entrySet()) {
      String v = e.getValue();
      if (PATH_OPTIONS.contains(e.getKey()) && !v.isBlank()) {
        v = Path.of(v).toAbsolutePath().normalize().toString();
      }
      out.put(e.getKey(), v);
    }
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, String> e : out.entrySet()) {
      if (sb.length() > 0) {
        sb.append(',');
      }
      sb.append(e.getKey()).append('=').append(e.getValue());
    }
    return sb.toString();
  }
}
