package app;

import io.qcfg.ConfigValue;
import io.qcfg.OnConfigChange;
import io.qcfg.Qcfg;
import java.util.concurrent.CountDownLatch;

/**
 * An application whose {@code @OnConfigChange} method never returns once {@code hang.mode} is
 * {@code stuck}. It prints its bound field and what {@code Qcfg.current()} says whenever either
 * changes, so a test sees whether changes still apply while the method hangs.
 */
public final class HangMain {
  @ConfigValue("hang.value")
  static String value = "unset";

  @ConfigValue("hang.mode")
  static String mode = "fine";

  static final CountDownLatch never = new CountDownLatch(1);

  @OnConfigChange
  static void changed() throws InterruptedException {
    System.out.println("LISTENER mode=" + mode);
    if ("stuck".equals(mode)) {
      never.await(); // a listener that waits for something that never comes
    }
  }

  public static void main(String[] args) throws Exception {
    System.out.println("READY value=" + value);
    String last = "";
    while (true) {
      String now = "value=" + value + " current=" + Qcfg.current().getString("hang.value");
      if (!now.equals(last)) {
        System.out.println("SEEN " + now);
        last = now;
      }
      Thread.sleep(20); // polls the field as application code does; no test waits on it
    }
  }
}
