package io.qcfg.cli;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * Verbs of DESIGN.md that later work fills in. Each is its own subcommand class, so that replacing
 * one means replacing one class and its line in {@link QcfgCli}'s subcommand list. Until then each
 * accepts any arguments, says it is not available, and exits with status 1.
 */
final class PendingCommands {
  private PendingCommands() {}

  /** Prints "not yet available" and fails. */
  abstract static class Pending extends Verb {
    @Unmatched List<String> ignored;

    @Override
    public Integer call() {
      err()
          .println(
              "qcfg "
                  + spec.qualifiedName(" ").replaceFirst("^qcfg ", "")
                  + ": not yet available in this build [QCFG-5202]");
      return QcfgCli.FAILED;
    }
  }

  @Command(name = "render", description = "Render templates/*.peb (not yet available).")
  static final class Render extends Pending {}

  @Command(name = "keygen", description = "Create a key for ENC[...] values (not yet available).")
  static final class Keygen extends Pending {}

  @Command(name = "encrypt", description = "Encrypt a value as ENC[...] (not yet available).")
  static final class Encrypt extends Pending {}

  @Command(name = "decrypt", description = "Decrypt an ENC[...] value (not yet available).")
  static final class Decrypt extends Pending {}

  @Command(name = "migrate", description = "Run config-format migrations (not yet available).")
  static final class Migrate extends Pending {}

  @Command(name = "sign", description = "Sign a configuration (not yet available).")
  static final class Sign extends Pending {}

  @Command(
      name = "audit",
      description = "Audit log tools (not yet available).",
      subcommands = {Audit.Verify.class})
  static final class Audit extends Pending {
    @Command(name = "verify", description = "Check the audit log's hash chain (not yet available).")
    static final class Verify extends Pending {}
  }
}
