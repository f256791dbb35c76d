package io.qcfg.cli;

import io.qcfg.internal.QcfgOptions;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.StringJoiner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code qcfg attach PID [--options k=v,...]}: loads qcfg into a JVM that runs without it. */
@Command(
    name = "attach",
    mixinStandardHelpOptions = true,
    description = {
      "Load qcfg (this jar) into a running JVM, as -javaagent would at start-up.",
      "--dir, --env, --state and --key are passed on with paths made absolute; paths inside"
          + " --options are relative to the target JVM's working directory."
    })
final class AttachCommand extends Verb {
  @Parameters(paramLabel = "PID", description = "The JVM's process id.")
  long pid;

  @Option(
      names = "--options",
      paramLabel = "K=V,...",
      description =
          "Agent options, as after -javaagent:qcfg.jar= (e.g. dir=/srv/config,watch=false).")
  String options;

  @Override
  public Integer call() {
    Map<String, String> agentArgs = new LinkedHashMap<>(QcfgOptions.parseAgentArgs(options));
    cli()
        .givenFlags()
        .forEach(
            (k, v) ->
                agentArgs.put(k, k.equals("env") ? v : Path.of(v).toAbsolutePath().toString()));
    // Reject a bad option here, with qcfg's message, rather than in the target's stderr.
    QcfgOptions.resolve(agentArgs, new Properties(), Map.of());
    StringJoiner joined = new StringJoiner(",");
    agentArgs.forEach(
        (k, v) -> {
          if (v.contains(",")) {
            throw CliFailure.usage(
                "QCFG-5213",
                "agent option " + k + ": a value cannot contain ',' (found in '" + v + "')");
          }
          joined.add(k + "=" + v);
        });
    String jar = ownJar().toString();
    AttachApi.requireAvailable();
    // The agent reports its outcome back through the target's system properties: a target
    // whose configuration is invalid says so here, and keeps running as it was.
    String result = io.qcfg.agent.Attacher.attach(Long.toString(pid), jar, joined.toString());
    out()
        .println(
            "qcfg loaded into pid "
                + pid
                + (joined.length() == 0 ? "" : " with " + joined)
                + " (" + result + "); 'qcfg status --pid "
                + pid
                + "' shows it once its first snapshot is built");
    return QcfgCli.OK;
  }

  /** The jar this CLI runs from: the agent to load. */
  static Path ownJar() {
    CodeSource source = QcfgCli.class.getProtectionDomain().getCodeSource();
    Path path = null;
    try {
      if (source != null && source.getLocation() != null) {
        path = Path.of(source.getLocation().toURI());
      }
    } catch (URISyntaxException | IllegalArgumentException e) {
      path = null;
    }
    if (path == null || !Files.isRegularFile(path) || !path.toString().endsWith(".jar")) {
      throw CliFailure.failed(
          "QCFG-5207",
          "qcfg attach must run from qcfg.jar (java -jar qcfg.jar attach PID); this CLI runs from "
              + (path == null ? "an unknown location" : path));
    }
    return path;
  }
}
