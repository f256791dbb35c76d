package io.qcfg.cli;

import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Which of the root's inherited flags ({@code --dir}, {@code --env}, {@code --state}, {@code
 * --key}, {@code --substitute}, {@code --classpath}) each verb uses. picocli copies an inherited
 * option onto every subcommand; {@link #prune} hides it where it would do nothing, so a verb's
 * help and shell completion list only what applies. A hidden flag is still accepted (scripts that
 * pass {@code --state} to every verb keep working); it just does nothing there, as before.
 */
final class VerbFlags {
  private static final Set<String> OFFLINE =
      Set.of("--dir", "--env", "--key", "--substitute", "--classpath");

  /** By qualified verb name; a verb missing here keeps none (VerbFlagsTest lists every verb). */
  static final Map<String, Set<String>> USED =
      Map.ofEntries(
          Map.entry("validate", OFFLINE),
          Map.entry("print", OFFLINE),
          Map.entry("diff", OFFLINE),
          Map.entry("render", OFFLINE),
          Map.entry("publish", Set.of("--dir", "--env", "--key", "--substitute")),
          Map.entry("attach", Set.of("--dir", "--env", "--state", "--key", "--substitute")),
          // The default state directory is namespaced by the configuration directory.
          Map.entry("history", Set.of("--state", "--dir")),
          Map.entry("audit verify", Set.of("--state", "--dir")),
          Map.entry("audit anchor", Set.of("--state", "--dir")),
          Map.entry("migrate", Set.of("--dir")),
          Map.entry("sign", Set.of("--dir", "--key")),
          Map.entry("verify-signature", Set.of("--dir")),
          Map.entry("encrypt", Set.of("--key")),
          Map.entry("decrypt", Set.of("--key")),
          Map.entry("keygen", Set.of()),
          Map.entry("rollout", Set.of()),
          Map.entry("rollout status", Set.of()),
          Map.entry("rollout promote", Set.of()),
          Map.entry("rollout abort", Set.of()),
          Map.entry("status", Set.of()),
          Map.entry("reload", Set.of()),
          Map.entry("rollback", Set.of()),
          Map.entry("release-quarantine", Set.of()),
          Map.entry("get", Set.of()),
          Map.entry("set", Set.of()),
          Map.entry("unset", Set.of()),
          Map.entry("switch-env", Set.of()),
          Map.entry("audit", Set.of()),
          Map.entry("help", Set.of()),
          Map.entry("doctor", Set.of()),
          Map.entry("doctor startup", Set.of("--dir", "--env", "--state", "--key", "--substitute")),
          Map.entry("generate-completion", Set.of()));

  private VerbFlags() {}

  /** Hides, below {@code root}, every inherited flag its verb does not use. */
  static void prune(CommandLine root) {
    for (CommandLine sub : root.getSubcommands().values()) {
      CommandSpec spec = sub.getCommandSpec();
      String verb = spec.qualifiedName(" ").substring(spec.root().name().length() + 1);
      Set<String> used = USED.getOrDefault(verb, Set.of());
      for (OptionSpec o : List.copyOf(spec.options())) {
        if (o.inherited() && !o.hidden() && !used.contains(o.longestName())) {
          spec.remove(o);
          // Same field, same parsing; local, else picocli would add it to the subcommands again.
          spec.addOption(o.toBuilder().hidden(true).inherited(false)
              .scopeType(CommandLine.ScopeType.LOCAL).build());
        }
      }
      prune(sub);
    }
  }
}
