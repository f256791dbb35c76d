package io.qcfg.internal.crypto;

import io.qcfg.Problem;
import io.qcfg.QcfgException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Encrypts and decrypts single configuration values in the {@link EncryptedValue} format with
 * AES-256-GCM (JDK provider, 128-bit tag). Stateless and safe to use from any thread.
 *
 * <h2>Path binding</h2>
 *
 * A value is encrypted <em>for</em> a configuration path: the path is part of the GCM additional
 * authenticated data, so a ciphertext copied to another path fails to decrypt there (an attacker
 * who can edit a layer cannot move the database password into, say, a URL that gets logged). {@code
 * encrypt} without {@code --path} binds the empty path {@code ""}; such a value decrypts at any
 * path, because {@link #decrypt} tries the given path first and then {@code ""}.
 *
 * <h2>IVs</h2>
 *
 * Every encryption draws a fresh 96-bit IV from one shared {@link java.security.SecureRandom}. With
 * random IVs one key should encrypt fewer than 2^32 values (NIST SP 800-38D), far beyond what a
 * configuration ever holds.
 *
 * <p>Message ids: QCFG-4010/4011 (see {@link EncryptedValue}), QCFG-4012 unknown key id, QCFG-4013
 * authentication failed (wrong key, wrong path, altered value), QCFG-4014 decrypted bytes are not
 * UTF-8, QCFG-4015 the plaintext to encrypt is not valid Unicode. No message ever contains a
 * plaintext or the data of a ciphertext.
 */
public final class ValueCipher {
  private static final String TRANSFORMATION = "AES/GCM/NoPadding";
  private static final int TAG_BITS = EncryptedValue.TAG_BYTES * 8;

  private ValueCipher() {}

  /**
   * Encrypts {@code plaintext} for {@code path} with the ring's primary key.
   *
   * @param path the configuration path the value will live at, in the form the rest of qcfg uses
   *     ({@code db.password}, list elements {@code servers.0.password}); {@code ""} for a value
   *     that may live anywhere
   * @return {@code ENC[v1,<primaryKeyId>,<data>]}
   * @throws QcfgException.Invalid (QCFG-4015) if {@code plaintext} holds a lone surrogate, which
   *     UTF-8 cannot carry
   */
  public static String encrypt(KeyRing ring, String path, String plaintext) {
    byte[] clear = utf8(plaintext, path);
    String keyId = ring.primaryKeyId();
    SecretKey key = ring.key(keyId).orElseThrow();
    byte[] iv = new byte[EncryptedValue.IV_BYTES];
    RandomBytes.fill(iv);
    try {
      Cipher cipher = Cipher.getInstance(TRANSFORMATION);
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
      cipher.updateAAD(aad(keyId, path));
      byte[] sealed = cipher.doFinal(clear);
      return new EncryptedValue(keyId, iv, sealed).render();
    } catch (GeneralSecurityException e) {
      throw new QcfgException.BugOrBroken("AES-256-GCM is not available in this JVM", e);
    } finally {
      Arrays.fill(clear, (byte) 0);
    }
  }

  /**
   * Decrypts {@code encValue}, which was encrypted for {@code path} or for {@code ""}.
   *
   * @param location where the value was found ({@code file:line} or a layer name); used as the
   *     location of the problem if decryption fails
   * @param path the configuration path the value was found at
   * @throws QcfgException.Invalid with one problem naming {@code location}, {@code path} and the
   *     key id: malformed (QCFG-4010), unsupported version (QCFG-4011), no key with that id
   *     (QCFG-4012), authentication failed (QCFG-4013), not UTF-8 (QCFG-4014)
   */
  public static String decrypt(KeyRing ring, String location, String path, String encValue) {
    EncryptedValue value = EncryptedValue.parse(encValue, location, path);
    SecretKey key =
        ring.key(value.keyId())
            .orElseThrow(
                () ->
                    new QcfgException.Invalid(
                        new Problem(
                            "QCFG-4012",
                            location,
                            path,
                            "expected a key with id '"
                                + value.keyId()
                                + "' in the key ring "
                                + ring.source()
                                + ", found only "
                                + String.join(", ", ring.keyIds()))));
    byte[] clear = open(key, value, path);
    if (clear == null && !path.isEmpty()) {
      clear = open(key, value, "");
    }
    if (clear == null) {
      throw new QcfgException.Invalid(
          new Problem(
              "QCFG-4013",
              location,
              path,
              "cannot decrypt with key '"
                  + value.keyId()
                  + "': the value was encrypted for another path or with another key of that id,"
                  + " or it was altered"));
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(clear))
          .toString();
    } catch (CharacterCodingException e) {
      throw new QcfgException.Invalid(
          new Problem(
              "QCFG-4014",
              location,
              path,
              "expected UTF-8 text after decrypting with key '"
                  + value.keyId()
                  + "', found other bytes"));
    } finally {
      Arrays.fill(clear, (byte) 0);
    }
  }

  /** The plaintext bytes, or null if the tag does not verify with this key and path. */
  private static byte[] open(SecretKey key, EncryptedValue value, String path) {
    try {
      Cipher cipher = Cipher.getInstance(TRANSFORMATION);
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, value.iv()));
      cipher.updateAAD(aad(value.keyId(), path));
      return cipher.doFinal(value.sealed());
    } catch (AEADBadTagException e) {
      return null;
    } catch (GeneralSecurityException e) {
      throw new QcfgException.BugOrBroken("AES-256-GCM is not available in this JVM", e);
    }
  }

  private static byte[] aad(String keyId, String path) {
    return (EncryptedValue.VERSION + ',' + keyId + ',' + path).getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] utf8(String plaintext, String path) {
    try {
      ByteBuffer buf =
          StandardCharsets.UTF_8
              .newEncoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .encode(CharBuffer.wrap(plaintext));
      byte[] out = new byte[buf.remaining()];
      buf.get(out);
      return out;
    } catch (CharacterCodingException e) {
      throw new QcfgException.Invalid(
          new Problem(
              "QCFG-4015",
              "(value to encrypt)",
              path,
              "expected Unicode text to encrypt, found a lone surrogate character"));
    }
  }
}
