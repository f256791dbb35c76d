package io.qcfg.internal.crypto;

import io.qcfg.internal.log.Log;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The key with which secret values enter a snapshot's checksum: HMAC-SHA-256, so that the
 * checksum (shown to every JMX role, stored next to the sealed tree in every history file) cannot
 * be used to test guesses of a secret.
 *
 * <p>Where the key comes from decides who computes equal checksums:
 *
 * <ul>
 *   <li>with a key ring ({@code key} option), it is derived from the primary key: every JVM
 *       given the same inputs, key ring included, computes the same checksum, and an attacker
 *       without the key ring cannot test guesses;
 *   <li>without one, it is 32 random bytes in {@code <state>/checksum.key} (mode 600), made on
 *       first use: stable across restarts; JVMs with separate state dirs agree only when they are
 *       given a copy of that file. A process whose state dir does not exist (a CLI verb) uses a
 *       random key for its own life and creates nothing.
 * </ul>
 *
 * Immutable; {@link #FILE} keys are cached per state dir for the JVM's life.
 */
public final class ChecksumKey {
  /** The file name of the per-state-dir key. */
  public static final String FILE = "checksum.key";

  private static final Map<Path, ChecksumKey> BY_STATE = new ConcurrentHashMap<>();

  private final byte[] key;
  private final String source;
  private final boolean persistent;

  private ChecksumKey(byte[] key, String source, boolean persistent) {
    this.key = key;
    this.source = source;
    this.persistent = persistent;
  }

  /** The key for a build: from {@code ring} when there is one, else from {@code state}. */
  public static ChecksumKey of(KeyRing ring, Path state) {
    if (ring != null) {
      byte[] primary = ring.key(ring.primaryKeyId()).orElseThrow().getEncoded();
      return new ChecksumKey(hmac(primary, "qcfg checksum key v1"), "key ring", true);
    }
    Path dir = state.toAbsolutePath().normalize();
    ChecksumKey known = BY_STATE.get(dir);
    if (known != null) {
      return known;
    }
    if (!Files.isDirectory(dir)) {
      // A read-only verb with no state dir creates none: its checksums hold for this process.
      return Ephemeral.KEY;
    }
    return BY_STATE.computeIfAbsent(dir, ChecksumKey::fromStateDir);
  }

  /** Whether {@code other} seals with the same key (a build's memo of sealed text holds). */
  public boolean sameKey(ChecksumKey other) {
    return other == this
        || (other != null && java.security.MessageDigest.isEqual(key, other.key));
  }

  // Made on first use (holder idiom), not whenever this class loads: see RandomBytes.
  private static final class Ephemeral {
    static final ChecksumKey KEY = new ChecksumKey(RandomBytes.forStartKey(32), "ephemeral",
        false);
  }

  private static ChecksumKey fromStateDir(Path dir) {
    Path file = dir.resolve(FILE);
    try {
      if (!Files.exists(file)) {
        byte[] fresh = RandomBytes.forStartKey(32);
        Path tmp = dir.resolve(FILE + "." + io.qcfg.internal.history.ProcessId.current() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(
            PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, HexFormat.of().formatHex(fresh) + "\n");
        try {
          // No replace: when two processes race, the first key wins and both read it back.
          Files.move(tmp, file);
        } catch (FileAlreadyExistsException lost) {
          Files.deleteIfExists(tmp);
        }
      }
      byte[] key = HexFormat.of().parseHex(new String(
          io.qcfg.internal.text.FileBytes.read(file), StandardCharsets.UTF_8).trim());
      if (key.length < 16) {
        throw new IOException("too short");
      }
      return new ChecksumKey(key, file.toString(), true);
    } catch (IOException | IllegalArgumentException | UnsupportedOperationException e) {
      Log.warnOnce("checksum-key:" + dir, "QCFG-1514: cannot keep the checksum key in " + file
          + " (" + ForeignText.describe(e) + "); checksums of configurations with secrets will"
          + " change when this JVM restarts");
      return Ephemeral.KEY;
    }
  }

  /**
   * A fresh HMAC-SHA-256 under a key derived from this one for {@code purpose} (the fast start's
   * input fingerprints, issue 16): digests of inputs that may hold secrets, and the integrity of
   * the file that keeps them, without ever storing a value.
   */
  public Hmac derivedMac(String purpose) {
    // Each purpose's key is derived once (issue 16: a fast restart asks for a dozen of these, six
    // compressions each, interpreted this early); every caller gets its own copy.
    return derived.computeIfAbsent(purpose, p ->
        new Hmac(new Hmac(key).doFinal(p.getBytes(StandardCharsets.UTF_8)))).copy();
  }

  // Per purpose, an HMAC under the derived key that nobody updates: derivedMac copies it.
  private final Map<String, Hmac> derived = new ConcurrentHashMap<>();

  /** Whether this key outlives the process (the state dir's file or a key ring). */
  public boolean persistent() {
    return persistent; // not `this != Ephemeral.KEY`: that would make one (random bytes) to ask
  }

  /** What a secret leaf is replaced with in the checksummed rendering. */
  public String seal(String path, String renderedValue) {
    StringBuilder out = new StringBuilder(PREFIX.length() + 2 * 32);
    out.append(PREFIX);
    appendDigest(out, path, renderedValue);
    return out.toString();
  }

  /**
   * Appends {@link #seal}'s text as a JSON string (it needs no escaping), without the strings in
   * between: the one walk does this for every secret leaf.
   */
  public void appendSealedJson(StringBuilder out, String path, String renderedValue) {
    out.append('"').append(PREFIX);
    appendDigest(out, path, renderedValue);
    out.append('"');
  }

  private static final String PREFIX = "hmac-sha256:";
  private static final byte[] SEPARATOR = {0};
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private void appendDigest(StringBuilder out, String path, String renderedValue) {
    byte[] digest;
    synchronized (this) { // one HMAC per key, reused: a new one per secret leaf was costly
      if (mac == null) {
        mac = new Hmac(key);
      }
      mac.update(path.getBytes(StandardCharsets.UTF_8));
      mac.update(SEPARATOR);
      digest = mac.doFinal(renderedValue.getBytes(StandardCharsets.UTF_8)); // resets it
    }
    for (byte b : digest) {
      out.append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
    }
  }

  // Hmac, not javax.crypto.Mac: the JCE's first use (provider verification, policy files) cost
  // tens of milliseconds on the fast restart's path (issue 16); the bytes are the same.
  private Hmac mac; // guarded by this

  private static byte[] hmac(byte[] key, String text) {
    return new Hmac(key).doFinal(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Names the source, never key material. */
  @Override
  public String toString() {
    return "ChecksumKey[" + source + "]";
  }
}
