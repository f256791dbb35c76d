package io.qcfg.agent;

import static org.awaitility.Awaitility.await;

import io.qcfg.internal.etcd.EtcdPublisher;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A real three-member etcd cluster on loopback for the canary ITs, its data and logs under a
 * scratch directory; ready once a first publish under {@code prefix} succeeded. Closing it kills
 * every member.
 */
final class EtcdCluster implements AutoCloseable {
  final List<String> clients = new ArrayList<>();
  final List<URI> endpoints;
  private final List<Process> members = new ArrayList<>();

  private EtcdCluster(Path etcd, Path tmp, String token) throws Exception {
    List<String> peers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      clients.add("http://127.0.0.1:" + EtcdFleetIT.freePort());
      peers.add("http://127.0.0.1:" + EtcdFleetIT.freePort());
    }
    StringBuilder cluster = new StringBuilder();
    for (int i = 0; i < 3; i++) {
      cluster.append(i == 0 ? "" : ",").append("m").append(i).append('=').append(peers.get(i));
    }
    for (int i = 0; i < 3; i++) {
      members.add(new ProcessBuilder(etcd.toString(), "--name", "m" + i, "--data-dir",
          tmp.resolve("etcd-m" + i).toString(), "--listen-client-urls", clients.get(i),
          "--advertise-client-urls", clients.get(i), "--listen-peer-urls", peers.get(i),
          "--initial-advertise-peer-urls", peers.get(i), "--initial-cluster", cluster.toString(),
          "--initial-cluster-state", "new", "--initial-cluster-token", token)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(
              tmp.resolve("etcd-m" + i + ".log").toFile()))
          .start());
    }
    endpoints = clients.stream().map(URI::create).toList();
  }

  /** Starts the cluster and publishes {@code files} under {@code prefix} once it answers. */
  static EtcdCluster start(Path etcd, Path tmp, String token, String prefix,
      Map<String, String> files) throws Exception {
    EtcdCluster c = new EtcdCluster(etcd, tmp, token);
    try {
      await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> EtcdPublisher.publish(
          c.endpoints, prefix, Optional.empty(), Duration.ofSeconds(5), files) > 0);
      return c;
    } catch (Throwable t) {
      c.close();
      throw t;
    }
  }

  /** The client URLs as the agent's {@code etcd} option spells them. */
  String option() {
    return String.join(";", clients);
  }

  /** The client URLs as the CLI's {@code --etcd} flag spells them. */
  String flag() {
    return String.join(",", clients);
  }

  @Override
  public void close() {
    members.forEach(Process::destroyForcibly);
  }
}
