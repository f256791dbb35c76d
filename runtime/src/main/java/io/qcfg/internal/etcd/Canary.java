package io.qcfg.internal.etcd;

import io.qcfg.QcfgException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Which JVMs take part in a canary: an instance id hashes to a bucket 0..99 (the first 8 bytes of
 * its SHA-256 as an unsigned number, mod 100), and a rollout at N% selects buckets below N. The
 * hash is stable across JVMs, restarts and Java versions, so the same instances stay canaries from
 * one step to the next, and a step from 10% to 50% only adds instances.
 */
public final class Canary {
  private Canary() {}

  /** The instance's bucket, 0..99. */
  public static int bucket(String instance) {
    byte[] h;
    try {
      h = MessageDigest.getInstance("SHA-256").digest(instance.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (h[i] & 0xff);
    }
    return (int) Long.remainderUnsigned(v, 100);
  }

  /** Whether {@code instance} applies the staged texts of a rollout at {@code percent}. */
  public static boolean selected(String instance, int percent) {
    return bucket(instance) < percent;
  }

  /**
   * Parses {@code 10%} or {@code 10}: 1..100.
   *
   * @throws QcfgException.BadOption QCFG-4650 for anything else
   */
  public static int percent(String s) {
    String t = s == null ? "" : s.trim();
    if (t.endsWith("%")) {
      t = t.substring(0, t.length() - 1).trim();
    }
    try {
      int p = Integer.parseInt(t);
      if (p >= 1 && p <= 100) {
        return p;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new QcfgException.BadOption("QCFG-4650",
        "expected a percentage from 1% to 100%, found '" + s + "'");
  }
}
