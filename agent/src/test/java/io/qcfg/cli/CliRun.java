package io.qcfg.cli;

import io.qcfg.internal.log.Log;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** One in-process run of the CLI, with everything it printed (its streams and qcfg's log). */
record CliRun(int status, String out, String err, String log) {

  /** Runs with {@code jvms} reaching running JVMs; null for the public entry point. */
  static CliRun of(Jvms jvms, String... args) {
    return run(jvms, null, args);
  }

  /** Runs with {@code stdin} as standard input (for {@code encrypt -}, {@code decrypt -}). */
  static CliRun withInput(String stdin, String... args) {
    return run(Jvms.ATTACH, stdin, args);
  }

  private static CliRun run(Jvms jvms, String stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    Log.redirect(new PrintStream(log, true, StandardCharsets.UTF_8));
    try {
      PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
      PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
      int status =
          stdin != null
              ? QcfgCli.run(
                  args,
                  new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                  o,
                  e,
                  jvms)
              : jvms == null ? QcfgCli.run(args, o, e) : QcfgCli.run(args, o, e, jvms);
      return new CliRun(
          status,
          out.toString(StandardCharsets.UTF_8),
          err.toString(StandardCharsets.UTF_8),
          log.toString(StandardCharsets.UTF_8));
    } finally {
      Log.redirect(System.err);
    }
  }

  static CliRun of(String... args) {
    return of(null, args);
  }

  /** Everything printed, for "never shows X" checks. */
  String all() {
    return out + err + log;
  }
}
