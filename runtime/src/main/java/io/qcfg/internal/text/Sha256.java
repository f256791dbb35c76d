package io.qcfg.internal.text;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * SHA-256, the one digest qcfg uses: snapshot checksums, input fingerprints, file identities, the
 * audit chain, HMACs ({@code crypto.Hmac}). Static helpers for whole inputs; {@link #create()} for
 * streaming. An instance is not thread-safe: confine it to one thread (or guard it); the static
 * helpers are safe from any thread.
 *
 * <p>Two implementations give the same bytes. A cold JVM starts on {@link PureSha256}: the JDK's
 * {@code MessageDigest} first initialises the JCA provider framework (security properties,
 * provider list, the Sun provider's services), tens of milliseconds on the start path (issue 16).
 * Once the first snapshot is published, a background thread calls {@link #preferJdk()}: warm,
 * the JDK's digest is much faster on large inputs (the JIT uses the CPU's SHA instructions).
 * Instances made before the switch stay pure; that is invisible, since the bytes are equal.
 */
public final class Sha256 {
  /** Bytes in a digest. */
  public static final int BYTES = 32;

  // Written once by preferJdk(), read by create(): volatile, so no lock on the digest path.
  private static volatile boolean jdk;

  private final PureSha256 pure;
  private final Jdk fast;

  private Sha256(boolean useJdk) {
    this.fast = useJdk ? new Jdk() : null;
    this.pure = useJdk ? null : new PureSha256();
  }

  /** A fresh digest; feed it with {@link #update} and end with {@link #digest()}. */
  public static Sha256 create() {
    return new Sha256(jdk);
  }

  public void update(byte[] bytes) {
    update(bytes, 0, bytes.length);
  }

  public void update(byte[] bytes, int off, int len) {
    if (fast != null) {
      fast.update(bytes, off, len);
    } else {
      pure.update(bytes, off, len);
    }
  }

  /**
   * A copy of this digest's state, for {@link #restore}; null for the JDK's digest (copying it
   * costs about what it saves).
   */
  public Sha256 snapshot() {
    if (pure == null) {
      return null;
    }
    Sha256 copy = new Sha256(false);
    copy.pure.copyFrom(pure);
    return copy;
  }

  /** Puts this digest back in the state {@code saved} ({@link #snapshot()} of a pure one) holds. */
  public void restore(Sha256 saved) {
    pure.copyFrom(saved.pure);
  }

  /** The digest of everything given since the last digest; resets for the next message. */
  public byte[] digest() {
    if (fast != null) {
      return fast.digest();
    }
    byte[] out = new byte[BYTES];
    pure.digest(out, 0);
    return out;
  }

  /** The digest of {@code bytes}. */
  public static byte[] digest(byte[] bytes) {
    Sha256 s = create();
    s.update(bytes);
    return s.digest();
  }

  /** The digest of {@code text}'s UTF-8 bytes, as lower-case hex. */
  public static String hex(String text) {
    return hex(text.getBytes(StandardCharsets.UTF_8));
  }

  /** The digest of {@code bytes}, as lower-case hex. */
  public static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(digest(bytes));
  }

  /**
   * Makes later {@link #create()} calls use the JDK's {@code MessageDigest}, after checking once
   * that it gives this class's bytes; stays pure if it does not or is missing. Slow the first time
   * in a JVM (the JCA framework): call it off the critical path.
   */
  public static void preferJdk() {
    if (jdk) {
      return;
    }
    try {
      byte[] probe = new byte[200]; // more than three blocks, with padding in a block of its own
      Arrays.fill(probe, (byte) 'q');
      Jdk theirs = new Jdk();
      theirs.update(probe, 0, probe.length);
      byte[] ours = new byte[BYTES];
      PureSha256 p = new PureSha256();
      p.update(probe, 0, probe.length);
      p.digest(ours, 0);
      jdk = Arrays.equals(theirs.digest(), ours);
    } catch (IllegalStateException e) {
      // No SHA-256 provider: the pure digest serves on.
    }
  }

  // Tests only (through their Sha256Selection): state written with one, read with the other.
  static void select(boolean useJdk) {
    jdk = useJdk;
  }

  /** Whether {@link #create()} gives the JDK's digest now (for tests and the trace). */
  public static boolean usesJdk() {
    return jdk;
  }

  // Its own class: the JVM loads MessageDigest (and the JCA) only when this is first used.
  private static final class Jdk {
    private final MessageDigest md;

    Jdk() {
      try {
        md = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-256 is part of every JDK", e);
      }
    }

    void update(byte[] bytes, int off, int len) {
      md.update(bytes, off, len);
    }

    byte[] digest() {
      return md.digest();
    }
  }
}
