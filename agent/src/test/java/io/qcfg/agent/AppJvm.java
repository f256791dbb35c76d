package io.qcfg.agent;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A test application in its own JVM: started with {@code java [-javaagent:qcfg.jar=OPTIONS]
 * -cp target/test-classes MAIN}, driven through stdin, observed through stdout and stderr lines.
 *
 * <p>The JVM is the one named by the system property {@code qcfg.java} (the Failsafe execution
 * for JDK 25 sets it), else the one running the tests. The application's class path holds the
 * test classes only: qcfg's classes reach it through the agent jar, as in production.
 */
final class AppJvm implements AutoCloseable {
  static final Duration DEADLINE = Duration.ofSeconds(60);

  private final Process process;
  private final Writer stdin;
  private final List<String> out = new CopyOnWriteArrayList<>();
  private final List<String> err = new CopyOnWriteArrayList<>();
  private final List<Thread> pumps = new ArrayList<>();
  private int consumed; // stdout lines already returned by command()

  private AppJvm(Process process) {
    this.process = process;
    this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    pumps.add(pump(process.getInputStream(), out, "out"));
    pumps.add(pump(process.getErrorStream(), err, "err"));
  }

  static Path jar() {
    String jar = System.getProperty("qcfg.jar", "target/qcfg.jar");
    Path p = Path.of(jar).toAbsolutePath();
    if (!Files.isRegularFile(p)) {
      throw new IllegalStateException(p + " missing: run the agent tests with mvn verify");
    }
    return p;
  }

  static String java() {
    String configured = System.getProperty("qcfg.java");
    if (configured != null && !configured.isBlank()) {
      return configured;
    }
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  static Path testClasses() {
    try {
      return Path.of(AppJvm.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Writes {@code applicationConf} into {@code tmp/config} (with an empty {@code environments})
   * and returns the agent options for it: that directory, state in {@code tmp/state},
   * environment development, then {@code more}.
   */
  static String oneFileConfig(Path tmp, String applicationConf, String more) throws IOException {
    Path dir = tmp.resolve("config");
    Files.createDirectories(dir.resolve("environments"));
    Files.writeString(dir.resolve("application.conf"), applicationConf);
    return "dir=" + dir + ",state=" + tmp.resolve("state") + ",env=development," + more;
  }

  /** Starts {@code main} under the agent with {@code agentOptions} (null: no agent). */
  static AppJvm start(String agentOptions, List<String> jvmArgs, String main, String... args)
      throws IOException {
    return start(agentOptions, jvmArgs, List.of(), main, args);
  }

  /** As above, with {@code env} added to the environment (after QCFG_* are removed). */
  static AppJvm startWithEnv(Map<String, String> env, String agentOptions, List<String> jvmArgs,
      String main, String... args) throws IOException {
    return start(env, agentOptions, jvmArgs, List.of(), main, args);
  }

  /** As above, with {@code libraries} (jars) after the test classes on the class path. */
  static AppJvm start(String agentOptions, List<String> jvmArgs, List<Path> libraries,
      String main, String... args) throws IOException {
    return start(Map.of(), agentOptions, jvmArgs, libraries, main, args);
  }

  /** As above, in {@code workingDir}. */
  static AppJvm startIn(Path workingDir, String agentOptions, List<String> jvmArgs, String main,
      String... args) throws IOException {
    return start(workingDir, Map.of(), agentOptions, jvmArgs, List.of(), main, args);
  }

  private static AppJvm start(Map<String, String> env, String agentOptions, List<String> jvmArgs,
      List<Path> libraries, String main, String... args) throws IOException {
    return start(null, env, agentOptions, jvmArgs, libraries, main, args);
  }

  private static AppJvm start(Path workingDir, Map<String, String> env, String agentOptions,
      List<String> jvmArgs, List<Path> libraries, String main, String... args)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(java());
    cmd.add("-Xshare:auto");
    cmd.add("-XX:TieredStopAtLevel=1"); // short-lived test JVMs: C1 only, faster on 2 cores
    cmd.addAll(jvmArgs);
    if (agentOptions != null) {
      cmd.add("-javaagent:" + jar() + (agentOptions.isEmpty() ? "" : "=" + agentOptions));
    }
    cmd.add("-cp");
    StringBuilder cp = new StringBuilder(testClasses().toString());
    for (Path lib : libraries) {
      cp.append(java.io.File.pathSeparator).append(lib);
    }
    cmd.add(cp.toString());
    cmd.add(main);
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    if (workingDir != null) {
      pb.directory(workingDir.toFile());
    }
    pb.environment().keySet().removeIf(k -> k.startsWith("QCFG_") || k.startsWith("CONFIG_FORCE_"));
    pb.environment().putAll(env);
    return new AppJvm(pb.start());
  }

  private static Thread pump(InputStream in, List<String> sink, String name) {
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                  sink.add(line);
                }
              } catch (IOException e) {
                // the process ended
              }
            },
            "app-" + name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  /**
   * Waits for a stdout line starting with {@code prefix}; returns it. Later {@link #command}
   * answers start after it.
   */
  synchronized String awaitOut(String prefix) {
    await("stdout line " + prefix + "\n" + transcript())
        .atMost(DEADLINE)
        .until(() -> out.stream().anyMatch(l -> l.startsWith(prefix)));
    for (int i = 0; i < out.size(); i++) {
      if (out.get(i).startsWith(prefix)) {
        consumed = Math.max(consumed, i + 1);
        return out.get(i);
      }
    }
    throw new AssertionError("unreachable");
  }

  /** Waits for a stderr line containing {@code text}; returns it. */
  String awaitErr(String text) {
    await("stderr line with " + text + "\n" + transcript())
        .atMost(DEADLINE)
        .until(() -> err.stream().anyMatch(l -> l.contains(text)));
    return err.stream().filter(l -> l.contains(text)).findFirst().orElseThrow();
  }

  private boolean answered(List<String> lines) {
    return lines.subList(consumed, lines.size()).contains("END");
  }

  /** Sends one command and returns the stdout lines of its answer (up to {@code END}). */
  synchronized List<String> command(String line) throws IOException {
    stdin.write(line + "\n");
    stdin.flush();
    await("answer to " + line + "\n" + transcript())
        .atMost(DEADLINE)
        .until(() -> answered(new ArrayList<>(out)));
    List<String> all = new ArrayList<>(out); // a copy: a sub-list of the live list throws
    List<String> fresh = new ArrayList<>(all.subList(consumed, all.size())); // when a line comes
    int end = fresh.indexOf("END");
    consumed += end + 1;
    return fresh.subList(0, end);
  }

  /** The {@code name=value} lines of a command's answer, as a map. */
  Map<String, String> values(String command) throws IOException {
    Map<String, String> m = new LinkedHashMap<>();
    for (String l : command(command)) {
      int eq = l.indexOf('=');
      if (eq > 0 && !l.startsWith("OK") && !l.startsWith("ERR")) {
        m.put(l.substring(0, eq), l.substring(eq + 1));
      }
    }
    return m;
  }

  /** Waits for the JVM to end; returns its exit status. */
  int awaitExit() throws InterruptedException {
    if (!process.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
      throw new AssertionError("the application did not exit\n" + transcript());
    }
    for (Thread t : pumps) {
      t.join(TimeUnit.SECONDS.toMillis(10)); // what the process wrote last
    }
    return process.exitValue();
  }

  long pid() {
    return process.pid();
  }

  List<String> stdout() {
    return out;
  }

  List<String> stderr() {
    return err;
  }

  /** Everything the application printed so far, for failure messages. */
  String transcript() {
    return "--- stdout\n" + String.join("\n", out) + "\n--- stderr\n" + String.join("\n", err);
  }

  @Override
  public void close() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
