package corpus;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/** Shapes that need release 16 or later: private interface methods, records. */
public class Modern {
  interface Greeter {
    private String greet(String who) {
      return "hello " + who;
    }

    private static String shout(String who) {
      return who.toUpperCase();
    }

    default Function<String, String> greeting() {
      return this::greet;
    }

    static Function<String, String> shouting() {
      return Greeter::shout;
    }
  }

  record Point(int x, int y) {
    Supplier<String> describe() {
      return () -> "(" + x + "," + y + ")";
    }
  }

  public static List<String> results() {
    List<String> out = new ArrayList<>();
    Greeter g = new Greeter() { };
    out.add(g.greeting().apply("you") + " " + Greeter.shouting().apply("loud"));
    out.add(new Point(1, 2).describe().get());
    return out;
  }
}
