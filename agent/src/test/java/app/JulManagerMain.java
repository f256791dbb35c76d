package app;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.logging.Handler;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Installs its own LogManager first thing in main (as servers do), waits until qcfg has started,
 * and adds a handler on logger {@code io.qcfg} that echoes to stdout; runs until stdin closes.
 */
public final class JulManagerMain {
  private static Logger qcfg; // held: JUL keeps loggers weakly

  public static void main(String[] args) throws Exception {
    // First thing in main, as servers do; qcfg's start-up runs in parallel on its own thread.
    System.setProperty("java.util.logging.manager", AppLogManager.class.getName());
    System.out.println("qcfg version " + io.qcfg.Qcfg.current().version());
    System.out.println("MANAGER=" + LogManager.getLogManager().getClass().getName());
    qcfg = Logger.getLogger("io.qcfg");
    qcfg.addHandler(new Handler() {
      @Override
      public void publish(LogRecord r) {
        System.out.println("JUL " + r.getLevel() + " " + r.getLoggerName() + " " + r.getMessage()
            + " on " + Thread.currentThread().getName());
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    });
    System.out.println("READY");
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    while (in.readLine() != null) {
      // until stdin closes
    }
  }
}
