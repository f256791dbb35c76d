package io.qcfg.cli;

import io.qcfg.QcfgException;
import io.qcfg.internal.etcd.Canary;
import io.qcfg.internal.etcd.EtcdOptions;
import io.qcfg.internal.etcd.EtcdPublisher;
import io.qcfg.internal.etcd.Rollouts;
import io.qcfg.internal.layer.Environment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code qcfg publish}: validates a configuration directory for every environment, then writes
 * its layer files to etcd in one transaction (all or nothing). An invalid directory writes
 * nothing. JVMs started with {@code etcd=...,etcd-prefix=...} apply the new revision.
 */
@Command(
    name = "publish",
    description = {
      "Validate --dir for every environment, then write application.conf and environments/*.conf"
          + " to etcd under --prefix in one transaction. Nothing is written when any environment"
          + " is invalid."
    })
final class PublishCommand extends Verb {
  @picocli.CommandLine.Mixin EtcdFlags etcd;

  @Option(names = "--canary", paramLabel = "N%", description = "Stage the files as a canary for"
      + " N% of the JVMs (1%..100%) instead of publishing them; see 'qcfg rollout'.")
  String canary;

  @Option(names = "--auto-promote", paramLabel = "DURATION", description = "With --canary:"
      + " promote to 100% by itself after this long (e.g. 30s, 5m) while every canary is healthy.")
  String autoPromote;

  @Override
  public Integer call() {
    int percent = canary == null ? 0 : Canary.percent(canary); // usage errors before any work
    Duration promoteAfter = autoPromote == null ? Duration.ZERO : duration(autoPromote);
    if (autoPromote != null && canary == null) {
      throw CliFailure.usage("QCFG-4650", "--auto-promote needs --canary N%");
    }
    OfflineConfig config = new OfflineConfig(cli().options());
    OfflineConfig.requireDirectory(config.dir());
    List<String> invalid = new ArrayList<>();
    for (String name : OfflineConfig.allEnvironments(config.dir())) {
      try {
        config.build(config.dir(), new Environment(name, "option"));
      } catch (QcfgException.Invalid e) {
        invalid.add(name);
        ValidateCommand.printProblems(out(), name, e.problems());
      }
    }
    if (!invalid.isEmpty()) {
      out().println("nothing published: invalid in " + String.join(", ", invalid) + " [QCFG-5250]");
      return QcfgCli.FAILED;
    }
    Map<String, String> files = EtcdPublisher.layerTexts(config.dir());
    if (canary != null) {
      try (Rollouts rollouts = etcd.open()) {
        long staged = rollouts.stage(files, percent, promoteAfter);
        out().println("staged " + files.size() + " files under " + rollouts.prefix() + "canary/ at"
            + " revision " + staged + " for " + percent + "% of the JVMs");
        return QcfgCli.OK;
      }
    }
    long revision =
        EtcdPublisher.publish(
            EtcdOptions.endpoints(etcd.etcd),
            EtcdOptions.prefix(etcd.prefix),
            etcd.credentials(),
            Duration.ofSeconds(10),
            Optional.ofNullable(etcd.ca),
            files);
    out().println("published " + files.size() + " files under " + EtcdOptions.prefix(etcd.prefix)
        + " at revision " + revision);
    return QcfgCli.OK;
  }

  private static Duration duration(String s) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("([0-9]{1,9})(ms|s|m|h)")
        .matcher(s.trim().toLowerCase(java.util.Locale.ROOT));
    if (!m.matches()) {
      throw CliFailure.usage("QCFG-4650", "--auto-promote: expected a whole number with unit ms,"
          + " s, m or h (e.g. 30s), found '" + s + "'");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    };
  }
}
