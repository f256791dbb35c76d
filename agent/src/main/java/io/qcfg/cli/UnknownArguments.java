package io.qcfg.cli;

import io.qcfg.internal.text.NearestName;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * qcfg's wording for an unknown command or option, with the nearest known name ({@code qcfg:
 * unknown command 'valdate' (did you mean 'validate'?)}), instead of picocli's list of loose
 * matches.
 */
final class UnknownArguments {
  private UnknownArguments() {}

  /**
   * The message for {@code e}, or empty when it is about something else (an extra argument), which
   * picocli's own message then describes.
   */
  static Optional<String> message(CommandLine.UnmatchedArgumentException e) {
    List<String> unmatched = e.getUnmatched();
    if (unmatched.isEmpty()) {
      return Optional.empty();
    }
    CommandSpec spec = e.getCommandLine().getCommandSpec();
    String given = unmatched.get(0);
    String where = spec.qualifiedName(" ");
    if (given.startsWith("-") && given.length() > 1) {
      String name = given.contains("=") ? given.substring(0, given.indexOf('=')) : given;
      List<String> known = new ArrayList<>();
      spec.options().forEach(o -> known.addAll(List.of(o.names())));
      return Optional.of(where + ": unknown option '" + name + "'" + NearestName.hint(name, known)
          + "; 'qcfg help" + verb(spec) + "' lists the options [QCFG-5247]");
    }
    if (!spec.subcommands().isEmpty() && spec.positionalParameters().isEmpty()) {
      List<String> known = new ArrayList<>(spec.subcommands().keySet());
      return Optional.of(where + ": unknown command '" + given + "'"
          + NearestName.hint(given, known) + "; the commands are " + String.join(", ", known)
          + " [QCFG-5246]");
    }
    return Optional.empty();
  }

  /** {@code " print"} for the verb print, {@code ""} for the root. */
  private static String verb(CommandSpec spec) {
    String q = spec.qualifiedName(" ");
    String root = spec.root().name();
    return q.equals(root) ? "" : q.substring(root.length());
  }
}
