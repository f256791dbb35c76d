package app;

import io.qcfg.ConfigValue;
import io.qcfg.Qcfg;

/**
 * An application whose library (a jar on the class path) ships a {@code reference.conf} that says
 * {@code include "version"}, as Pekko's pekko-actor does: prints the value as qcfg sees it, as
 * a bound field and as the library's own {@code ConfigFactory.load()} sees it.
 */
public final class LibraryMain {
  @ConfigValue("lib.version")
  static volatile String version = "unbound";

  public static void main(String[] args) {
    System.out.println("QCFG " + Qcfg.current().getString("lib.version"));
    System.out.println("FIELD " + version);
    System.out.println("LIBRARY " + com.typesafe.config.ConfigFactory.load().getString("lib.version"));
  }
}
