package app;

import io.qcfg.ConfigValue;
import io.qcfg.OnConfigChange;
import io.qcfg.Qcfg;

/**
 * A fleet member for canary rollouts: prints {@code applied <value>} for every applied change,
 * and its {@code @OnConfigChange} method throws for {@code fleet.value = 666} (a valid change
 * that breaks the application: until probation exists, a listener failure is what makes the
 * default {@code LocalHealth} report unhealthy).
 */
public final class CanaryMain {
  @ConfigValue("fleet.value")
  static volatile int value = -1;

  @OnConfigChange
  static void changed() {
    System.out.println("applied " + value + " " + Qcfg.current().version());
    if (value == 666) {
      throw new IllegalStateException("value 666 breaks this application");
    }
  }

  public static void main(String[] args) throws Exception {
    System.out.println("ready " + value);
    while (System.in.read() >= 0) {
      // runs until stdin closes or the process is killed
    }
  }
}
