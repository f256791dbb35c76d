package io.qcfg.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.qcfg.internal.etcd.EtcdPublisher;
import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10's fleet test: a three-member etcd cluster on loopback, three JVMs under the agent
 * watching it, one member killed and restarted while publishes go on. Every JVM must converge on
 * the same value, etcd revision and checksum, and apply each value at most once and in order.
 * Also reports publish-to-apply latency (all three JVMs applied), which it does not assert.
 */
class EtcdFleetIT {
  @TempDir Path tmp;
  final List<Process> members = new ArrayList<>();
  final List<List<String>> memberArgs = new ArrayList<>();
  final List<AppJvm> jvms = new ArrayList<>();

  @AfterEach
  void stop() {
    jvms.forEach(AppJvm::close);
    members.forEach(p -> p.destroyForcibly());
  }

  static Optional<Path> etcdBinary() {
    return Optional.ofNullable(System.getenv("PATH")).stream()
        .flatMap(p -> List.of(p.split(File.pathSeparator)).stream())
        .map(d -> Path.of(d, "etcd")).filter(Files::isExecutable).findFirst();
  }

  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void threeJvmsConvergeWhileAClusterMemberIsKilledAndRestarted() throws Exception {
    Optional<Path> etcd = etcdBinary();
    Assumptions.assumeTrue(etcd.isPresent(), "etcd is not installed");
    List<String> clients = new ArrayList<>();
    List<String> peers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      clients.add("http://127.0.0.1:" + freePort());
      peers.add("http://127.0.0.1:" + freePort());
    }
    String cluster = "";
    for (int i = 0; i < 3; i++) {
      cluster += (i == 0 ? "" : ",") + "m" + i + "=" + peers.get(i);
    }
    for (int i = 0; i < 3; i++) {
      memberArgs.add(List.of(etcd.get().toString(), "--name", "m" + i, "--data-dir",
          tmp.resolve("etcd-m" + i).toString(), "--listen-client-urls", clients.get(i),
          "--advertise-client-urls", clients.get(i), "--listen-peer-urls", peers.get(i),
          "--initial-advertise-peer-urls", peers.get(i), "--initial-cluster", cluster,
          "--initial-cluster-state", "new", "--initial-cluster-token", "qcfg-fleet"));
      members.add(startMember(i));
    }
    List<URI> endpoints = clients.stream().map(URI::create).toList();
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
        .until(() -> publish(endpoints, 1) > 0);

    Path dir = tmp.resolve("config");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("application.conf"), "fleet { value = 0, name = fleet }\n");
    for (int i = 0; i < 3; i++) {
      AppJvm jvm = AppJvm.start(
          "dir=" + dir + ",state=" + tmp.resolve("state" + i) + ",jmx=false,etcd="
              + String.join(";", clients) + ",etcd-prefix=/qcfg/fleet/",
          List.of(), "app.FleetMain");
      jvms.add(jvm);
      assertThat(jvm.awaitOut("ready ")).isEqualTo("ready 1 1");
    }

    // A member dies; the cluster keeps quorum; every JVM follows the publishes.
    members.get(0).destroyForcibly().waitFor();
    for (int v = 2; v <= 6; v++) {
      publishUntilAccepted(endpoints, v);
    }
    awaitAll(6);
    members.set(0, startMember(0));
    for (int v = 7; v <= 10; v++) {
      publishUntilAccepted(endpoints, v);
    }
    awaitAll(10);

    // Converged: same value, etcd revision and checksum everywhere.
    List<Map<String, String>> status = new ArrayList<>();
    for (AppJvm jvm : jvms) {
      status.add(jvm.values("status"));
    }
    assertThat(status).extracting(m -> m.get("value")).containsOnly("10");
    assertThat(status.stream().map(m -> m.get("etcd")).distinct()).hasSize(1);
    assertThat(status.stream().map(m -> m.get("checksum")).distinct()).hasSize(1);
    for (AppJvm jvm : jvms) {
      List<Integer> applied = appliedValues(jvm);
      assertThat(applied).as("applied in order, none twice").isSorted().doesNotHaveDuplicates();
      assertThat(applied).endsWith(10);
    }

    // Publish-to-apply latency, all three JVMs: reported, not asserted (a benchmark).
    int publishes = Integer.getInteger("qcfg.fleet.publishes", 20);
    List<Double> latencies = new ArrayList<>();
    for (int v = 100; v < 100 + publishes; v++) {
      long t0 = micros(Instant.now());
      publish(endpoints, v);
      awaitAll(v);
      long last = 0;
      for (AppJvm jvm : jvms) {
        last = Math.max(last, appliedAt(jvm, v));
      }
      latencies.add((last - t0) / 1000.0);
    }
    Collections.sort(latencies);
    String report = String.format(
        "publish-to-apply, 3 JVMs, 3-member etcd, n=%d: median %.1f ms, max %.1f ms%n",
        latencies.size(), latencies.get(latencies.size() / 2), latencies.get(latencies.size() - 1));
    System.out.print(report);
    Files.writeString(Path.of("target", "etcd-fleet-latency.txt"), report);
  }

  private Process startMember(int i) throws Exception {
    return new ProcessBuilder(memberArgs.get(i)).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(tmp.resolve("etcd-m" + i + ".log").toFile()))
        .start();
  }

  private static long publish(List<URI> endpoints, int value) {
    return EtcdPublisher.publish(endpoints, "/qcfg/fleet/", Optional.empty(), Duration.ofSeconds(5),
        Map.of("application.conf", "fleet.value = " + value + "\n"));
  }

  private static void publishUntilAccepted(List<URI> endpoints, int value) {
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> publish(endpoints, value) > 0);
  }

  private void awaitAll(int value) {
    for (AppJvm jvm : jvms) {
      await("value " + value + "\n" + jvm.transcript()).atMost(Duration.ofSeconds(60))
          .until(() -> appliedValues(jvm).contains(value));
    }
  }

  private static List<Integer> appliedValues(AppJvm jvm) {
    return jvm.stdout().stream().filter(l -> l.startsWith("applied "))
        .map(l -> Integer.parseInt(l.split(" ")[1])).collect(Collectors.toList());
  }

  private static long appliedAt(AppJvm jvm, int value) {
    return jvm.stdout().stream().filter(l -> l.startsWith("applied " + value + " "))
        .mapToLong(l -> Long.parseLong(l.split(" ")[3])).findFirst().orElseThrow();
  }

  private static long micros(Instant t) {
    return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
  }
}
