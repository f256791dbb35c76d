package app;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * An application with Micrometer: adds a SimpleMeterRegistry to the global registry, as Spring
 * Boot does with its registries, and answers {@code meters} on stdin with qcfg's meters.
 */
public final class MicrometerMain {
  public static void main(String[] args) throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Metrics.addRegistry(registry);
    System.out.println("READY");
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = in.readLine()) != null; ) {
      if (line.equals("meters")) {
        gauge(registry, "version", "qcfg.config.version");
        gauge(registry, "successful", "qcfg.config.last.reload.successful");
        gauge(registry, "timestamp", "qcfg.config.last.reload.success.timestamp");
        for (String outcome : new String[] {"accepted", "rejected"}) {
          FunctionCounter c = registry.find("qcfg.config.reloads").tag("outcome", outcome)
              .functionCounter();
          System.out.println(outcome + "=" + (c == null ? "none" : (long) c.count()));
          Timer t = registry.find("qcfg.config.reload.duration").tag("outcome", outcome).timer();
          System.out.println("timer." + outcome + "=" + (t == null ? "none" : t.count()));
        }
        System.out.println("END");
      }
    }
  }

  private static void gauge(SimpleMeterRegistry registry, String key, String name) {
    Gauge g = registry.find(name).gauge();
    System.out.println(key + "=" + (g == null ? "none" : String.valueOf(g.value())));
  }
}
