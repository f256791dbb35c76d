package io.qcfg.internal.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.qcfg.QcfgException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Publishing against one real etcd shared by the class; each test has its prefix. */
class EtcdPublisherTest {
  @RegisterExtension static final SharedEtcd ETCD = new SharedEtcd();
  private String prefix;

  @BeforeEach
  void prefix(TestInfo info) {
    prefix = "/qcfg/" + info.getTestMethod().orElseThrow().getName() + "/";
  }

  private long publish(Map<String, String> files) {
    return EtcdPublisher.publish(List.of(ETCD.url()), prefix, Optional.empty(), files);
  }

  @Test
  void publishReplacesEverythingUnderThePrefixInOneRevision() {
    ETCD.admin().put(prefix + "application.conf", "old = 1");
    ETCD.admin().put(prefix + "environments/gone.conf", "old = 2");
    ETCD.admin().put(prefix + "aaa-before-everything", "x");
    ETCD.admin().put(prefix + "zzz-after-everything", "x");
    ETCD.admin().put(prefix + "environments/production.conf.bak", "x"); // sorts right after a published key
    String sibling = prefix.substring(0, prefix.length() - 1) + "2/application.conf";
    ETCD.admin().put(sibling, "untouched");

    long rev =
        publish(Map.of(
            "application.conf", "new = 1\n",
            "environments/production.conf", "new = 2\n",
            "environments/staging.conf", "grüße = 3\n"));

    Map<String, String> expected = new TreeMap<>();
    expected.put(prefix + "application.conf", "new = 1\n");
    expected.put(prefix + "environments/production.conf", "new = 2\n");
    expected.put(prefix + "environments/staging.conf", "grüße = 3\n");
    assertThat(ETCD.admin().list(prefix)).containsExactlyEntriesOf(expected);
    assertThat(ETCD.admin().list(sibling)).containsEntry(sibling, "untouched");
    for (String key : expected.keySet()) {
      assertThat(ETCD.admin().modRevision(key)).as(key).isEqualTo(rev);
    }
    assertThat(ETCD.admin().revision()).isEqualTo(rev);
  }

  @Test
  void aWatcherSeesAPublishAsOneChange() {
    ETCD.admin().put(prefix + "application.conf", "old = 1");
    long start = ETCD.admin().put(prefix + "environments/gone.conf", "old = 2");
    Events events = new Events();
    try (EtcdSource s =
            EtcdSource.connect(List.of(ETCD.url()), prefix, Optional.empty(), Duration.ofSeconds(3));
        EtcdWatch w = s.watch(start, events)) {
      long rev = publish(Map.of("application.conf", "new = 1"));

      await().atMost(Duration.ofSeconds(10)).until(() -> events.reached(rev));
      assertThat(events.all).hasSize(1);
      EtcdEvent.Changed c = events.changes().get(0);
      assertThat(c.revision()).isEqualTo(rev);
      assertThat(c.puts()).containsExactly(new EtcdFile(prefix + "application.conf", "new = 1", rev));
      assertThat(c.deletedKeys()).containsExactly(prefix + "environments/gone.conf");
    }
  }

  @Test
  void aRefusedTransactionWritesNothing() {
    ETCD.admin().put(prefix + "application.conf", "old = 1");
    Map<String, String> before = ETCD.admin().list(prefix);
    long revisionBefore = ETCD.admin().revision();
    // 70 files are 141 operations: over etcd's default limit of 128 per transaction.
    Map<String, String> many = new LinkedHashMap<>();
    for (int i = 0; i < 70; i++) {
      many.put("environments/e" + i + ".conf", "n = " + i);
    }

    assertThatThrownBy(() -> publish(many))
        .isInstanceOf(QcfgException.Invalid.class)
        .hasMessage("invalid configuration: etcd " + ETCD.url() + ": cannot publish 70 keys under "
            + prefix + ": etcd refused: etcdserver: too many operations in txn request (gRPC code"
            + " 3, invalid argument) [QCFG-4614]");
    assertThat(ETCD.admin().list(prefix)).isEqualTo(before);
    assertThat(ETCD.admin().revision()).isEqualTo(revisionBefore);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "/application.conf", "environments/", "a//b", "../x", "a/./b", "a\\b"})
  void aNameThatIsNotAPlainRelativeKeyIsRefusedBeforeAnyWrite(String name) {
    long revisionBefore = ETCD.admin().revision();

    assertThatThrownBy(() -> publish(Map.of("application.conf", "a = 1", name, "b = 2")))
        .isInstanceOf(QcfgException.BadOption.class)
        .hasMessageStartingWith("etcd " + prefix + ": cannot publish '" + name + "': expected a"
            + " name relative to the prefix such as application.conf")
        .hasMessageEndingWith("[QCFG-4603]");
    assertThat(ETCD.admin().revision()).isEqualTo(revisionBefore);
  }

  @Test
  void publishingNothingIsRefused() {
    ETCD.admin().put(prefix + "application.conf", "keep = 1");

    assertThatThrownBy(() -> publish(Map.of()))
        .isInstanceOf(QcfgException.BadOption.class)
        .hasMessage("etcd " + prefix + ": nothing to publish: expected at least application.conf or"
            + " one environments/<env>.conf (publishing nothing would delete the fleet's"
            + " configuration) [QCFG-4604]");
    assertThat(ETCD.admin().list(prefix)).containsOnlyKeys(prefix + "application.conf");
  }

  @Test
  void layerTextsTakeBaseAndEnvironmentsButNeverLocalOrSecrets(@TempDir Path config)
      throws Exception {
    Files.writeString(config.resolve("application.conf"), "a = 1\n");
    Files.createDirectories(config.resolve("environments"));
    Files.writeString(config.resolve("environments/production.conf"), "b = 2\n");
    Files.writeString(config.resolve("environments/notes.txt"), "ignored");
    Files.writeString(config.resolve("local.conf"), "dev = 1");
    Files.createDirectories(config.resolve("secrets"));
    Files.writeString(config.resolve("secrets/db.password"), "hunter2");

    assertThat(EtcdPublisher.layerTexts(config))
        .containsExactly(
            Map.entry("application.conf", "a = 1\n"),
            Map.entry("environments/production.conf", "b = 2\n"));
  }

  @Test
  void layerTextsReportEveryBadFile(@TempDir Path config) throws Exception {
    Files.write(config.resolve("application.conf"), new byte[] {'a', (byte) 0xff});
    Files.createDirectories(config.resolve("environments"));
    Files.writeString(config.resolve("environments/production.conf.peb"), "b = {{ env }}");

    assertThatThrownBy(() -> EtcdPublisher.layerTexts(config))
        .isInstanceOf(QcfgException.Invalid.class)
        .satisfies(e -> {
          var problems = ((QcfgException.Invalid) e).problems();
          assertThat(problems).extracting(p -> p.id()).containsOnly("QCFG-4605");
          assertThat(problems).extracting(p -> p.location())
              .allMatch(l -> l.endsWith("application.conf") || l.endsWith("production.conf.peb"));
          assertThat(problems).extracting(p -> p.reason())
              .containsExactly(
                  "expected UTF-8 HOCON text, found bytes that are not UTF-8",
                  "templates cannot be published to etcd: render it per environment, or keep it in"
                      + " the configuration directory");
        });
  }

  @Test
  void publishedTextsReadBackByteForByte() {
    String text = "# comment\nname = \"grüße ✓\"\nlist = [1, 2]\n";
    long rev = publish(Map.of("application.conf", text));
    try (EtcdSource s =
        EtcdSource.connect(List.of(ETCD.url()), prefix, Optional.empty(), Duration.ofSeconds(3))) {
      EtcdLayer layer = s.read("production");
      assertThat(layer.revision()).isEqualTo(rev);
      assertThat(layer.files()).containsExactly(new EtcdFile(prefix + "application.conf", text, rev));
      assertThat(layer.files().get(0).text().getBytes(StandardCharsets.UTF_8))
          .isEqualTo(text.getBytes(StandardCharsets.UTF_8));
    }
  }
}
