package app;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;

/**
 * Waits until qcfg says its MBean is registered (system property {@code qcfg:mbean}; with
 * argument {@code nowait}, until qcfg has started), prints how
 * many MBean servers exist, then answers commands from stdin: {@code create} asks for the
 * platform MBean server, as an application that exports its own MBeans does, and prints whether
 * the qcfg MBean is in it and its version; {@code count} prints the servers again.
 */
public final class PlatformServerMain {
  public static void main(String[] args) throws Exception {
    long deadline = System.nanoTime() + 60_000_000_000L;
    boolean wait = args.length == 0 || !args[0].equals("nowait");
    if (!wait) {
      io.qcfg.Qcfg.current(); // qcfg has started: it would have registered by now
    }
    while (wait && System.getProperty("qcfg:mbean") == null && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    System.out.println("marker=" + System.getProperty("qcfg:mbean"));
    System.out.println("servers=" + MBeanServerFactory.findMBeanServer(null).size());
    System.out.println("READY");
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = in.readLine()) != null; ) {
      if (line.equals("create")) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName qcfg = new ObjectName("io.qcfg:type=Config");
        System.out.println("registered=" + server.isRegistered(qcfg));
        if (server.isRegistered(qcfg)) {
          System.out.println("version=" + server.getAttribute(qcfg, "Version"));
        }
      }
      System.out.println("servers=" + MBeanServerFactory.findMBeanServer(null).size());
      System.out.println("END");
    }
  }
}
