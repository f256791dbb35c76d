package app;

import io.qcfg.ConfigValue;
import io.qcfg.OnConfigChange;
import io.qcfg.Qcfg;
import io.qcfg.Snapshot;
import io.qcfg.internal.engine.Engine;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.time.Instant;

/**
 * One member of a fleet: a field bound to {@code fleet.value}, a line on stdout for every applied
 * change ({@code applied <value> <version> <epoch-micros>}), and {@code status} on stdin.
 */
public final class FleetMain {
  @ConfigValue("fleet.value")
  static volatile int value = -1;

  @OnConfigChange
  static void changed() {
    Instant now = Instant.now();
    System.out.println("applied " + value + " " + Qcfg.current().version() + " "
        + (now.getEpochSecond() * 1_000_000L + now.getNano() / 1000));
  }

  public static void main(String[] args) throws Exception {
    System.out.println("ready " + value + " " + Qcfg.current().version());
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
    for (String line; (line = in.readLine()) != null; ) {
      if (line.equals("status")) {
        Snapshot s = Qcfg.current();
        System.out.println("value=" + value);
        System.out.println("version=" + s.version());
        System.out.println("checksum=" + s.checksum());
        System.out.println("etcd=" + Engine.require().etcdRevision());
        System.out.println("END");
      } else if (line.equals("exit")) {
        System.exit(0);
      }
    }
  }
}
