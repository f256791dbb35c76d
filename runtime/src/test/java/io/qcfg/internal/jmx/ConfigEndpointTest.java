package io.qcfg.internal.jmx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qcfg.Qcfg;
import io.qcfg.internal.engine.Engine;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivilegedAction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.management.JMX;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.remote.JMXPrincipal;
import javax.security.auth.Subject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The MBean in-process, through the platform MBean server, as a local (admin) caller. */
class ConfigEndpointTest {
  static final String CANARY = "canary-XYZ";

  @TempDir Path dir;
  @TempDir Path state;

  MBeanServer server = ManagementFactory.getPlatformMBeanServer();
  ObjectName name = ConfigEndpoint.objectName();
  ConfigMXBean bean;

  @BeforeEach
  void start() throws Exception {
    Files.writeString(
        dir.resolve("application.conf"),
        """
        http { port = 8080, host = "localhost" }
        db { url = "jdbc:x", password = "%s" }
        qcfg.access { operators = [alice] }
        """
            .formatted(CANARY));
    Qcfg.start(Map.of("dir", dir.toString(), "state", state.toString(), "watch", "false"));
    ConfigEndpoint.register(Engine.require());
    bean = JMX.newMXBeanProxy(server, name, ConfigMXBean.class);
  }

  @AfterEach
  void stop() {
    ConfigEndpoint.unregister();
    Qcfg.stop();
  }

  @Test
  void attributesDescribeTheActiveSnapshot() throws Exception {
    assertThat(server.getAttribute(name, "Version")).isEqualTo(1L);
    assertThat((String) server.getAttribute(name, "Checksum"))
        .hasSize(64)
        .isEqualTo(Qcfg.current().checksum());
    assertThat(server.getAttribute(name, "Environment")).isEqualTo("development");
    assertThat(Instant.parse((String) server.getAttribute(name, "LoadedAt")))
        .isEqualTo(Qcfg.current().createdAt());
    assertThat(server.getAttribute(name, "LastReloadSuccessful")).isEqualTo(true);
    assertThat(server.getAttribute(name, "LastError")).isEqualTo("");
    assertThat(server.getAttribute(name, "ReloadCount")).isEqualTo(0L);
    assertThat(server.getAttribute(name, "RejectedCount")).isEqualTo(0L);
  }

  @Test
  void everyTypeOnTheWireIsOpen() throws Exception {
    Object value =
        server.invoke(name, "get", new Object[] {"http.port"}, new String[] {"java.lang.String"});
    assertThat(value).isInstanceOf(CompositeData.class);
    CompositeData cd = (CompositeData) value;
    assertThat(cd.get("value")).isEqualTo("8080");
    assertThat((String) cd.get("location")).endsWith("application.conf:1");
    assertThat(cd.get("layer")).isEqualTo("base");
    assertThat(cd.get("secret")).isEqualTo(false);
    Object diff = server.invoke(name, "diff", new Object[] {1L, 1L}, new String[] {"long", "long"});
    assertThat(diff).isInstanceOf(CompositeData[].class);
  }

  @Test
  void getRedactsSecretsForEveryCaller() {
    ValueInfo secret = bean.get("db.password");
    assertThat(secret.getValue()).isEqualTo("<redacted>");
    assertThat(secret.isSecret()).isTrue();
    ValueInfo subtree = bean.get("db");
    assertThat(subtree.getValue()).contains("<redacted>").contains("jdbc:x").doesNotContain(CANARY);
    assertThat(subtree.isSecret()).isTrue();
  }

  @Test
  void getOfAMissingOrBlankPathNamesThePath() {
    assertThatThrownBy(() -> bean.get("http.nope"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("QCFG-5113: version 1: http.nope: no value at this path");
    assertThatThrownBy(() -> bean.get(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("QCFG-5114: ");
  }

  @Test
  void overridesAreAppliedAndClearedAsVersions() {
    assertThat(bean.setOverride("http.port", "9090"))
        .startsWith("override http.port: applied version 2, checksum ");
    assertThat(bean.getVersion()).isEqualTo(2);
    ValueInfo v = bean.get("http.port");
    assertThat(v.getValue()).isEqualTo("9090");
    assertThat(v.getLayer()).isEqualTo("override");

    assertThat(bean.clearOverride("http.port"))
        .startsWith("clear override http.port: applied version 3");
    assertThat(bean.get("http.port").getValue()).isEqualTo("8080");
    assertThat(bean.clearOverride("http.port"))
        .startsWith("clear override http.port: unchanged at version 3");
    assertThat(bean.getReloadCount()).isEqualTo(2);
  }

  @Test
  void diffOfKeptVersionsListsChangedLeavesWithSecretsRedacted() throws Exception {
    ConfigEndpoint.register(new KeptVersions(Engine.require()), AccessDeniedListener.NONE);
    bean.setOverride("http.port", "9090");
    bean.setOverride("db.password", "\"other-secret\"");
    bean.setOverride("http.extra", "[1, 2]");
    ChangeInfo[] changes = bean.diff(1, 4);
    assertThat(changes)
        .extracting(ChangeInfo::toString)
        .containsExactly(
            "~ db.password: <redacted> -> <redacted>  # override (override)",
            "+ http.extra = [1,2]  # override (override)",
            "~ http.port: 8080 -> 9090  # override (override)");
    assertThat(changes[0].isSecret()).isTrue();
    assertThat(changes[0].getBeforeLocation()).endsWith("application.conf:2 (base)");
    assertThat(bean.diff(4, 1))
        .extracting(ChangeInfo::getKind)
        .containsExactly("changed", "removed", "changed");
    String all = String.join("\n", java.util.Arrays.stream(changes).map(Object::toString).toList());
    assertThat(all).doesNotContain(CANARY).doesNotContain("other-secret");
  }

  @Test
  void overrideOfASecretNeverEchoesTheValue() {
    String result = bean.setOverride("db.password", "\"other-secret\"");
    assertThat(result).doesNotContain("other-secret");
    assertThat(bean.get("db.password").getValue()).isEqualTo("<redacted>");
  }

  @Test
  void reloadWithoutChangeIsNotANewVersion() {
    assertThat(bean.reload()).startsWith("reload: unchanged at version 1, checksum ");
    assertThat(bean.getVersion()).isEqualTo(1);
    assertThat(bean.getReloadCount()).isEqualTo(1);
  }

  @Test
  void rejectedReloadKeepsTheActiveSnapshotAndExposesEveryProblem() throws Exception {
    String before = bean.getChecksum();
    Files.writeString(dir.resolve("application.conf"), "http { port = 8080\n");
    assertThatThrownBy(() -> bean.reload())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("QCFG-5120: reload rejected, keeping version 1: ")
        .hasMessageContaining("application.conf:");
    assertThat(bean.getVersion()).isEqualTo(1);
    assertThat(bean.getChecksum()).isEqualTo(before);
    assertThat(bean.isLastReloadSuccessful()).isFalse();
    assertThat(bean.getLastError()).contains("application.conf:").contains("[QCFG-");
    assertThat(bean.getRejectedCount()).isEqualTo(1);
  }

  @Test
  void switchEnvironmentRebuildsOrRefuses() {
    assertThat(bean.switchEnvironment("production"))
        .startsWith("switch to production: applied version 2")
        .endsWith("environment production");
    assertThat(bean.getEnvironment()).isEqualTo("production");
    assertThatThrownBy(() -> bean.switchEnvironment("nowhere"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("QCFG-5120: switch to nowhere rejected, keeping version 2: ")
        .hasMessageContaining("unknown environment 'nowhere'");
    assertThat(bean.getEnvironment()).isEqualTo("production");
  }

  @Test
  void historyRollbackAndDiffOfKeptVersions() {
    bean.setOverride("http.port", "9091");
    assertThat(bean.history()).extracting(h -> h.getVersion()).containsExactly(1L, 2L);
    assertThat(bean.diff(1, 2)).isNotEmpty();
    assertThat(bean.rollback(1)).contains("version 3");
    assertThat(bean.getVersion()).isEqualTo(3);
    assertThatThrownBy(() -> bean.rollback(42))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not in history");
    assertThatThrownBy(() -> bean.diff(1, 7))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("version 7 is not in history");
    assertThat(bean.diff(1, 1)).isEmpty();
  }

  @Test
  void registrationIsIdempotentAndUndone() {
    ConfigEndpoint.register(Engine.require());
    ConfigEndpoint.register(Engine.require());
    assertThat(server.isRegistered(name)).isTrue();
    assertThat(System.getProperty(ConfigEndpoint.MARKER_PROPERTY)).isEqualTo("io.qcfg:type=Config");
    assertThat(bean.getVersion()).isEqualTo(1);
    assertThat(Qcfg.current().paths()).noneMatch(p -> p.contains("mbean"));
    ConfigEndpoint.unregister();
    assertThat(server.isRegistered(name)).isFalse();
    assertThat(System.getProperty(ConfigEndpoint.MARKER_PROPERTY)).isNull();
    ConfigEndpoint.unregister();
  }

  @Test
  @SuppressWarnings("removal")
  void aRemotePrincipalGetsItsRoleFromTheConfigAndDenialsAreReported() {
    List<String> denied = new ArrayList<>();
    ConfigEndpoint.register(
        ConfigOperations.of(Engine.require()),
        (caller, op, needed) ->
            denied.add(caller.principal() + "/" + caller.role() + "/" + op + "/" + needed));
    Subject bob = new Subject(true, Set.of(new JMXPrincipal("bob")), Set.of(), Set.of());
    Subject alice = new Subject(true, Set.of(new JMXPrincipal("alice")), Set.of(), Set.of());

    assertThatThrownBy(() -> Subject.doAs(bob, (PrivilegedAction<String>) () -> bean.reload()))
        .isInstanceOf(SecurityException.class)
        .hasMessage("QCFG-5101: bob (role reader) may not call reload(): needs operator");
    assertThat(Subject.doAs(bob, (PrivilegedAction<String>) () -> bean.get("http.port").getValue()))
        .isEqualTo("8080");
    assertThat(Subject.doAs(alice, (PrivilegedAction<String>) () -> bean.reload()))
        .startsWith("reload: unchanged");
    assertThatThrownBy(
            () ->
                Subject.doAs(
                    alice,
                    (PrivilegedAction<String>)
                        () -> bean.setOverride("qcfg.access.admins", "[alice]")))
        .isInstanceOf(SecurityException.class)
        .hasMessage(
            "QCFG-5102: alice (role operator) may not call setOverride(qcfg.access.admins):"
                + " changing qcfg.access needs admin");
    assertThat(denied)
        .containsExactly(
            "bob/READER/reload()/OPERATOR", "alice/OPERATOR/setOverride(qcfg.access.admins)/ADMIN");
    assertThat(bean.getVersion()).isEqualTo(1);
  }

  /** Operations that keep every applied snapshot: what integration's history store provides. */
  static final class KeptVersions implements ConfigOperations {
    private final ConfigOperations runtime;
    private final Map<Long, io.qcfg.internal.snapshot.ConfigSnapshot> kept =
        new java.util.concurrent.ConcurrentHashMap<>();

    KeptVersions(Engine r) throws Exception {
      this.runtime = ConfigOperations.of(r);
      kept.put(r.current().version(), r.current());
      r.addListener(
          c ->
              kept.put(
                  c.newSnapshot().version(),
                  (io.qcfg.internal.snapshot.ConfigSnapshot) c.newSnapshot()));
    }

    @Override
    public io.qcfg.internal.snapshot.ConfigSnapshot current() {
      return runtime.current();
    }

    @Override
    public boolean lastReloadSuccessful() {
      return runtime.lastReloadSuccessful();
    }

    @Override
    public String lastError() {
      return runtime.lastError();
    }

    @Override
    public Instant loadedAt() {
      return runtime.loadedAt();
    }

    @Override
    public long reloadCount() {
      return runtime.reloadCount();
    }

    @Override
    public long rejectedCount() {
      return runtime.rejectedCount();
    }

    @Override
    public io.qcfg.Snapshot reload(String actor) {
      return runtime.reload(actor);
    }

    @Override
    public io.qcfg.Snapshot rollback(long v, String actor) {
      return runtime.rollback(v, actor);
    }

    @Override
    public List<HistoryInfo> history() {
      return runtime.history();
    }

    @Override
    public io.qcfg.internal.snapshot.ConfigSnapshot snapshotAt(long version) {
      var s = kept.get(version);
      if (s == null) {
        throw new io.qcfg.QcfgException.Refused("QCFG-5112", "version " + version + " is not kept");
      }
      return s;
    }

    @Override
    public io.qcfg.Snapshot setOverride(String p, String v, String actor) {
      return runtime.setOverride(p, v, actor);
    }

    @Override
    public io.qcfg.Snapshot clearOverride(String p, String actor) {
      return runtime.clearOverride(p, actor);
    }

    @Override
    public io.qcfg.Snapshot switchEnvironment(String e, String actor) {
      return runtime.switchEnvironment(e, actor);
    }
  }
}
