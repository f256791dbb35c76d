package io.qcfg.cli;

import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;
import java.util.ArrayList;
import java.util.List;

/**
 * The few calls the CLI makes to {@code com.sun.tools.attach} (module {@code jdk.attach}, present
 * in a JDK but not in a JRE). Every entry point checks for the module first, so that a JRE gets a
 * message instead of a {@link NoClassDefFoundError}.
 */
final class AttachApi {
  private AttachApi() {}

  /** Whether this JVM has the attach API. */
  static boolean available() {
    return ModuleLayer.boot().findModule("jdk.attach").isPresent();
  }

  static void requireAvailable() {
    if (!available()) {
      throw CliFailure.failed(
          "QCFG-5203",
          "the attach API (module jdk.attach) is missing: run qcfg with a JDK's java, not a JRE's");
    }
  }

  /** The local JVMs, except this one. */
  static List<Long> listPids() {
    requireAvailable();
    long self = ProcessHandle.current().pid();
    List<Long> out = new ArrayList<>();
    for (VirtualMachineDescriptor d : VirtualMachine.list()) {
      try {
        long pid = Long.parseLong(d.id());
        if (pid != self) {
          out.add(pid);
        }
      } catch (NumberFormatException e) {
        // Not a process id (another attach provider): cannot be addressed with --pid.
      }
    }
    return out;
  }

  /**
   * Whether system property {@code name} of {@code pid} is set. Reads the properties over the
   * attach API, which starts nothing in the target.
   *
   * @throws CliFailure when the JVM cannot be attached to
   */
  static boolean hasSystemProperty(long pid, String name) {
    requireAvailable();
    requireJavaProcess(pid);
    try {
      VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
      try {
        return vm.getSystemProperties().getProperty(name) != null;
      } finally {
        vm.detach();
      }
    } catch (Exception e) {
      throw cannotAttach(pid, e);
    }
  }

  /**
   * Starts (or finds) the local JMX agent of {@code pid} and returns its connector address.
   *
   * @throws CliFailure when the JVM cannot be attached to
   */
  static String localConnectorAddress(long pid) {
    requireAvailable();
    requireJavaProcess(pid);
    try {
      VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
      try {
        return vm.startLocalManagementAgent();
      } finally {
        vm.detach();
      }
    } catch (Exception e) {
      throw cannotAttach(pid, e);
    }
  }

  /**
   * Loads {@code jar} as a Java agent into {@code pid} with {@code options} (the agent argument).
   *
   * @throws CliFailure when the JVM cannot be attached to or the agent fails to start
   */
  static void loadAgent(long pid, String jar, String options) {
    requireAvailable();
    requireJavaProcess(pid);
    VirtualMachine vm;
    try {
      vm = VirtualMachine.attach(Long.toString(pid));
    } catch (Exception e) {
      throw cannotAttach(pid, e);
    }
    try {
      vm.loadAgent(jar, options);
    } catch (Exception e) {
      throw CliFailure.failed(
          "QCFG-5208",
          "pid "
              + pid
              + ": the qcfg agent did not start: "
              + e.getClass().getSimpleName()
              + ": " + io.qcfg.internal.crypto.ForeignText.describe(e)
              + " (the JVM's stderr says why)");
    } finally {
      try {
        vm.detach();
      } catch (java.io.IOException e) {
        // The target may have gone; nothing left to release.
      }
    }
  }

  /**
   * Fails at once for a pid that is no running process, or a process that is neither listed as
   * a JVM nor runs a {@code java} command: the attach API would otherwise wait its whole timeout
   * (10 s) in silence. A JVM that is not listed (started with {@code -XX:-UsePerfData}) but runs
   * {@code java} is still tried, and the user is told what the wait is for.
   *
   * @throws CliFailure when the pid cannot be a JVM
   */
  static void requireJavaProcess(long pid) {
    java.util.Optional<ProcessHandle> process = ProcessHandle.of(pid);
    if (process.isEmpty() || !process.get().isAlive()) {
      throw CliFailure.failed("QCFG-5209", "pid " + pid + ": no such process");
    }
    for (VirtualMachineDescriptor d : VirtualMachine.list()) {
      if (d.id().equals(Long.toString(pid))) {
        return;
      }
    }
    String command = commandOf(process.get());
    if (!command.contains("java")) {
      throw CliFailure.failed(
          "QCFG-5209",
          "pid " + pid + " is not a JVM that this OS user can reach"
              + (command.isEmpty() ? "" : " (it runs " + command + ")")
              + "; 'qcfg status' lists the JVMs that can be reached");
    }
    System.err.println(
        "qcfg: pid " + pid + " is not listed as a JVM (started with -XX:-UsePerfData?); waiting"
            + " up to 10 s for it to answer the attach request");
  }

  /** The program a process runs, or "" when this user may not see it. */
  private static String commandOf(ProcessHandle p) {
    java.util.Optional<String> command = p.info().command();
    if (command.isPresent()) {
      return command.get().substring(command.get().lastIndexOf('/') + 1);
    }
    try {
      String cmdline =
          java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + p.pid() + "/cmdline"));
      String first = cmdline.split("\u0000", 2)[0];
      return first.substring(first.lastIndexOf('/') + 1);
    } catch (java.io.IOException | RuntimeException e) {
      return "";
    }
  }

  private static CliFailure cannotAttach(long pid, Exception e) {
    return CliFailure.failed(
        "QCFG-5204",
        "pid "
            + pid
            + ": cannot attach: "
            + e.getClass().getSimpleName()
            + ": " + io.qcfg.internal.crypto.ForeignText.describe(e)
            + " (is it a running JVM of the same OS user, started without"
            + " -XX:+DisableAttachMechanism?)");
  }
}
