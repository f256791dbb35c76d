package io.qcfg.internal.jmx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qcfg.Qcfg;
import io.qcfg.internal.engine.Engine;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.rmi.registry.LocateRegistry;
import java.rmi.registry.Registry;
import java.rmi.server.UnicastRemoteObject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.management.JMX;
import javax.management.remote.JMXAuthenticator;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXConnectorServer;
import javax.management.remote.JMXConnectorServerFactory;
import javax.management.remote.JMXPrincipal;
import javax.management.remote.JMXServiceURL;
import javax.security.auth.Subject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Roles over a real remote RMI connector with password authentication on a loopback port: the
 * principal arrives in the call's Subject and its role comes from {@code qcfg.access}.
 */
class RemoteRolesTest {
  static final Map<String, String> PASSWORDS =
      Map.of("alice", "alice-pw", "bob", "bob-pw", "root", "root-pw");

  @TempDir Path dir;
  @TempDir Path state;

  Registry registry;
  JMXConnectorServer connectorServer;
  JMXServiceURL url;
  final List<String> denied = new CopyOnWriteArrayList<>();
  final List<JMXConnector> clients = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    Files.writeString(
        dir.resolve("application.conf"),
        """
        http.port = 8080
        db.password = "canary-XYZ"
        qcfg.access { operators = [alice], admins = [root] }
        """);
    Qcfg.start(Map.of("dir", dir.toString(), "state", state.toString(), "watch", "false"));
    ConfigEndpoint.register(
        ConfigOperations.of(Engine.require()),
        (caller, op, needed) -> denied.add(caller.principal() + " " + op));

    // RMI stubs carry this host name; loopback keeps the test off the network.
    System.setProperty("java.rmi.server.hostname", "127.0.0.1");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    registry = LocateRegistry.createRegistry(port);
    url = new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + port + "/jmxrmi");
    JMXAuthenticator passwords =
        credentials -> {
          String[] userAndPassword = (String[]) credentials;
          if (userAndPassword == null
              || userAndPassword.length != 2
              || !userAndPassword[1].equals(PASSWORDS.get(userAndPassword[0]))) {
            throw new SecurityException("bad user or password");
          }
          return new Subject(
              true, Set.of(new JMXPrincipal(userAndPassword[0])), Set.of(), Set.of());
        };
    connectorServer =
        JMXConnectorServerFactory.newJMXConnectorServer(
            url,
            Map.of("jmx.remote.authenticator", passwords),
            ManagementFactory.getPlatformMBeanServer());
    connectorServer.start();
  }

  @AfterEach
  void stop() throws Exception {
    for (JMXConnector c : clients) {
      c.close();
    }
    connectorServer.stop();
    UnicastRemoteObject.unexportObject(registry, true);
    ConfigEndpoint.unregister();
    Qcfg.stop();
  }

  ConfigMXBean as(String user) throws Exception {
    JMXConnector c =
        JMXConnectorFactory.connect(
            url, Map.of(JMXConnector.CREDENTIALS, new String[] {user, PASSWORDS.get(user)}));
    clients.add(c);
    return JMX.newMXBeanProxy(
        c.getMBeanServerConnection(), ConfigEndpoint.objectName(), ConfigMXBean.class);
  }

  @Test
  void denialsReachTheAuditLogWithThePrincipal() throws Exception {
    Engine rt = Engine.require();
    ConfigEndpoint.register(ConfigOperations.of(rt), ConfigEndpoint.accessDeniedListener(rt));
    ConfigMXBean bob = as("bob");
    assertThatThrownBy(bob::reload).isInstanceOf(SecurityException.class);
    String audit = java.nio.file.Files.readString(state.resolve("audit.log"));
    assertThat(audit).contains("\"access-denied\"").contains("\"bob\"").contains("reload()");
    assertThat(io.qcfg.internal.audit.AuditVerifier.verify(state).ok()).isTrue();
  }

  @Test
  void aReaderReadsButMayNotChangeAnything() throws Exception {
    ConfigMXBean bob = as("bob");
    assertThat(bob.getVersion()).isEqualTo(1);
    assertThat(bob.get("http.port").getValue()).isEqualTo("8080");
    assertThat(bob.get("db.password").getValue()).isEqualTo("<redacted>");
    assertThat(bob.diff(1, 1)).isEmpty();

    assertThatThrownBy(bob::reload)
        .isInstanceOf(SecurityException.class)
        .hasMessage("QCFG-5101: bob (role reader) may not call reload(): needs operator");
    assertThatThrownBy(() -> bob.setOverride("http.port", "1"))
        .isInstanceOf(SecurityException.class)
        .hasMessage(
            "QCFG-5101: bob (role reader) may not call setOverride(http.port): needs operator");
    assertThatThrownBy(() -> bob.clearOverride("http.port"))
        .isInstanceOf(SecurityException.class)
        .hasMessageContaining("needs operator");
    assertThatThrownBy(() -> bob.rollback(1))
        .isInstanceOf(SecurityException.class)
        .hasMessage("QCFG-5101: bob (role reader) may not call rollback(1): needs operator");
    assertThatThrownBy(() -> bob.switchEnvironment("production"))
        .isInstanceOf(SecurityException.class)
        .hasMessage(
            "QCFG-5101: bob (role reader) may not call switchEnvironment(production): needs admin");

    assertThat(bob.getVersion()).isEqualTo(1);
    assertThat(bob.getReloadCount()).isZero();
    assertThat(denied)
        .containsExactly(
            "bob reload()",
            "bob setOverride(http.port)",
            "bob clearOverride(http.port)",
            "bob rollback(1)",
            "bob switchEnvironment(production)");
  }

  @Test
  void anOperatorChangesButMayNotSwitchOrPromote() throws Exception {
    ConfigMXBean alice = as("alice");
    assertThat(alice.reload()).startsWith("reload: unchanged at version 1");
    assertThat(alice.setOverride("http.port", "9090"))
        .startsWith("override http.port: applied version 2");
    assertThat(Qcfg.current().cause()).isEqualTo("override http.port by jmx:alice");
    assertThat(alice.clearOverride("http.port")).contains("applied version 3");

    assertThatThrownBy(() -> alice.switchEnvironment("production"))
        .isInstanceOf(SecurityException.class)
        .hasMessage(
            "QCFG-5101: alice (role operator) may not call switchEnvironment(production): needs"
                + " admin");
    assertThatThrownBy(() -> alice.setOverride("qcfg.access.admins", "[alice]"))
        .isInstanceOf(SecurityException.class)
        .hasMessageStartingWith(
            "QCFG-5102: alice (role operator) may not call setOverride(qcfg.access.admins)");
    assertThatThrownBy(() -> alice.setOverride("qcfg", "{}"))
        .isInstanceOf(SecurityException.class)
        .hasMessageStartingWith("QCFG-5102: ");
    assertThat(alice.getEnvironment()).isEqualTo("development");
    assertThat(alice.getVersion()).isEqualTo(3);
    assertThat(denied).hasSize(3);
  }

  @Test
  void anAdminSwitchesEnvironments() throws Exception {
    ConfigMXBean root = as("root");
    assertThat(root.switchEnvironment("staging")).contains("applied version 2");
    assertThat(root.getEnvironment()).isEqualTo("staging");
    assertThat(denied).isEmpty();
  }

  @Test
  void aWrongPasswordDoesNotConnect() {
    assertThatThrownBy(
            () ->
                JMXConnectorFactory.connect(
                    url, Map.of(JMXConnector.CREDENTIALS, new String[] {"alice", "nope"})))
        .isInstanceOf(SecurityException.class);
  }
}
