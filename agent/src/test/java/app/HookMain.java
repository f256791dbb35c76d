package app;

/**
 * Registers a shutdown hook, then touches a bound class (which waits for the first snapshot):
 * proves that a start-up exit runs the application's shutdown hooks.
 */
public final class HookMain {
  public static void main(String[] args) {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("HOOK RAN")));
    System.out.println("READY url=" + Required.url);
  }
}
