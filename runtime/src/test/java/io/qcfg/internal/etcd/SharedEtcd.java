package io.qcfg.internal.etcd;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One healthy single-node etcd shared by the tests of a class: started before the first test,
 * killed after the last. Each test is skipped, with the reason, when no etcd is installed.
 *
 * <pre>{@code @RegisterExtension static final SharedEtcd ETCD = new SharedEtcd();}</pre>
 */
final class SharedEtcd implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {
  private final Consumer<EtcdAdmin> setUp;
  private Path dir;
  private EtcdProcess etcd;
  private EtcdAdmin admin;

  SharedEtcd() {
    this(admin -> {});
  }

  /** With {@code setUp} run once on the fresh server, e.g. to enable authentication. */
  SharedEtcd(Consumer<EtcdAdmin> setUp) {
    this.setUp = setUp;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    if (!EtcdProcess.installed()) {
      return; // beforeEach skips every test with the reason
    }
    dir = Files.createTempDirectory("qcfg-etcd-");
    etcd = startHealthy();
    admin = new EtcdAdmin(etcd.url());
    setUp.accept(admin);
  }

  /**
   * A member that does not become healthy (once in CI: "not healthy in 20 s", most likely a
   * free port taken by someone else between the probe and etcd's bind) gets one more try on
   * fresh ports and a fresh data dir.
   */
  private EtcdProcess startHealthy() {
    try {
      return EtcdProcess.single(dir.resolve("first"));
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      return EtcdProcess.single(dir.resolve("second"));
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    EtcdProcess.assumeInstalled();
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    if (etcd != null) {
      etcd.close();
    }
    if (dir != null) {
      try (var paths = Files.walk(dir)) {
        for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  URI url() {
    return etcd.url();
  }

  EtcdAdmin admin() {
    return admin;
  }

  /** The member itself, for tests that kill or restart it. */
  EtcdProcess process() {
    return etcd;
  }
}
