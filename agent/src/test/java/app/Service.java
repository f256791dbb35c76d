package app;

import io.qcfg.ConfigChange;
import io.qcfg.ConfigValue;
import io.qcfg.OnConfigChange;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Instance bound fields of every supported type, and instance listeners. */
public class Service {
  @ConfigValue("i.int") int anInt = 10;
  @ConfigValue("i.boxed") Long boxed = 11L;
  @ConfigValue("i.string") String string = "declared";
  @ConfigValue("i.duration") Duration duration = Duration.ofMillis(5);
  @ConfigValue("i.mode") Mode mode = Mode.FAST;
  @ConfigValue("i.list") List<String> list = List.of("x");
  @ConfigValue("i.map") Map<String, Integer> map = Map.of();
  @ConfigValue("i.endpoint") Endpoint endpoint;
  @ConfigValue("i.pool") Pool pool;
  @ConfigValue("i.missing") int missing = 42;
  @ConfigValue("i.constant") final int constant = 7; // a constant: warned, never hot

  volatile int calls;
  volatile String seenInListener = "";
  final String label;

  public Service() {
    this("main");
  }

  Service(String label) {
    super();
    this.label = label;
  }

  @OnConfigChange
  void changed() {
    calls++;
    seenInListener = string;
  }

  String dump(String prefix) {
    return prefix + "anInt=" + anInt + "\n" + prefix + "boxed=" + boxed + "\n" + prefix + "string="
        + string + "\n" + prefix + "duration=" + duration + "\n" + prefix + "mode=" + mode + "\n"
        + prefix + "list=" + list + "\n" + prefix + "map=" + map + "\n" + prefix + "endpoint="
        + endpoint + "\n" + prefix + "pool=" + pool + "\n" + prefix + "missing=" + missing + "\n"
        + prefix + "constant=" + constant + "\n" + prefix + "calls=" + calls + "\n" + prefix
        + "seenInListener=" + seenInListener;
  }
}
