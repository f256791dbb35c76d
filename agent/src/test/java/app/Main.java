package app;

import io.qcfg.Qcfg;
import io.qcfg.internal.engine.Engine;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The application the agent tests start under {@code -javaagent}. It touches its annotated
 * classes, prints {@code READY}, then obeys one command per stdin line and ends each answer with
 * {@code END}:
 *
 * <pre>
 * print               every bound value, as name=value lines
 * reload              Qcfg.reload(): OK version / ERR message
 * set PATH VALUE      Qcfg.setOverride
 * clear PATH          Qcfg.clearOverride
 * live                bound objects tracked by the binder after GC
 * rebind              Qcfg.bind on an object the agent bound already, then "live"
 * million             creates 1,000,000 short-lived annotated objects, then "live"
 * torn N              N record changes while a reader checks record consistency
 * modifiers           whether bound fields are volatile / final after instrumentation
 * exit
 * </pre>
 */
public final class Main {
  static final Service SERVICE = new Service();
  static final List<Service> KEPT = new ArrayList<>();

  public static void main(String[] args) throws Exception {
    String touched = Settings.dump() + Constants.hot; // initialise the annotated classes
    KEPT.add(new SpecialService());
    KEPT.add(new PlainSubclass());
    System.out.println("READY " + touched.length());
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = in.readLine()) != null; ) {
      String[] w = line.trim().split(" ", 3);
      try {
        switch (w[0]) {
          case "print" -> print();
          case "reload" -> System.out.println("OK " + Qcfg.reload().version());
          case "set" -> System.out.println("OK " + Qcfg.setOverride(w[1], w[2]).version());
          case "clear" -> System.out.println("OK " + Qcfg.clearOverride(w[1]).version());
          case "live" -> System.out.println("live=" + live());
          case "rebind" -> {
            Qcfg.bind(SERVICE); // already bound by the agent: must not register it again
            System.out.println("live=" + live() + " anInt=" + SERVICE.anInt);
          }
          case "million" -> million();
          case "torn" -> torn(Integer.parseInt(w[1]));
          case "modifiers" -> modifiers();
          case "exit" -> System.exit(0);
          default -> System.out.println("ERR unknown command " + line);
        }
      } catch (RuntimeException e) {
        System.out.println("ERR " + e.getClass().getSimpleName() + ": "
            + String.valueOf(e.getMessage()).replace('\n', ' '));
      }
      System.out.println("END");
    }
  }

  static void print() {
    System.out.println(Settings.dump());
    System.out.println(SERVICE.dump("svc."));
    System.out.println(new Service().dump("fresh."));
    SpecialService special = (SpecialService) KEPT.get(0);
    System.out.println("special.extra=" + special.extra + "\nspecial.anInt=" + special.anInt);
    System.out.println("plain.anInt=" + KEPT.get(1).anInt);
    System.out.println("constants.PORT=" + Constants.PORT + "\nconstants.hot=" + Constants.hot);
    System.out.println("rule.max=" + LimitRule.max());
    System.out.println("version=" + Qcfg.current().version());
  }

  /** Objects the binder still tracks once the collector has cleared what it could. */
  static int live() throws InterruptedException {
    int n = Integer.MAX_VALUE;
    // Cleared weak references reach the queue shortly after a collection, not during it.
    for (int i = 0; i < 100 && n > KEPT.size() + 1; i++) {
      System.gc();
      Thread.sleep(20);
      n = Engine.running().binder().liveInstances();
    }
    return n;
  }

  static void million() throws InterruptedException {
    long sum = 0;
    for (int i = 0; i < 1_000_000; i++) {
      sum += new Tiny().value;
    }
    System.out.println("created sum=" + sum);
    System.out.println("live=" + live());
  }

  /** Changes the record n times while a reader checks that host and port match. */
  static void torn(int n) throws InterruptedException {
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong reads = new AtomicLong();
    AtomicLong torn = new AtomicLong();
    Thread reader =
        new Thread(
            () -> {
              while (!stop.get()) {
                Endpoint e = Settings.endpoint;
                if (e.port() > 0 && !e.host().equals("h" + e.port())) {
                  torn.incrementAndGet();
                }
                reads.incrementAndGet();
              }
            });
    reader.start();
    for (int i = 1; i <= n; i++) {
      Qcfg.setOverride("s.endpoint", "{ host = \"h" + i + "\", port = " + i + " }");
    }
    stop.set(true);
    reader.join();
    System.out.println("torn=" + torn.get() + " reads=" + reads.get() + " last="
        + Settings.endpoint);
  }

  static void modifiers() throws Exception {
    for (String name : new String[] {"anInt", "endpoint", "COMPUTED"}) {
      int m = Settings.class.getDeclaredField(name).getModifiers();
      System.out.println("Settings." + name + " volatile=" + Modifier.isVolatile(m) + " final="
          + Modifier.isFinal(m));
    }
    for (String name : new String[] {"anInt", "constant"}) {
      int m = Service.class.getDeclaredField(name).getModifiers();
      System.out.println("Service." + name + " volatile=" + Modifier.isVolatile(m) + " final="
          + Modifier.isFinal(m));
    }
    int m = Constants.class.getDeclaredField("PORT").getModifiers();
    System.out.println("Constants.PORT volatile=" + Modifier.isVolatile(m) + " final="
        + Modifier.isFinal(m));
  }
}
