package app;

import java.util.ResourceBundle;

/**
 * A {@link System.LoggerFinder} as logging bridges install one (slf4j-jdk-platform-logging,
 * log4j-jpl): prints which logger is asked for on which thread, and every message it receives.
 * Registered only by tests that put a services file for it on the class path.
 */
public final class RecordingLoggerFinder extends System.LoggerFinder {
  @Override
  public System.Logger getLogger(String name, Module module) {
    System.out.println("FINDER " + name + " on " + Thread.currentThread().getName());
    return new System.Logger() {
      @Override
      public String getName() {
        return name;
      }

      @Override
      public boolean isLoggable(Level level) {
        return true;
      }

      @Override
      public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
        System.out.println("BRIDGE " + level + " " + name + " " + msg);
      }

      @Override
      public void log(Level level, ResourceBundle bundle, String format, Object... params) {
        System.out.println("BRIDGE " + level + " " + name + " " + format);
      }
    };
  }
}
