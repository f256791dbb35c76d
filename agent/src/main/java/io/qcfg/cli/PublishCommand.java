package io.qcfg.cli;

import io.qcfg.QcfgException;
import io.qcfg.internal.etcd.EtcdCredentials;
import io.qcfg.internal.etcd.EtcdOptions;
import io.qcfg.internal.etcd.EtcdPublisher;
import io.qcfg.internal.layer.Environment;
import java.nio.file.Path;
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
  @Option(names = "--etcd", required = true, description = "etcd endpoints, comma-separated.")
  String etcd;

  @Option(names = "--prefix", required = true, description = "Key prefix, e.g. /qcfg/greeter/.")
  String prefix;

  @Option(names = "--etcd-user", description = "etcd user (with --etcd-password-file).")
  String user;

  @Option(names = "--etcd-password-file", description = "File holding the etcd password.")
  Path passwordFile;

  @Option(names = "--etcd-ca", description = "CA certificate for https endpoints.")
  Path ca;

  @Override
  public Integer call() {
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
    Optional<EtcdCredentials> credentials =
        user == null ? Optional.empty() : Optional.of(EtcdCredentials.fromFile(user, passwordFile));
    long revision =
        EtcdPublisher.publish(
            EtcdOptions.endpoints(etcd),
            EtcdOptions.prefix(prefix),
            credentials,
            Duration.ofSeconds(10),
            Optional.ofNullable(ca),
            files);
    out().println("published " + files.size() + " files under " + EtcdOptions.prefix(prefix)
        + " at revision " + revision);
    return QcfgCli.OK;
  }
}
