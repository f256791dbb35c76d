package app;

import io.qcfg.ConfigValue;
import io.qcfg.HealthCheck;
import io.qcfg.OnConfigChange;
import io.qcfg.Qcfg;

/**
 * A fleet member for canary rollouts under probation: prints {@code applied <value> <version>}
 * for every applied change; its {@code @HealthCheck.Probe} answers false while {@code
 * fleet.value = 666} (a valid change that breaks the application, seen only by a health signal:
 * no listener throws).
 */
public final class CanaryProbeMain {
  @ConfigValue("fleet.value")
  static volatile int value = -1;

  @OnConfigChange
  static void changed() {
    System.out.println("applied " + value + " " + Qcfg.current().version());
  }

  @HealthCheck.Probe
  static boolean fits() {
    return value != 666;
  }

  public static void main(String[] args) throws Exception {
    System.out.println("ready " + value);
    while (System.in.read() >= 0) {
      // runs until stdin closes or the process is killed
    }
  }
}
