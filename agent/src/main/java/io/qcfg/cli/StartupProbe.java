package io.qcfg.cli;

import io.qcfg.Qcfg;
import io.qcfg.QcfgException;
import io.qcfg.internal.log.StartupTrace;

/**
 * The application {@code qcfg doctor startup} runs under {@code -javaagent:qcfg.jar=...,
 * trace=startup}: it asks for the first snapshot, as a first bound field would, and waits until
 * the trace table is printed. Exit 0 when the table was printed, 1 otherwise (the agent itself
 * exits 78 for an invalid configuration).
 */
public final class StartupProbe {
  private StartupProbe() {}

  public static void main(String[] args) throws InterruptedException {
    int status = 0;
    try {
      Qcfg.current();
    } catch (QcfgException e) {
      System.err.println("[qcfg doctor] no snapshot: " + e.getMessage());
      status = 1;
    }
    if (!StartupTrace.awaitPrinted(120_000)) {
      System.err.println("[qcfg doctor] the start-up trace was not printed within 120 s");
      status = 1;
    }
    System.exit(status);
  }
}
