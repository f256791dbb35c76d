package io.qcfg.cli;

import io.qcfg.internal.jmx.ConfigEndpoint;
import java.util.List;

/**
 * How the CLI reaches running JVMs. {@link #ATTACH} uses the attach API; tests substitute an
 * in-process connection.
 */
interface Jvms {
  /** The attach API and the local JMX connector (same OS user only). */
  Jvms ATTACH =
      new Jvms() {
        @Override
        public JvmConnection open(long pid) {
          return JvmConnection.attach(pid);
        }

        @Override
        public List<Long> list() {
          return AttachApi.listPids();
        }

        @Override
        public boolean marked(long pid) {
          return AttachApi.hasSystemProperty(pid, ConfigEndpoint.MARKER_PROPERTY);
        }
      };

  /**
   * Connects to the JMX server of {@code pid}.
   *
   * @throws CliFailure when the JVM cannot be reached
   */
  JvmConnection open(long pid);

  /** The pids of the local JVMs that may be attached to, not this one. */
  List<Long> list();

  /**
   * Whether {@code pid} says it has the qcfg MBean ({@link ConfigEndpoint#MARKER_PROPERTY}). Lets
   * {@code status} skip other JVMs without starting a JMX agent in them.
   *
   * @throws CliFailure when the JVM cannot be attached to
   */
  boolean marked(long pid);
}
