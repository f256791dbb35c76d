package app;

import io.qcfg.Qcfg;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Runs without the agent and without qcfg on its class path until a test attaches qcfg: it must
 * not touch a qcfg class before then. Commands: {@code print}, {@code set PATH VALUE}.
 */
public final class AttachMain {
  static final Early BEFORE = new Early();

  public static void main(String[] args) throws Exception {
    System.out.println("READY " + Early.text + " " + BEFORE.number);
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = in.readLine()) != null; ) {
      String[] w = line.trim().split(" ", 3);
      try {
        switch (w[0]) {
          case "print" -> {
            System.out.println("static=" + Early.text);
            System.out.println("before=" + BEFORE.number);
            System.out.println("after=" + new Early().number);
          }
          case "set" -> System.out.println("OK " + Qcfg.setOverride(w[1], w[2]).version());
          default -> System.out.println("ERR unknown command " + line);
        }
      } catch (RuntimeException | LinkageError e) {
        System.out.println("ERR " + e);
      }
      System.out.println("END");
    }
  }
}
