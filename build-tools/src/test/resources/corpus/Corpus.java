package corpus;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import java.util.function.BinaryOperator;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import java.util.function.IntBinaryOperator;
import java.util.function.IntFunction;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import java.util.function.ToLongFunction;

/**
 * Lambda shapes, in Java 8 syntax (compiled for release 8 and 17 by LambdaClassesTest): each
 * result line is compared between the original classes and the rewritten ones.
 */
public class Corpus {
  private final String name;

  public Corpus(String name) {
    this.name = name;
  }

  private Corpus(int n) {
    this.name = "private-" + n;
  }

  private static String hidden(String s) {
    return "hidden(" + s + ")";
  }

  private String own(String s) {
    return name + ":" + s;
  }

  protected String shielded() {
    return "shielded " + name;
  }

  static String join(String... parts) {
    return String.join("+", parts);
  }

  interface Shape {
    String draw(int side);

    default Supplier<String> later(int side) {
      return () -> draw(side) + "!";
    }

    static Shape square() {
      return side -> "square " + side;
    }
  }

  class Inner {
    Function<String, String> outerPrivate() {
      return Corpus.this::own;
    }

    Function<String, String> outerPrivateStatic() {
      return Corpus::hidden;
    }

    Supplier<Corpus> outerPrivateConstructor() {
      return () -> new Corpus(7);
    }
  }

  static class Child extends Corpus {
    Child() {
      super("child");
    }

    @Override
    protected String shielded() {
      return "child's";
    }

    Supplier<String> viaSuper() {
      return super::shielded;
    }
  }

  public static List<String> results() throws Exception {
    List<String> out = new ArrayList<>();
    Corpus c = new Corpus("c");
    Runnable nothing = () -> out.add("runnable ran");
    nothing.run();
    Supplier<String> constant = () -> "constant";
    out.add(constant.get());
    int i = 3;
    long l = 4_000_000_000L;
    double d = 2.5;
    float f = 1.5f;
    boolean z = true;
    char ch = 'q';
    byte b = -2;
    short s = 300;
    int[] array = {1, 2};
    Supplier<String> all = () -> i + "," + l + "," + d + "," + f + "," + z + "," + ch + "," + b
        + "," + s + "," + Arrays.toString(array);
    out.add(all.get());
    out.add(c.capturingThis().get());
    Function<String, Integer> parse = Integer::parseInt;
    out.add("parse " + parse.apply("42"));
    ToIntFunction<String> parseInt = Integer::parseInt;
    out.add("parseInt " + parseInt.applyAsInt("43"));
    String text = "four";
    IntSupplier length = text::length;
    Supplier<Integer> boxedLength = text::length;
    out.add("bound " + length.getAsInt() + " " + boxedLength.get());
    Function<String, Integer> unbound = String::length;
    ToIntFunction<String> unboundInt = String::length;
    out.add("unbound " + unbound.apply("seven") + " " + unboundInt.applyAsInt("six"));
    Function<List<String>, Integer> size = List::size;
    out.add("interface " + size.apply(Arrays.asList("a", "b")));
    Supplier<List<String>> fresh = ArrayList::new;
    Function<String, StringBuilder> builder = StringBuilder::new;
    out.add("constructors " + fresh.get() + " " + builder.apply("sb").reverse());
    Function<String, String> priv = Corpus::hidden;
    Function<String, String> own = c::own;
    Function<Integer, Corpus> privateConstructor = Corpus::new;
    out.add(priv.apply("x") + " " + own.apply("y") + " " + privateConstructor.apply(5).name);
    Inner inner = c.new Inner();
    out.add(inner.outerPrivate().apply("inner") + " " + inner.outerPrivateStatic().apply("is")
        + " " + inner.outerPrivateConstructor().get().name);
    IntFunction<String> widened = Long::toString;
    out.add("widened " + widened.apply(9));
    Function<Integer, String> unboxWiden = Long::toHexString;
    out.add("unbox-widen " + unboxWiden.apply(255));
    ToLongFunction<Integer> toLong = Integer::intValue;
    out.add("to-long " + toLong.applyAsLong(77));
    LongSupplier longResult = () -> l * 2;
    DoubleSupplier doubleResult = () -> d * f;
    out.add("results " + longResult.getAsLong() + " " + doubleResult.getAsDouble());
    Comparator<String> byLength = (x, y) -> Integer.compare(x.length(), y.length());
    List<String> words = new ArrayList<>(Arrays.asList("ccc", "a", "bb"));
    words.sort(byLength.thenComparing(Comparator.naturalOrder()));
    out.add("sorted " + words);
    BiFunction<String, Integer, String> repeat = (x, n) -> new String(new char[n]).replace("\0", x);
    BinaryOperator<Integer> sum = Integer::sum;
    IntBinaryOperator max = Math::max;
    out.add(repeat.apply("ab", 3) + " " + sum.apply(2, 3) + " " + max.applyAsInt(4, 9));
    Function<String[], String> varargs = Corpus::join;
    out.add("varargs " + varargs.apply(new String[] {"p", "q"}));
    IntFunction<int[]> arrays = int[]::new;
    out.add("array " + arrays.apply(4).length);
    out.add(new Child().viaSuper().get());
    Shape square = Shape.square();
    out.add(square.later(5).get());
    Callable<String> throwing = () -> {
      throw new IllegalStateException("thrown inside");
    };
    try {
      throwing.call();
    } catch (IllegalStateException e) {
      out.add("caught " + e.getMessage());
    }
    Supplier<String> serializable = (Supplier<String> & Serializable) () -> "serializable";
    out.add(serializable.get());
    out.add("same instance " + (sameInstance() == sameInstance()));
    out.add("capturing instances differ " + (capture(1) != capture(1)));
    Runnable recursive = () -> out.add("nested " + ((Supplier<String>) () -> "inside").get());
    recursive.run();
    return out;
  }

  Supplier<String> capturingThis() {
    return () -> "this is " + name;
  }

  static Runnable sameInstance() {
    return () -> { };
  }

  static IntSupplier capture(int n) {
    return () -> n;
  }
}
