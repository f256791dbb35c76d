package app;

/** Touches no annotated class: measures what the agent adds to any start-up. */
public final class Hello {
  public static void main(String[] args) {
    System.out.println("hello");
  }
}
