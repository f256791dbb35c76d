package app;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;

/**
 * Reads a bound field, then loads {@link Leaf} {@code args[0]} times, each time through a fresh
 * loader (as an application's own start loads its classes), prints {@code loaded=N}, and waits
 * for {@code exit} on stdin: for the wait of the full build after a fast start (issue 16).
 */
public final class ClassLoadsMain {
  public static void main(String[] args) throws Exception {
    System.out.println("value=" + Constants.hot);
    URL classes = ClassLoadsMain.class.getProtectionDomain().getCodeSource().getLocation();
    int n = Integer.parseInt(args[0]);
    for (int i = 0; i < n; i++) {
      try (URLClassLoader fresh = new URLClassLoader("fresh-" + i, new URL[] {classes}, null)) {
        Class.forName("app.Leaf", true, fresh);
      }
    }
    System.out.println("loaded=" + n);
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line = in.readLine(); line != null && !line.equals("exit"); line = in.readLine()) {
      // waits
    }
  }
}
