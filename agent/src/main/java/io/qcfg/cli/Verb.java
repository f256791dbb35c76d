package io.qcfg.cli;

import java.io.PrintWriter;
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

  /** The root command, which holds the inherited {@code --dir/--env/--state/--key} flags. */
  QcfgCli cli() {
    return (QcfgCli) spec.root().userObject();
  }
}
