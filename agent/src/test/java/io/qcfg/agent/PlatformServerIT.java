package io.qcfg.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Under the agent qcfg does not create the platform MBean server (it costs a start 200 ms of CPU
 * and starts java.util.logging): its MBean is registered when someone else creates the server,
 * in the same call (issue 16; {@code PlatformServer}). Where that cannot be relied on, qcfg
 * registers at once, as before.
 */
@Timeout(180)
class PlatformServerIT {
  private static final ObjectName QCFG = io.qcfg.internal.jmx.ConfigEndpoint.objectName();

  @TempDir Path tmp;
  private String options;

  @BeforeEach
  void config() throws Exception {
    options = AppJvm.oneFileConfig(tmp, "s { int = 80 }\n", "watch=false");
  }

  @Test
  void theMBeanComesWithThePlatformServerTheApplicationCreates() throws Exception {
    try (AppJvm app = AppJvm.start(options, List.of(), "app.PlatformServerMain")) {
      app.awaitOut("READY");
      assertThat(app.stdout()).contains("marker=io.qcfg:type=Config", "servers=0");
      assertThat(app.command("create")).containsExactly("registered=true", "version=1", "servers=1");
    }
  }

  @Test
  void theMBeanIsThereForARemoteClientOfTheJdksJmxAgent() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    List<String> jvm = List.of("-Dcom.sun.management.jmxremote.port=" + port,
        "-Dcom.sun.management.jmxremote.rmi.port=" + port,
        "-Dcom.sun.management.jmxremote.authenticate=false",
        "-Dcom.sun.management.jmxremote.ssl=false",
        "-Dcom.sun.management.jmxremote.host=127.0.0.1",
        "-Djava.rmi.server.hostname=127.0.0.1");
    try (AppJvm app = AppJvm.start(options, jvm, "app.PlatformServerMain")) {
      app.awaitOut("READY");
      JMXServiceURL url = new JMXServiceURL(
          "service:jmx:rmi:///jndi/rmi://127.0.0.1:" + port + "/jmxrmi");
      try (JMXConnector connector = JMXConnectorFactory.connect(url)) {
        MBeanServerConnection server = connector.getMBeanServerConnection();
        assertThat(server.isRegistered(QCFG)).isTrue();
        assertThat(server.getAttribute(QCFG, "Version")).isEqualTo(1L);
      }
    }
  }

  @Test
  void withAnotherBuilderNamedQcfgRegistersAtOnce() throws Exception {
    assertRegisteredAtOnce(options, List.of(
        "-Djavax.management.builder.initial=javax.management.MBeanServerBuilder"));
  }

  @Test
  void aRenamedJarOffTheBootstrapClassPathRegistersAtOnce() throws Exception {
    Path renamed = Files.copy(AppJvm.jar(), tmp.resolve("qcfg-renamed.jar"));
    assertRegisteredAtOnce(null, List.of("-javaagent:" + renamed + "=" + options));
  }

  /** qcfg made the platform server itself once started, and its MBean is in it. */
  private static void assertRegisteredAtOnce(String agentOptions, List<String> jvm)
      throws Exception {
    try (AppJvm app = AppJvm.start(agentOptions, jvm, "app.PlatformServerMain")) {
      app.awaitOut("READY");
      assertThat(app.stdout()).contains("marker=io.qcfg:type=Config", "servers=1");
      assertThat(app.command("create")).containsExactly("registered=true", "version=1", "servers=1");
    }
  }

  @Test
  void withJmxOffNothingIsNamedAndNothingRegistered() throws Exception {
    try (AppJvm app = AppJvm.start(options + ",jmx=false", List.of(), "app.PlatformServerMain",
        "nowait")) {
      app.awaitOut("READY");
      assertThat(app.stdout()).contains("marker=null", "servers=0");
      assertThat(app.command("create")).containsExactly("registered=false", "servers=1");
    }
  }
}
