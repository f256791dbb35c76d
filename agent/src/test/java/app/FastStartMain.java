package app;

import io.qcfg.Qcfg;
import io.qcfg.Snapshot;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Prints the value of the path {@code args[0]} at start, then again with the active version for
 * each line on stdin (answers end with {@code END}), until stdin ends or says {@code exit}: for the fast start's
 * background build (issue 16).
 */
public final class FastStartMain {
  public static void main(String[] args) throws IOException {
    System.out.println("VALUE " + Qcfg.current().getString(args[0]));
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      if (line.equals("exit")) {
        System.out.println("END");
        return;
      }
      Snapshot s = Qcfg.current();
      System.out.println("VALUE " + s.getString(args[0]) + " version=" + s.version());
      System.out.println("END");
    }
  }
}
