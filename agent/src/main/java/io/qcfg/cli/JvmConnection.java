package io.qcfg.cli;

import io.qcfg.internal.jmx.ConfigEndpoint;
import io.qcfg.internal.jmx.ConfigMXBean;
import java.io.IOException;
import javax.management.JMX;
import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/** A JMX connection to one running JVM, closed after the verb. */
final class JvmConnection implements AutoCloseable {
  private final long pid;
  private final MBeanServerConnection server;
  private final AutoCloseable closer;

  /**
   * @param pid the JVM's process id, for messages
   * @param server its MBean server
   * @param closer what closes the connection
   */
  JvmConnection(long pid, MBeanServerConnection server, AutoCloseable closer) {
    this.pid = pid;
    this.server = server;
    this.closer = closer;
  }

  /** Attaches to {@code pid}, starts its local JMX agent if needed, and connects. */
  static JvmConnection attach(long pid) {
    String address = AttachApi.localConnectorAddress(pid);
    try {
      JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(address));
      return new JvmConnection(pid, connector.getMBeanServerConnection(), connector);
    } catch (IOException | RuntimeException e) {
      throw CliFailure.failed(
          "QCFG-5204", "pid " + pid + ": cannot connect to its local JMX agent: " + io.qcfg.internal.crypto.ForeignText.describe(e));
    }
  }

  long pid() {
    return pid;
  }

  /** Whether the JVM has the qcfg MBean. */
  boolean hasQcfg() {
    try {
      return server.isRegistered(ConfigEndpoint.objectName());
    } catch (IOException e) {
      throw CliFailure.failed(
          "QCFG-5206", "pid " + pid + ": the JMX connection failed: " + io.qcfg.internal.crypto.ForeignText.describe(e));
    }
  }

  /**
   * The qcfg MBean of the JVM.
   *
   * @throws CliFailure when the JVM does not run qcfg
   */
  ConfigMXBean qcfg() {
    if (!hasQcfg()) {
      throw CliFailure.failed(
          "QCFG-5205",
          "pid "
              + pid
              + ": no qcfg here (no MBean "
              + ConfigEndpoint.OBJECT_NAME
              + "): start it"
              + " with -javaagent:qcfg.jar or run 'qcfg attach "
              + pid
              + "'");
    }
    return JMX.newMXBeanProxy(server, ConfigEndpoint.objectName(), ConfigMXBean.class);
  }

  @Override
  public void close() {
    try {
      closer.close();
    } catch (Exception e) {
      // The verb is done; a failing close changes nothing for the user.
    }
  }
}
