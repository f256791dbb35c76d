package io.qcfg.cli;

/**
 * A verb failed in a way the user can act on: the message (with its {@code QCFG-52NN} id) is
 * printed on stderr without a stack trace, and the CLI exits with {@link #exitCode()}.
 */
final class CliFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int exitCode;

  private CliFailure(String id, String message, int exitCode) {
    super(message + " [" + id + "]", null, false, false);
    this.exitCode = exitCode;
  }

  /** The operation failed: exit status 1. */
  static CliFailure failed(String id, String message) {
    return new CliFailure(id, message, QcfgCli.FAILED);
  }

  /** The command line is wrong: exit status 2. */
  static CliFailure usage(String id, String message) {
    return new CliFailure(id, message, QcfgCli.USAGE);
  }

  int exitCode() {
    return exitCode;
  }
}
