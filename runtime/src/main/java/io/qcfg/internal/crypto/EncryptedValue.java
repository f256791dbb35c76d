package io.qcfg.internal.crypto;

import io.qcfg.Problem;
import io.qcfg.QcfgException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * The text form of an encrypted configuration value, parsed but not decrypted. Immutable.
 *
 * <h2>Format, version 1</h2>
 *
 * <pre>
 * ENC[v1,&lt;keyId&gt;,&lt;data&gt;]
 * </pre>
 *
 * <ul>
 *   <li>{@code v1}: the format version. Another version is refused (QCFG-4011), never guessed.
 *   <li>{@code keyId}: the id of the {@link KeyRing} key that encrypted the value, 1 to 64
 *       characters from {@code A-Z a-z 0-9 . _ -}.
 *   <li>{@code data}: unpadded base64url (RFC 4648 section 5) of {@code iv || ciphertext || tag}: a
 *       12-byte random IV, the AES-256-GCM ciphertext of the UTF-8 plaintext (as long as the
 *       plaintext), and the 16-byte GCM tag. Padding {@code =} is accepted when reading.
 *   <li>The GCM additional authenticated data is the UTF-8 of {@code v1,<keyId>,<path>}, where
 *       {@code path} is the configuration path the value was encrypted for (possibly empty): see
 *       {@link ValueCipher}.
 * </ul>
 *
 * <p>In HOCON the value must be quoted, because {@code [} and {@code ,} end an unquoted string:
 * {@code password = "ENC[v1,k1,3vQ...]"}. Spaces around the whole value are ignored.
 *
 * <p>Parse errors are QCFG-4010 (malformed) and QCFG-4011 (unsupported version). Their messages
 * name at most the version and key id, never the data.
 */
public final class EncryptedValue {
  /** Every encrypted value starts with this. */
  public static final String PREFIX = "ENC[";

  /** The only format version this code writes and reads. */
  public static final String VERSION = "v1";

  static final int IV_BYTES = 12;
  static final int TAG_BYTES = 16;

  private static final Pattern OTHER_VERSION = Pattern.compile("v[0-9]{1,3}");
  private static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]+={0,2}");
  private static final String EXPECTED = "expected ENC[v1,<keyId>,<base64url data>], found ";

  private final String keyId;
  private final byte[] iv;
  private final byte[] sealed; // ciphertext || tag

  EncryptedValue(String keyId, byte[] iv, byte[] sealed) {
    this.keyId = keyId;
    this.iv = iv.clone();
    this.sealed = sealed.clone();
  }

  /**
   * Whether {@code value} is meant to be an encrypted value: it starts with {@code ENC[} (after
   * leading spaces). Deliberately loose, so that a damaged value ({@code ENC[v1,k1,abc} without the
   * bracket) is reported as malformed instead of being used as a plain string.
   */
  public static boolean isEncrypted(String value) {
    return value != null && value.stripLeading().startsWith(PREFIX);
  }

  /**
   * Parses {@code text} without decrypting it.
   *
   * @param location where the value was found, {@code file:line}; the problem's location
   * @param path the configuration path of the value; the problem's path
   * @throws QcfgException.Invalid with one problem (QCFG-4010 or QCFG-4011) if the text is not a
   *     version 1 encrypted value
   */
  public static EncryptedValue parse(String text, String location, String path) {
    String s = text == null ? "" : text.strip();
    if (!s.startsWith(PREFIX)) {
      throw malformed(location, path, "a value that does not start with ENC[");
    }
    if (!s.endsWith("]")) {
      throw malformed(location, path, "no closing ']'");
    }
    String[] fields = s.substring(PREFIX.length(), s.length() - 1).split(",", -1);
    if (fields.length != 3) {
      throw malformed(location, path, fields.length + " comma-separated fields instead of 3");
    }
    String version = fields[0].strip();
    if (!VERSION.equals(version)) {
      if (OTHER_VERSION.matcher(version).matches()) {
        throw new QcfgException.Invalid(
            new Problem(
                "QCFG-4011",
                location,
                path,
                "expected an ENC value of format v1, found format "
                    + version
                    + ", which this qcfg cannot read"));
      }
      throw malformed(location, path, "a first field that is not the format version v1");
    }
    String keyId = fields[1].strip();
    if (!KeyRing.KEY_ID.matcher(keyId).matches()) {
      throw malformed(location, path, "a second field that is not a key id");
    }
    String data = fields[2].strip();
    if (!BASE64URL.matcher(data).matches()) {
      throw malformed(location, path, "a third field that is not base64url");
    }
    byte[] raw;
    try {
      raw = Base64.getUrlDecoder().decode(data);
    } catch (IllegalArgumentException e) {
      throw malformed(location, path, "a third field that is not base64url");
    }
    if (raw.length < IV_BYTES + TAG_BYTES) {
      throw malformed(
          location,
          path,
          "data of "
              + raw.length
              + " bytes, shorter than the "
              + (IV_BYTES + TAG_BYTES)
              + " bytes of IV and tag");
    }
    return new EncryptedValue(
        keyId, Arrays.copyOfRange(raw, 0, IV_BYTES), Arrays.copyOfRange(raw, IV_BYTES, raw.length));
  }

  /** The id of the key this value was encrypted with. */
  public String keyId() {
    return keyId;
  }

  /** A copy of the 12-byte IV. */
  public byte[] iv() {
    return iv.clone();
  }

  /** Ciphertext followed by the tag; not copied, callers in this package must not modify it. */
  byte[] sealed() {
    return sealed;
  }

  /** The {@code ENC[v1,<keyId>,<data>]} text. */
  public String render() {
    byte[] raw = ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array();
    return PREFIX
        + VERSION
        + ','
        + keyId
        + ','
        + Base64.getUrlEncoder().withoutPadding().encodeToString(raw)
        + ']';
  }

  /** The version, key id and size; not the data, so that it cannot end up in a message. */
  @Override
  public String toString() {
    return "EncryptedValue[" + VERSION + ", key=" + keyId + ", " + sealed.length + " bytes]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EncryptedValue other
        && keyId.equals(other.keyId)
        && Arrays.equals(iv, other.iv)
        && Arrays.equals(sealed, other.sealed);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * keyId.hashCode() + Arrays.hashCode(iv)) + Arrays.hashCode(sealed);
  }

  private static QcfgException.Invalid malformed(String location, String path, String found) {
    return new QcfgException.Invalid(new Problem("QCFG-4010", location, path, EXPECTED + found));
  }
}
