package io.qcfg.internal.etcd;

import java.util.List;

/**
 * What {@link EtcdSource#read(String)} found: the layer files of one environment, all read at one
 * etcd revision (one transaction, so never a mix of two publishes).
 *
 * @param revision the etcd store revision the read saw; pass it to {@link EtcdSource#watch} to
 *     hear of every later change
 * @param files the keys that exist, lowest precedence first: {@code <prefix>application.conf},
 *     then {@code <prefix>environments/<env>.conf}; a missing key is simply absent
 */
public record EtcdLayer(long revision, List<EtcdFile> files) {
  public EtcdLayer {
    files = List.copyOf(files);
  }
}
