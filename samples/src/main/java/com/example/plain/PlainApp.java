package com.example.plain;

import io.qcfg.Qcfg;
import io.qcfg.Snapshot;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * A program with no annotations and no agent: it starts qcfg itself, reads values from the
 * active snapshot and listens for changes.
 *
 * <pre>
 * java -cp agent/target/qcfg.jar:samples/target/qcfg-samples.jar \
 *      com.example.plain.PlainApp samples/greeter/config
 * </pre>
 */
public final class PlainApp {
  public static void main(String[] args) throws InterruptedException {
    String dir = args.length > 0 ? args[0] : "samples/greeter/config";
    Snapshot s = Qcfg.start(Map.of("dir", dir, "jmx", "false"));
    System.out.println("version " + s.version() + " (" + s.environment() + "): greeting = "
        + s.getString("greeter.greeting") + ", db timeout = " + s.getDuration("db.timeout"));
    Qcfg.onChange(c -> System.out.println("version " + c.newSnapshot().version()
        + ": changed " + c.changedPaths() + ", greeting = "
        + c.newSnapshot().getString("greeter.greeting")));
    if (args.length > 1 && args[1].equals("--once")) {
      return;
    }
    new CountDownLatch(1).await();
  }
}
