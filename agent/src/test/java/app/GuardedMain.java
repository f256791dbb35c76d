package app;

import com.sun.net.httpserver.HttpServer;
import io.qcfg.ConfigValue;
import io.qcfg.HealthCheck;
import io.qcfg.OnConfigChange;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * The application of {@code ProbationIT} (issue 18): a pool whose size comes from {@code
 * pool-size}, bad above 50 in the way its first argument says:
 *
 * <pre>
 * listener   an @OnConfigChange method throws
 * probe      a @HealthCheck.Probe method answers false
 * url PORT   its own /health on 127.0.0.1:PORT answers 503
 * storm      threads die of uncaught exceptions, 20 a second, while it stays above 50
 * </pre>
 *
 * It prints {@code READY}, then answers {@code state} (version, pool size, the MBean's Probation
 * and LastAutoRollback, and how many uncaught exceptions reached its own handler) up to {@code END}.
 */
public final class GuardedMain {
  @ConfigValue("pool-size") static volatile int poolSize = 1;
  static volatile String mode = "";
  static final AtomicLong appHandlerCalls = new AtomicLong();

  @OnConfigChange
  static void changed() {
    if (mode.equals("listener") && poolSize > 50) {
      throw new IllegalStateException("pool of " + poolSize + " exhausts the database");
    }
  }

  @HealthCheck.Probe
  static boolean poolFits() {
    return !mode.equals("probe") || poolSize <= 50;
  }

  public static void main(String[] args) throws Exception {
    mode = args[0];
    // The application's own handler: qcfg must chain to it, not replace it.
    Thread.setDefaultUncaughtExceptionHandler((t, e) -> {
      appHandlerCalls.incrementAndGet();
      if (!t.getName().equals("worker")) {
        e.printStackTrace();
      }
    });
    if (mode.equals("url")) {
      HttpServer http = HttpServer.create(
          new InetSocketAddress("127.0.0.1", Integer.parseInt(args[1])), 0);
      http.createContext("/health", ex -> {
        int status = poolSize > 50 ? 503 : 200;
        ex.sendResponseHeaders(status, -1);
        ex.close();
      });
      http.start();
    }
    if (mode.equals("storm")) {
      Thread storm = new Thread(() -> {
        while (true) {
          if (poolSize > 50) {
            new Thread(() -> {
              throw new IllegalStateException("worker died: pool of " + poolSize);
            }, "worker").start();
          }
          try {
            Thread.sleep(50);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "storm");
      storm.setDaemon(true);
      storm.start();
    }
    System.out.println("READY " + poolSize);
    MBeanServer mbs = ManagementFactory.getPlatformMBeanServer();
    ObjectName qcfg = new ObjectName("io.qcfg:type=Config");
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = in.readLine()) != null; ) {
      if (line.trim().equals("state")) {
        System.out.println("version=" + io.qcfg.Qcfg.current().version());
        System.out.println("pool=" + poolSize);
        try { // the MBean is registered from the qcfg thread, maybe after READY
          System.out.println("probation=" + mbs.getAttribute(qcfg, "Probation"));
          System.out.println("lastAutoRollback=" + mbs.getAttribute(qcfg, "LastAutoRollback"));
        } catch (javax.management.JMException e) {
          System.out.println("mbean=" + e);
        }
        System.out.println("appHandlerCalls=" + appHandlerCalls.get());
        System.out.println("END");
      } else if (line.trim().equals("exit")) {
        System.exit(0);
      }
    }
  }
}
