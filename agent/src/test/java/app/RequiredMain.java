package app;

import io.qcfg.Qcfg;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/** Binds {@link Required} on the main thread at start-up; then {@code reload} / {@code print}. */
public final class RequiredMain {
  public static void main(String[] args) throws Exception {
    System.out.println("READY url=" + Required.url);
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = in.readLine()) != null; ) {
      try {
        switch (line.trim()) {
          case "reload" -> System.out.println("OK " + Qcfg.reload().version());
          case "print" -> System.out.println("url=" + Required.url);
          default -> System.out.println("ERR unknown command " + line);
        }
      } catch (RuntimeException e) {
        System.out.println("ERR " + String.valueOf(e.getMessage()).replace('\n', ' '));
      }
      System.out.println("END");
    }
  }
}
