package io.qcfg.internal.crypto;

import io.qcfg.internal.text.Sha256;
import java.util.Arrays;

/**
 * HMAC-SHA-256 (RFC 2104) over {@link Sha256}: the start-up's input digests, sealed secrets and
 * keyed hashes (issue 16) without the JCE {@code Mac} machinery (provider verification, policy
 * files) or the JCA provider list on the first path; the bytes are the JCE's. Not thread-safe:
 * confine an instance to one thread or guard it; {@link #doFinal} resets it for the next message.
 */
public final class Hmac {
  private static final int BLOCK = 64;

  private final Sha256 inner;
  private final Sha256 outer;
  // Never written after the constructor: a copy (copy()) shares them.
  private final byte[] ipad;
  private final byte[] opad;
  // The two hashes right after their key block: restored instead of hashed again, two of the four
  // compressions of a short message's MAC (a sealed secret leaf). Null on the JDK's digest. Never
  // written after the constructor (restore reads them): a copy shares them.
  private final Sha256 innerKeyed;
  private final Sha256 outerKeyed;

  /** An HMAC-SHA-256 keyed with {@code key} (any length; RFC 2104 hashes a key over 64 bytes). */
  public Hmac(byte[] key) {
    inner = Sha256.create();
    outer = Sha256.create();
    ipad = new byte[BLOCK];
    opad = new byte[BLOCK];
    byte[] k = key.length > BLOCK ? Sha256.digest(key) : key;
    for (int i = 0; i < BLOCK; i++) {
      byte b = i < k.length ? k[i] : 0;
      ipad[i] = (byte) (b ^ 0x36);
      opad[i] = (byte) (b ^ 0x5c);
    }
    inner.update(ipad);
    outer.update(opad);
    innerKeyed = inner.snapshot();
    outerKeyed = innerKeyed == null ? null : outer.snapshot();
    if (outerKeyed == null) {
      outer.digest(); // back to empty: doFinal gives it the opad block each time
    }
  }

  // A fresh HMAC in keyed's key state: its read-only parts shared, its two hashes copies.
  private Hmac(Hmac keyed) {
    ipad = keyed.ipad;
    opad = keyed.opad;
    innerKeyed = keyed.innerKeyed;
    outerKeyed = keyed.outerKeyed;
    inner = innerKeyed.snapshot();
    outer = outerKeyed.snapshot();
  }

  /**
   * A fresh HMAC under this one's key, whatever this one was given since its last {@link
   * #doFinal}: the key blocks are copied, not hashed again (two compressions, and for a key derived
   * per purpose four more, issue 16). Thread-safe on an instance nobody updates: a prototype.
   */
  public Hmac copy() {
    if (innerKeyed != null && outerKeyed != null && !Sha256.usesJdk()) {
      return new Hmac(this);
    }
    // Once the JDK's digest serves (warm, faster on large inputs), a fresh one uses it. The key as
    // RFC 2104 pads it gives the same ipad and opad again.
    byte[] k = new byte[BLOCK];
    for (int i = 0; i < BLOCK; i++) {
      k[i] = (byte) (ipad[i] ^ 0x36);
    }
    Hmac fresh = new Hmac(k);
    Arrays.fill(k, (byte) 0);
    return fresh;
  }

  public void update(byte[] bytes) {
    inner.update(bytes);
  }

  public void update(byte[] bytes, int off, int len) {
    inner.update(bytes, off, len);
  }

  /** The MAC of everything given since the last call; resets. */
  public byte[] doFinal() {
    byte[] h = inner.digest();
    if (outerKeyed != null) {
      outer.restore(outerKeyed);
    } else {
      outer.update(opad);
    }
    outer.update(h);
    byte[] mac = outer.digest();
    Arrays.fill(h, (byte) 0);
    if (innerKeyed != null) {
      inner.restore(innerKeyed);
    } else {
      inner.update(ipad);
    }
    return mac;
  }

  /** The MAC of {@code bytes} alone (after whatever was given before). */
  public byte[] doFinal(byte[] bytes) {
    update(bytes);
    return doFinal();
  }
}
