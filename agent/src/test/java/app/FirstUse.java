package app;

/** Reads one bound static field and exits: measures when the first annotated class is usable. */
public final class FirstUse {
  public static void main(String[] args) {
    System.out.println("value=" + Constants.hot);
  }
}
