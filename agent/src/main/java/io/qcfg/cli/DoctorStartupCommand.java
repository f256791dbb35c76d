package io.qcfg.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code qcfg doctor startup --dir D}: starts a fresh JVM under {@code -javaagent:qcfg.jar} with
 * {@code trace=startup} on the configuration directory and prints what it printed: the start-up
 * trace table (each phase from premain to the first bound value, with its start and duration),
 * after any problem the start ran into. Without {@code --state} the JVM gets an empty temporary
 * state directory (a first start), deleted afterwards; {@code --restart} starts it twice and shows
 * the second start, on the state the first left (a restart on unchanged files).
 *
 * <p>Exit status: 0 when the table was printed, 1 when the start failed or printed none.
 */
@Command(
    name = "startup",
    mixinStandardHelpOptions = true,
    description =
        "Start a fresh JVM under the agent with trace=startup on --dir and print the start-up"
            + " trace: each phase between premain and the first bound value, with its start and"
            + " duration in milliseconds.")
final class DoctorStartupCommand extends Verb {
  static final String TABLE_TITLE = "start-up trace (trace=startup)";

  @Option(
      names = "--restart",
      description = "Start twice and show the second start (unchanged files, state of the first).")
  boolean restart;

  @Option(
      names = "--jar",
      paramLabel = "FILE",
      description = "The qcfg.jar to start the JVM with (default: the jar this CLI runs from).")
  Path jar;

  @Override
  public Integer call() throws IOException, InterruptedException {
    QcfgCli cli = cli();
    Path agent = jar != null ? jar.toAbsolutePath() : AttachCommand.ownJar();
    if (!Files.isRegularFile(agent)) {
      throw CliFailure.usage("QCFG-5260", "--jar " + jar + ": no such file");
    }
    var options = cli.options();
    Path temp = cli.state == null ? Files.createTempDirectory("qcfg-doctor-") : null;
    Path state = temp != null ? temp : options.state().toAbsolutePath();
    try {
      List<String> cmd = command(agent, options, state);
      Result r = start(cmd);
      if (restart && r.status() == 0) {
        r = start(cmd);
      }
      out().println("qcfg doctor startup: a fresh JVM under " + agent.getFileName() + " on "
          + options.dir().toAbsolutePath() + " (state " + (temp != null ? "empty, temporary"
          : state) + (restart ? ", second start" : "") + "); exit status " + r.status());
      out().print(r.output());
      out().flush();
      return r.status() == 0 && r.output().contains(TABLE_TITLE) ? QcfgCli.OK : QcfgCli.FAILED;
    } finally {
      if (temp != null) {
        deleteTree(temp);
      }
    }
  }

  private List<String> command(Path agent, io.qcfg.internal.QcfgOptions options, Path state) {
    StringBuilder args = new StringBuilder("dir=").append(options.dir().toAbsolutePath())
        .append(",state=").append(state).append(",trace=startup");
    if (cli().env != null) {
      args.append(",env=").append(cli().env);
    }
    if (options.key() != null) {
      args.append(",key=").append(options.key().toAbsolutePath());
    }
    if (cli().substitute != null) {
      args.append(",substitute=").append(cli().substitute);
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return List.of(java, "-javaagent:" + agent + "=" + args, "-cp", agent.toString(),
        StartupProbe.class.getName());
  }

  private record Result(int status, String output) {}

  /** Runs the JVM: its stdout and stderr together, at most two minutes. */
  private static Result start(List<String> cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getOutputStream().close();
    StringBuilder text = new StringBuilder();
    Thread reader = new Thread(() -> text.append(readAll(p.getInputStream())), "qcfg-doctor-out");
    reader.setDaemon(true);
    reader.start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      reader.join(5_000);
      return new Result(1, text + "[qcfg doctor] the JVM did not finish within 120 s\n");
    }
    reader.join(10_000);
    synchronized (text) {
      return new Result(p.exitValue(), text.toString());
    }
  }

  private static String readAll(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "[qcfg doctor] reading the JVM's output failed\n";
    }
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> all = Files.walk(root)) {
      List<Path> paths = new ArrayList<>(all.sorted(Comparator.reverseOrder()).toList());
      for (Path p : paths) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // a temporary directory: the system cleans it eventually
    }
  }
}
