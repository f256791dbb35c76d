package io.qcfg.cli;

import io.qcfg.internal.etcd.EtcdCredentials;
import io.qcfg.internal.etcd.EtcdOptions;
import io.qcfg.internal.etcd.Rollouts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The etcd connection flags of {@code publish} and the {@code rollout} verbs. */
final class EtcdFlags {
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

  Rollouts open() {
    return Rollouts.open(EtcdOptions.endpoints(etcd), EtcdOptions.prefix(prefix), credentials(),
        Duration.ofSeconds(10), Optional.ofNullable(ca));
  }

  /** The user and password given, if any. */
  Optional<EtcdCredentials> credentials() {
    return user == null ? Optional.empty()
        : Optional.of(EtcdCredentials.fromFile(user, passwordFile));
  }
}
