package io.qcfg.cli;

import io.qcfg.internal.etcd.Canary;
import io.qcfg.internal.etcd.RolloutRecord;
import io.qcfg.internal.etcd.Rollouts;
import io.qcfg.internal.etcd.StatusEntry;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code qcfg rollout status|promote|abort}: the canary rollout that {@code publish --canary}
 * staged. Each step is one etcd transaction guarded by the rollout record's revision as read, so
 * a concurrent step fails with QCFG-4654 (exit 1) and writes nothing.
 */
@Command(
    name = "rollout",
    mixinStandardHelpOptions = true,
    description = "Canary rollouts through etcd: status, promote, abort.",
    synopsisSubcommandLabel = "SUBCOMMAND",
    subcommands = {
      RolloutCommand.Status.class, RolloutCommand.Promote.class, RolloutCommand.Abort.class
    })
final class RolloutCommand extends Verb {
  @Override
  public Integer call() {
    spec.commandLine().usage(err());
    return QcfgCli.USAGE;
  }

  static RolloutRecord required(Rollouts etcd) {
    return etcd.view().rollout().orElseThrow(() -> CliFailure.failed("QCFG-4652",
        "no rollout in progress under " + etcd.prefix() + " (publish --canary N% starts one)"));
  }

  /** {@code rollout status}: the rollout and a table of every JVM reporting. */
  @Command(name = "status", description = "The rollout in progress and every JVM's status.")
  static final class Status extends Verb {
    @Mixin EtcdFlags flags;

    @Override
    public Integer call() {
      try (Rollouts etcd = flags.open()) {
        Rollouts.View v = etcd.view();
        RolloutRecord r = v.rollout().orElse(null);
        out().println(r == null ? "no rollout in progress under " + etcd.prefix()
            : "rollout of revision " + r.stagedRevision() + " at " + r.percent() + "%, started "
                + Instant.ofEpochMilli(r.startedMillis())
                + (r.autoPromoteMillis() > 0
                    ? ", promotes itself after " + r.autoPromoteMillis() / 1000 + "s of health"
                    : ""));
        out().printf("%-40s %8s %-16s %-7s %-9s %s%n", "INSTANCE", "VERSION", "CHECKSUM", "ROLE",
            "HEALTH", "AUTO-ROLLBACKS");
        List<StatusEntry> rows = v.statuses().stream()
            .sorted(Comparator.comparing(StatusEntry::instance)).toList();
        for (StatusEntry e : rows) {
          boolean canary = r != null && Canary.selected(e.instance(), r.percent());
          out().printf("%-40s %8d %-16s %-7s %-9s %d%n", e.instance(), e.version(),
              e.checksum().length() > 16 ? e.checksum().substring(0, 16) : e.checksum(),
              canary ? "canary" : "stable", e.healthy() ? "healthy" : "UNHEALTHY",
              e.autoRollbacks());
        }
        out().println(rows.size() + " instances reporting"
            + (v.ignored() > 0 ? ", " + v.ignored() + " foreign entries ignored" : ""));
        return QcfgCli.OK;
      }
    }
  }

  /** {@code rollout promote [--to N%]}: the next step, or 100%. */
  @Command(name = "promote", description = "Promote the rollout to --to N%, or to 100%: at 100%"
      + " the staged texts become the stable ones.")
  static final class Promote extends Verb {
    @Mixin EtcdFlags flags;

    @Option(names = "--to", paramLabel = "N%", description = "Next percentage (default 100%).")
    String to;

    @Override
    public Integer call() {
      int percent = to == null ? 100 : Canary.percent(to);
      try (Rollouts etcd = flags.open()) {
        RolloutRecord r = required(etcd);
        if (percent <= r.percent()) {
          throw CliFailure.usage("QCFG-4653", "the rollout is at " + r.percent() + "% already:"
              + " --to must be higher (or use 'rollout abort')");
        }
        etcd.promote(r, percent);
        out().println(percent == 100
            ? "promoted revision " + r.stagedRevision() + " to every JVM under " + etcd.prefix()
            : "rollout of revision " + r.stagedRevision() + " now at " + percent + "%");
        return QcfgCli.OK;
      }
    }
  }

  /** {@code rollout abort}: every canary goes back to the stable texts. */
  @Command(name = "abort", description = "Abort the rollout: every canary goes back to the"
      + " stable configuration.")
  static final class Abort extends Verb {
    @Mixin EtcdFlags flags;

    @Override
    public Integer call() {
      try (Rollouts etcd = flags.open()) {
        RolloutRecord r = required(etcd);
        etcd.abort(r);
        out().println("aborted the rollout of revision " + r.stagedRevision() + " under "
            + etcd.prefix());
        return QcfgCli.OK;
      }
    }
  }
}
