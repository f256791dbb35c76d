package app;

/** Prints READY and runs until its standard input ends: a service for endpoint tests. */
public final class Serve {
  public static void main(String[] args) throws Exception {
    System.out.println("READY");
    while (System.in.read() >= 0) {
      // keep running
    }
  }
}
