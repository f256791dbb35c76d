package io.qcfg.internal.etcd;

import java.util.List;

/**
 * What {@link EtcdSource#read(String)} found: the layer files of one environment, all read at one
 * etcd revision (one transaction, so never a mix of two publishes).
 *
 * @param revision the newest mod revision of the keys read (with a canary's texts, also of the
 *     rollout record), else the store revision of the read: so JVMs on the same texts report the
 *     same revision however busy the prefix is. Pass it to {@link EtcdSource#watch} to hear of
 *     every later change (events up to the read's own revision are heard again, which only costs
 *     a reload that changes nothing). After a rollout is aborted, a canary's revision goes back
 *     to the stable keys' one.
 * @param files the keys that exist, lowest precedence first: {@code <prefix>application.conf},
 *     then {@code <prefix>environments/<env>.conf} (for a canary of a rollout, the same names
 *     under {@code <prefix>canary/}); a missing key is simply absent
 */
public record EtcdLayer(long revision, List<EtcdFile> files) {
  public EtcdLayer {
    files = List.copyOf(files);
  }
}
