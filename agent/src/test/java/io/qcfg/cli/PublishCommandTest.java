package io.qcfg.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.qcfg.internal.etcd.EtcdLayer;
import io.qcfg.internal.etcd.EtcdSource;
import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code qcfg publish} against a real etcd on loopback (skipped where etcd is not installed). */
class PublishCommandTest {
  @TempDir Path tmp;
  Process etcd;
  String url;

  @BeforeEach
  void startEtcd() throws Exception {
    Optional<Path> bin = Optional.ofNullable(System.getenv("PATH")).stream()
        .flatMap(p -> List.of(p.split(File.pathSeparator)).stream())
        .map(d -> Path.of(d, "etcd")).filter(Files::isExecutable).findFirst();
    Assumptions.assumeTrue(bin.isPresent(), "etcd is not installed");
    int client = freePort();
    int peer = freePort();
    url = "http://127.0.0.1:" + client;
    etcd = new ProcessBuilder(bin.get().toString(), "--name", "p1", "--data-dir",
        tmp.resolve("etcd").toString(), "--listen-client-urls", url, "--advertise-client-urls", url,
        "--listen-peer-urls", "http://127.0.0.1:" + peer, "--initial-advertise-peer-urls",
        "http://127.0.0.1:" + peer, "--initial-cluster", "p1=http://127.0.0.1:" + peer)
        .redirectErrorStream(true).redirectOutput(tmp.resolve("etcd.log").toFile()).start();
    await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> {
      try (EtcdSource s = EtcdSource.connect(List.of(URI.create(url)), "/x/", Optional.empty(),
          Duration.ofSeconds(1))) {
        s.read("development");
        return true;
      }
    });
  }

  @AfterEach
  void stopEtcd() throws Exception {
    if (etcd != null) {
      etcd.destroyForcibly().waitFor();
    }
  }

  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  EtcdLayer read(String env) {
    try (EtcdSource s = EtcdSource.connect(List.of(URI.create(url)), "/qcfg/app/", Optional.empty(),
        Duration.ofSeconds(2))) {
      return s.read(env);
    }
  }

  @Test
  void publishesAValidDirectoryAtomicallyAndRefusesAnInvalidOne() throws Exception {
    Path dir = tmp.resolve("config");
    Files.createDirectories(dir.resolve("environments"));
    Files.writeString(dir.resolve("application.conf"), "a = 1\n");
    Files.writeString(dir.resolve("environments/production.conf"), "a = {\n");
    CliRun bad = CliRun.of("publish", "--dir", dir.toString(), "--etcd", url, "--prefix", "/qcfg/app/");
    assertThat(bad.status()).isEqualTo(1);
    assertThat(bad.out()).contains("production").contains("nothing published");
    assertThat(read("production").files()).isEmpty();

    Files.writeString(dir.resolve("environments/production.conf"), "a = 2\n");
    CliRun ok = CliRun.of("publish", "--dir", dir.toString(), "--etcd", url, "--prefix", "/qcfg/app/");
    assertThat(ok.status()).as(ok.out() + ok.err()).isZero();
    assertThat(ok.out()).contains("published 2 files under /qcfg/app/ at revision");
    assertThat(read("production").files()).extracting(f -> f.text())
        .containsExactly("a = 1\n", "a = 2\n");
  }
}
