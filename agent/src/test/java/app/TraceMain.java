package app;

import java.io.IOException;

/** Binds one annotated class, prints READY, then runs until stdin ends (for the start-up trace). */
public final class TraceMain {
  public static void main(String[] args) throws IOException {
    System.out.println("READY " + Constants.hot);
    while (System.in.read() >= 0) {
      // wait for the test to end us
    }
  }
}
