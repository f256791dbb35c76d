package app;

import app.inside.In;
import app.outside.Out;
import java.lang.reflect.Modifier;

/** Prints what the agent did to a class inside and a class outside the packages option. */
public final class PackagesMain {
  public static void main(String[] args) throws Exception {
    System.out.println("in.text=" + In.text);
    System.out.println("in.number=" + new In().number);
    System.out.println("in.volatile="
        + Modifier.isVolatile(In.class.getDeclaredField("text").getModifiers()));
    System.out.println("out.text=" + Out.text);
    System.out.println("out.number=" + new Out().number);
    System.out.println("out.volatile="
        + Modifier.isVolatile(Out.class.getDeclaredField("text").getModifiers()));
    System.out.println("END");
  }
}
