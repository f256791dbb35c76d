package app;

import io.qcfg.ConfigChange;
import io.qcfg.ConfigValue;
import io.qcfg.OnConfigChange;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Static bound fields of every supported type, and static listeners. */
public class Settings {
  @ConfigValue("s.int") static int anInt = 1;
  @ConfigValue("s.boxed") static Integer boxed = 2;
  @ConfigValue("s.long") static long aLong = 3L;
  @ConfigValue("s.double") static double aDouble = 4.5;
  @ConfigValue("s.bool") static boolean aBool;
  @ConfigValue("s.string") static String string = "declared";
  @ConfigValue("s.duration") static Duration duration = Duration.ofSeconds(1);
  @ConfigValue("s.mode") static Mode mode = Mode.SAFE;
  @ConfigValue("s.list") static List<Integer> list = List.of();
  @ConfigValue("s.map") static Map<String, String> map = Map.of();
  @ConfigValue("s.endpoint") static Endpoint endpoint = new Endpoint("none", 0);
  @ConfigValue("s.pool") static Pool pool;
  @ConfigValue("s.missing") static String missing = "default-kept";
  // Not a compile-time constant: the agent strips 'final', so it is hot.
  @ConfigValue("s.computed") static final String COMPUTED = String.valueOf("computed-default");

  static volatile int calls;
  static volatile String seenInListener = "";

  @OnConfigChange
  static void changed(ConfigChange change) {
    calls++;
    seenInListener = string; // fields are written before listeners run
  }

  @OnConfigChange
  static void broken() {
    throw new IllegalStateException("listener failure on purpose");
  }

  static String dump() {
    return "anInt=" + anInt + "\nboxed=" + boxed + "\naLong=" + aLong + "\naDouble=" + aDouble
        + "\naBool=" + aBool + "\nstring=" + string + "\nduration=" + duration + "\nmode=" + mode
        + "\nlist=" + list + "\nmap=" + map + "\nendpoint=" + endpoint + "\npool=" + pool
        + "\nmissing=" + missing + "\ncomputed=" + COMPUTED + "\nstaticCalls=" + calls
        + "\nseenInListener=" + seenInListener;
  }
}
