package io.qcfg.cli;

import java.io.Console;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What every verb has: its streams and the global flags of the root command. */
abstract class Verb implements Callable<Integer> {
  @Spec CommandSpec spec;

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  /**
   * The value of an argument given as {@code -}: typed without echo on a terminal, else all of
   * stdin less one final line break (as {@code echo} or a here-string adds).
   *
   * @throws CliFailure (usage, QCFG-5229) when it is empty or cannot be read; never quotes it
   */
  String secretFromStdin(String prompt) {
    String value;
    Console console = System.console();
    if (cli().in == System.in && console != null) {
      char[] typed = console.readPassword("%s", prompt);
      value = typed == null ? "" : new String(typed);
      if (typed != null) {
        Arrays.fill(typed, '\0');
      }
    } else {
      try {
        value = new String(cli().in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw CliFailure.usage(
            "QCFG-5229", "cannot read the value from stdin: " + e.getClass().getSimpleName());
      }
      if (value.endsWith("\r\n")) {
        value = value.substring(0, value.length() - 2);
      } else if (value.endsWith("\n")) {
        value = value.substring(0, value.length() - 1);
      }
    }
    if (value.isEmpty()) {
      throw CliFailure.usage("QCFG-5229", "expected a value on stdin, found none");
    }
    return value;
  }

  /**
   * The root command, which holds the inherited {@code --dir/--env/--state/--key/--substitute}
   * flags.
   */
  QcfgCli cli() {
    return (QcfgCli) spec.root().userObject();
  }
}
