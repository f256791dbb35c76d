package io.qcfg.internal.crypto;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * HMAC-SHA-256 (RFC 2104) over {@link MessageDigest}: the start-up's input digests (issue 16)
 * without initialising the JCE {@code Mac} machinery on the first path. Not thread-safe; {@link
 * #doFinal} resets it for the next message.
 */
public final class Hmac {
  private static final int BLOCK = 64;

  private final MessageDigest inner;
  private final MessageDigest outer;
  private final byte[] ipad = new byte[BLOCK];
  private final byte[] opad = new byte[BLOCK];

  /** An HMAC-SHA-256 keyed with {@code key}. */
  public Hmac(byte[] key) {
    inner = sha256();
    outer = sha256();
    byte[] k = key.length > BLOCK ? sha256().digest(key) : key;
    for (int i = 0; i < BLOCK; i++) {
      byte b = i < k.length ? k[i] : 0;
      ipad[i] = (byte) (b ^ 0x36);
      opad[i] = (byte) (b ^ 0x5c);
    }
    inner.update(ipad);
  }

  public void update(byte[] bytes) {
    inner.update(bytes);
  }

  /** The MAC of everything given since the last call; resets. */
  public byte[] doFinal() {
    byte[] h = inner.digest();
    outer.update(opad);
    byte[] mac = outer.digest(h);
    Arrays.fill(h, (byte) 0);
    inner.update(ipad);
    return mac;
  }

  /** The MAC of {@code bytes} alone (after whatever was given before). */
  public byte[] doFinal(byte[] bytes) {
    update(bytes);
    return doFinal();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
