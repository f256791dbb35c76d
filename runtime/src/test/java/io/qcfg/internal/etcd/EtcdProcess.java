package io.qcfg.internal.etcd;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;

/**
 * A real etcd server on loopback with random free ports, for tests. Tests call {@link
 * #assumeInstalled()} first, so the suite passes (skipping) where no {@code etcd} binary is on
 * PATH; {@code .ci/install-etcd.sh} installs one.
 */
final class EtcdProcess implements AutoCloseable {
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(1))
          .build();

  private final String name;
  private final Path dataDir;
  private final int clientPort;
  private final int peerPort;
  private String initialCluster;
  private List<String> extraArgs = List.of();
  private String scheme = "http";
  private Process process;

  private EtcdProcess(String name, Path dataDir, int clientPort, int peerPort) {
    this.name = name;
    this.dataDir = dataDir;
    this.clientPort = clientPort;
    this.peerPort = peerPort;
  }

  static Optional<Path> binary() {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator)) {
      Path p = Path.of(dir.isEmpty() ? "." : dir, "etcd");
      if (Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  static void assumeInstalled() {
    Assumptions.assumeTrue(installed(), REASON);
  }

  static final String REASON = "no etcd on PATH (run .ci/install-etcd.sh to run these tests)";

  static boolean installed() {
    return binary().isPresent();
  }

  /**
   * Skips each test of a class that needs etcd, with the reason, when etcd is missing. An
   * assumption in {@code @BeforeAll} would abort the class as a whole, which the build reports
   * as "0 run, 0 skipped".
   */
  static final class Required implements org.junit.jupiter.api.extension.BeforeEachCallback {
    @Override
    public void beforeEach(org.junit.jupiter.api.extension.ExtensionContext context) {
      assumeInstalled();
    }
  }

  /** One single-node cluster, started and healthy. */
  static EtcdProcess single(Path dir, String... extraArgs) {
    int client = freePort();
    int peer = freePortOtherThan(client);
    EtcdProcess p = new EtcdProcess("n1", dir.resolve("n1"), client, peer);
    p.extraArgs = List.of(extraArgs);
    p.initialCluster = "n1=" + p.peerUrl();
    p.start();
    try {
      p.awaitHealthy();
    } catch (RuntimeException e) {
      p.close(); // never leave a half-started member behind
      throw e;
    }
    return p;
  }

  /**
   * One single-node cluster serving clients over TLS with {@code cert}/{@code key}, started but
   * not awaited (a health check would need to trust the certificate: the test does it).
   */
  static EtcdProcess startTls(Path dir, Path cert, Path key) {
    EtcdProcess p = new EtcdProcess("n1", dir.resolve("n1"), freePort(), freePort());
    p.scheme = "https";
    p.initialCluster = "n1=" + p.peerUrl();
    p.extraArgs = List.of("--cert-file", cert.toString(), "--key-file", key.toString());
    p.start();
    return p;
  }

  /** A cluster of {@code n} members, started and healthy. */
  static List<EtcdProcess> cluster(Path dir, int n) {
    List<EtcdProcess> members = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      members.add(new EtcdProcess("n" + i, dir.resolve("n" + i), freePort(), freePort()));
    }
    String initial =
        members.stream().map(m -> m.name + "=" + m.peerUrl()).collect(Collectors.joining(","));
    for (EtcdProcess m : members) {
      m.initialCluster = initial;
      m.start();
    }
    members.forEach(EtcdProcess::awaitHealthy);
    return members;
  }

  static List<URI> urls(List<EtcdProcess> members) {
    return members.stream().map(EtcdProcess::url).toList();
  }

  URI url() {
    return URI.create(scheme + "://127.0.0.1:" + clientPort);
  }

  private String peerUrl() {
    return "http://127.0.0.1:" + peerPort;
  }

  void start() {
    List<String> cmd = new ArrayList<>();
    cmd.addAll(
        List.of(
            binary().orElseThrow().toString(),
            "--name", name,
            "--data-dir", dataDir.toString(),
            "--listen-client-urls", url().toString(),
            "--advertise-client-urls", url().toString(),
            "--listen-peer-urls", peerUrl(),
            "--initial-advertise-peer-urls", peerUrl(),
            "--initial-cluster", initialCluster,
            "--initial-cluster-token", "qcfg-test",
            // Fast elections: tests kill members and wait for a new leader.
            "--heartbeat-interval", "25",
            "--election-timeout", "250"));
    cmd.addAll(extraArgs);
    try {
      Files.createDirectories(dataDir.getParent());
      process =
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(
                  dataDir.getParent().resolve(name + ".log").toFile()))
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits until this member reports a leader (etcd's {@code /health}). */
  void awaitHealthy() {
    await("etcd " + name + " healthy")
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(50))
        .ignoreExceptions()
        .until(this::healthy);
  }

  boolean healthy() throws IOException, InterruptedException {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(url().resolve("/health")).timeout(Duration.ofSeconds(1)).build(),
            HttpResponse.BodyHandlers.ofString());
    return r.statusCode() == 200 && r.body().contains("\"true\"");
  }

  /** SIGKILL, as a crash; waits until the process is gone. */
  void kill() {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Sends a signal ({@code STOP}, {@code CONT}) with the system's {@code kill}. */
  void signal(String name) throws IOException, InterruptedException {
    Process k = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
    if (k.waitFor() != 0) {
      throw new IOException("kill -" + name + " failed");
    }
  }

  /** Starts the same member again on the same ports and data. */
  void restart() {
    kill();
    start();
  }

  @Override
  public void close() {
    kill();
  }

  /** Two probes in a row may hand out the same port once the first socket is closed. */
  static int freePortOtherThan(int taken) {
    int port = freePort();
    while (port == taken) {
      port = freePort();
    }
    return port;
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
