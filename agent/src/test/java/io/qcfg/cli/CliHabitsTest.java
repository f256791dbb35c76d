package io.qcfg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * Issue 17 item 7: unknown verbs and options name the nearest known one, and each verb's help
 * lists only the root flags that apply to it.
 */
@Timeout(30)
class CliHabitsTest {
  @Test
  void anUnknownVerbNamesTheNearest() {
    CliRun r = CliRun.of("valdate");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err())
        .startsWith("qcfg: unknown command 'valdate' (did you mean 'validate'?); the commands are"
            + " validate, print, diff,")
        .endsWith("[QCFG-5246]\n");
    CliRun sub = CliRun.of("audit", "verfy");
    assertThat(sub.status()).isEqualTo(2);
    assertThat(sub.err())
        .isEqualTo("qcfg audit: unknown command 'verfy' (did you mean 'verify'?); the commands"
            + " are verify, anchor [QCFG-5246]\n");
    CliRun far = CliRun.of("frobnicate");
    assertThat(far.err()).startsWith("qcfg: unknown command 'frobnicate'; the commands are");
  }

  @Test
  void anUnknownOptionNamesTheNearest() {
    CliRun r = CliRun.of("validate", "--all-env");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo("qcfg validate: unknown option '--all-env' (did you mean '--all-envs'?);"
            + " 'qcfg help validate' lists the options [QCFG-5247]\n");
    CliRun root = CliRun.of("--dri", "x", "validate");
    assertThat(root.err())
        .startsWith("qcfg: unknown option '--dri' (did you mean '--dir'?); 'qcfg help' lists");
  }

  @Test
  void aVerbsHelpListsOnlyTheFlagsThatApply() {
    String status = CliRun.of("help", "status").out();
    assertThat(status).contains("--pid").doesNotContain("--dir").doesNotContain("--classpath")
        .doesNotContain("--substitute").doesNotContain("--key");
    String validate = CliRun.of("validate", "--help").out();
    assertThat(validate).contains("--dir", "--env", "--key", "--classpath", "--all-envs",
        "--require-decrypt").doesNotContain("--state");
    String history = CliRun.of("history", "--help").out();
    assertThat(history).contains("--state", "--dir").doesNotContain("--key")
        .doesNotContain("--classpath");
    String keygen = CliRun.of("keygen", "--help").out();
    assertThat(keygen).doesNotContain("--dir").doesNotContain("--state")
        .doesNotContain("--env");
    // A flag that does nothing for a verb is hidden, not refused: scripts that pass it keep working.
    CliRun stray = CliRun.of("keygen", "--dir", "config", "--id", "k1");
    assertThat(stray.status()).as(stray.all()).isZero();
    String completion = CliRun.of("generate-completion").out();
    assertThat(completion).contains("keygen");
  }

  @Test
  void everyVerbIsListedWithTheFlagsItUses() {
    CommandLine root = new CommandLine(new QcfgCli(Jvms.ATTACH, System.in));
    Set<String> verbs = new TreeSet<>();
    collect(root, verbs);
    assertThat(VerbFlags.USED.keySet()).containsExactlyInAnyOrderElementsOf(verbs);
    List<String> rootFlags = root.getCommandSpec().options().stream()
        .map(CommandLine.Model.OptionSpec::longestName).toList();
    VerbFlags.USED.values().forEach(used -> assertThat(rootFlags).containsAll(used));
  }

  private static void collect(CommandLine cmd, Set<String> out) {
    for (CommandLine sub : cmd.getSubcommands().values()) {
      out.add(sub.getCommandSpec().qualifiedName(" ").substring("qcfg ".length()));
      collect(sub, out);
    }
  }
}
