package io.qcfg.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.qcfg.cli.QcfgCli;
import io.qcfg.internal.etcd.Canary;
import io.qcfg.internal.etcd.Rollouts;
import io.qcfg.internal.etcd.StatusEntry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18 item 2: canary rollouts against a real three-member etcd, five JVMs under the agent
 * ({@code jvm-1} and {@code jvm-5} are the 20% canaries: buckets 6 and 18). One test, so the
 * cluster and the JVMs start once: a bad canary aborts itself and the stable JVMs never see it;
 * a good one promotes itself to all five; concurrent promote and abort leave one consistent
 * state; a killed canary's status entry goes within the lease's time to live.
 */
@Timeout(240)
class CanaryRolloutIT {
  static final String PREFIX = "/qcfg/canary/";
  static final Duration TTL = Duration.ofSeconds(3);
  @TempDir Path tmp;
  final List<AppJvm> jvms = new ArrayList<>();
  EtcdCluster cluster;
  List<String> clients;
  List<URI> endpoints;

  @AfterEach
  void stop() {
    jvms.forEach(AppJvm::close);
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void canariesAbortABadChangePromoteAGoodOneAndLeaveWithTheirLease() throws Exception {
    Optional<Path> etcd = EtcdFleetIT.etcdBinary();
    Assumptions.assumeTrue(etcd.isPresent(), "etcd is not installed");
    cluster = EtcdCluster.start(etcd.get(), tmp, "qcfg-canary", PREFIX,
        Map.of("application.conf", "fleet.value = 1\n"));
    clients = cluster.clients;
    endpoints = cluster.endpoints;
    Path dir = tmp.resolve("config");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("application.conf"), "fleet { value = 0 }\n");
    for (int i = 1; i <= 5; i++) {
      AppJvm jvm = AppJvm.start("dir=" + dir + ",state=" + tmp.resolve("state" + i)
              + ",jmx=false,instance=jvm-" + i + ",etcd=" + String.join(";", clients)
              + ",etcd-prefix=" + PREFIX,
          List.of("-Dqcfg.rollout.lease-ttl=" + TTL.toSeconds(), "-Dqcfg.rollout.tick-ms=200"),
          "app.CanaryMain");
      jvms.add(jvm);
      assertThat(jvm.awaitOut("ready ")).isEqualTo("ready 1");
    }
    List<AppJvm> canaries = List.of(jvms.get(0), jvms.get(4));
    List<AppJvm> stable = List.of(jvms.get(1), jvms.get(2), jvms.get(3));
    assertThat(Canary.selected("jvm-1", 20)).isTrue();
    assertThat(Canary.selected("jvm-5", 20)).isTrue();
    assertThat(List.of("jvm-2", "jvm-3", "jvm-4")).noneMatch(id -> Canary.selected(id, 20));

    try (Rollouts rollouts = Rollouts.open(endpoints, PREFIX, Optional.empty(),
        Duration.ofSeconds(5), Optional.empty())) {
      await().atMost(Duration.ofSeconds(30))
          .until(() -> rollouts.view().statuses().size() == 5);
      String table = cli("rollout", "status", "--etcd", String.join(",", clients),
          "--prefix", PREFIX);
      assertThat(table).contains("jvm-1", "jvm-5", "5 instances reporting");

      // A bad change (its listener throws): only the canaries apply it, and it aborts itself.
      long t0 = System.nanoTime();
      rollouts.stage(Map.of("application.conf", "fleet.value = 666\n"), 20, Duration.ZERO);
      for (AppJvm c : canaries) {
        await(c.transcript()).atMost(Duration.ofSeconds(30)).until(() -> applied(c).contains(666));
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> rollouts.view().rollout().isEmpty());
      double abortMs = (System.nanoTime() - t0) / 1e6;
      for (AppJvm c : canaries) {
        await(c.transcript()).atMost(Duration.ofSeconds(30))
            .until(() -> backAfter(applied(c), 666, 1));
      }
      for (AppJvm s : stable) {
        assertThat(applied(s)).as("a stable JVM never sees the canary").doesNotContain(666);
      }

      // A good change through the CLI: staged at 20%, promoted by the canaries after 2 s.
      Path good = tmp.resolve("good");
      Files.createDirectories(good);
      Files.writeString(good.resolve("application.conf"), "fleet.value = 2\n");
      long t1 = System.nanoTime();
      assertThat(cliStatus("--dir", good.toString(), "publish", "--etcd", String.join(",", clients),
          "--prefix", PREFIX, "--canary", "20%", "--auto-promote", "2s")).isZero();
      for (AppJvm j : jvms) {
        await(j.transcript()).atMost(Duration.ofSeconds(40)).until(() -> applied(j).contains(2));
      }
      double promoteMs = (System.nanoTime() - t1) / 1e6;
      assertThat(rollouts.view().rollout()).isEmpty();
      for (AppJvm s : stable) {
        assertThat(applied(s)).containsExactly(2);
      }

      // Concurrent promote and abort: one wins, the other fails with exit 1, state consistent.
      rollouts.stage(Map.of("application.conf", "fleet.value = 3\n"), 20, Duration.ZERO);
      String[] promote = {"rollout", "promote", "--etcd", String.join(",", clients), "--prefix", PREFIX};
      String[] abort = {"rollout", "abort", "--etcd", String.join(",", clients), "--prefix", PREFIX};
      CompletableFuture<Integer> p = CompletableFuture.supplyAsync(() -> cliStatus(promote));
      CompletableFuture<Integer> a = CompletableFuture.supplyAsync(() -> cliStatus(abort));
      List<Integer> codes = List.of(p.get(), a.get());
      assertThat(codes).containsExactlyInAnyOrder(0, 1);
      assertThat(rollouts.view().rollout()).isEmpty();
      int expected = p.get() == 0 ? 3 : 2;
      for (AppJvm j : jvms) {
        await(j.transcript()).atMost(Duration.ofSeconds(30))
            .until(() -> applied(j).get(applied(j).size() - 1) == expected);
      }

      // A killed canary's status entry goes within the lease's time to live.
      rollouts.stage(Map.of("application.conf", "fleet.value = 4\n"), 20, Duration.ZERO);
      jvms.get(0).close();
      long t2 = System.nanoTime();
      await().atMost(TTL.plusSeconds(3)).pollInterval(Duration.ofMillis(50))
          .until(() -> rollouts.view().statuses().stream().map(StatusEntry::instance)
              .noneMatch("jvm-1"::equals));
      double goneMs = (System.nanoTime() - t2) / 1e6;
      assertThat(rollouts.view().statuses()).hasSize(4);
      String report = String.format("canary rollout, 5 JVMs, 3-member etcd: bad canary staged to"
          + " rollout aborted %.0f ms; good canary staged to applied on all five %.0f ms"
          + " (auto-promote 2 s); killed canary's status gone after %.0f ms (lease TTL %d s)%n",
          abortMs, promoteMs, goneMs, TTL.toSeconds());
      System.out.print(report);
      Files.writeString(Path.of("target", "canary-rollout.txt"), report);
    }
  }

  /** Whether {@code values} (one read: the JVM keeps printing) has {@code back} after {@code bad}. */
  static boolean backAfter(List<Integer> values, int bad, int back) {
    int i = values.indexOf(bad);
    return i >= 0 && values.subList(i, values.size()).contains(back);
  }

  private static List<Integer> applied(AppJvm jvm) {
    return jvm.stdout().stream().filter(l -> l.startsWith("applied "))
        .map(l -> Integer.parseInt(l.split(" ")[1])).toList();
  }

  private static String cli(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code = QcfgCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
    assertThat(code).isZero();
    return out.toString(StandardCharsets.UTF_8);
  }

  private static int cliStatus(String... args) {
    return QcfgCli.run(args, System.out, System.err);
  }
}
