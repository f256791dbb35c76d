package io.qcfg.internal.etcd;

/**
 * One layer file kept in etcd: a key holding HOCON text.
 *
 * @param key the full etcd key, e.g. {@code /qcfg/shop/environments/production.conf}
 * @param text the value, decoded as UTF-8
 * @param modRevision the etcd revision that last wrote this key
 */
public record EtcdFile(String key, String text, long modRevision) {

  /**
   * How origins name this file: {@code etcd:<key>@<modRevision>}, for example {@code
   * etcd:/qcfg/shop/application.conf@42}. Use it as the origin description when parsing {@link
   * #text()}, so that a value's location reads {@code etcd:/qcfg/shop/application.conf@42:7}. The
   * revision is the key's own, so the origin of an unchanged file stays the same while other keys
   * change.
   */
  public String location() {
    return "etcd:" + key + "@" + modRevision;
  }

  @Override
  public String toString() {
    // The text may be large (and is shown elsewhere, redacted); keep log lines short.
    return "EtcdFile[" + location() + ", " + text.length() + " chars]";
  }
}
