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

  record Everything(boolean z, byte b, short s, char c, int i, long l, float f, double d,
      String text, int[] array, Object any) {}

  record Empty() {}

  record Named(String name) {
    @Override
    public String toString() {
      return "own " + name;
    }
  }

  public static List<String> results() {
    List<String> out = new ArrayList<>();
    int[] shared = {1, 2};
    Everything one = new Everything(true, (byte) -1, (short) 2, 'c', 4, 5L, Float.NaN, -0.0,
        "text", shared, null);
    Everything same = new Everything(true, (byte) -1, (short) 2, 'c', 4, 5L, Float.NaN, -0.0,
        "text", shared, null);
    Everything other = new Everything(true, (byte) -1, (short) 2, 'c', 4, 5L, Float.NaN, 0.0,
        "text", shared, null);
    Everything copy = new Everything(true, (byte) -1, (short) 2, 'c', 4, 5L, Float.NaN, -0.0,
        "text", new int[] {1, 2}, null);
    out.add(one.toString().replaceAll("\\[I@[0-9a-f]+", "[I@"));
    out.add("hash " + (one.hashCode() == same.hashCode()) + " " + (one.hashCode() - shared.hashCode() * 31));
    out.add("equals " + one.equals(one) + one.equals(same) + one.equals(other) + one.equals(copy)
        + one.equals(null) + one.equals("text"));
    out.add(new Empty() + " " + new Empty().hashCode() + " " + new Empty().equals(new Empty()));
    out.add(new Named("n") + " " + new Named("n").equals(new Named("n")) + " "
        + new Named("n").hashCode());
    Point p = new Point(3, -4);
    out.add(p + " " + p.hashCode() + " " + p.equals(new Point(3, -4)) + p.equals(new Point(3, 4)));
    Greeter g = new Greeter() { };
    out.add(g.greeting().apply("you") + " " + Greeter.shouting().apply("loud"));
    out.add(new Point(1, 2).describe().get());
    return out;
  }
}
