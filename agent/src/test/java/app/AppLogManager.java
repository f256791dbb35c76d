package app;

import java.util.logging.LogManager;

/** The LogManager an application installs itself, as JBoss LogManager or Tomcat's JULI do. */
public final class AppLogManager extends LogManager {
  public AppLogManager() {
    super();
  }
}
