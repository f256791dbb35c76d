package io.qcfg.internal.crypto;

import io.qcfg.Problem;
import io.qcfg.QcfgException;
import io.qcfg.internal.log.Log;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AES-256 keys that {@code ENC[...]} values are encrypted with, by key id. Immutable and safe
 * to share between threads.
 *
 * <h2>Key file format</h2>
 *
 * The {@code key} option names a file in this format; {@link #parse} reads the same text from
 * anywhere else (for example the value of an environment variable):
 *
 * <pre>
 * # qcfg key ring: one key per line, the first one encrypts
 * k2025b:3q2+7w6sY9bN0c5nZ1Yq4vH0n2L8tS1uV3xW5yZ7aBc=
 * k2025a:Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4cXV1eHF1dXg=
 * </pre>
 *
 * <ul>
 *   <li>One key per line: {@code <keyId>:<key>}. The key id is 1 to 64 characters from {@code A-Z
 *       a-z 0-9 . _ -}; it is written, in clear, into every {@code ENC[...]} value. The key is
 *       exactly 32 bytes (AES-256) in base64, standard or URL-safe alphabet, padding optional.
 *   <li>Spaces around the line and around the {@code :} are ignored. Lines that are blank or start
 *       with {@code #} are ignored. Key ids are unique within a ring.
 *   <li>The <b>first</b> key is the <em>primary</em>: it encrypts new values. Every key decrypts
 *       values that name its id. To rotate, add a new key at the top, re-encrypt at leisure, and
 *       remove the old line once no value names it.
 * </ul>
 *
 * <p>Every error is a {@link QcfgException.Invalid} with one {@link Problem} per bad line, located
 * {@code <source>:<line>}. No message and no {@link #toString()} ever contains key material.
 *
 * <p>Message ids: QCFG-4001 unreadable file, QCFG-4002 malformed line, QCFG-4003 bad key id,
 * QCFG-4004 key is not base64, QCFG-4005 key is not 32 bytes, QCFG-4006 duplicate key id, QCFG-4007
 * no key at all, QCFG-4008 (a logged warning) key file readable by other users.
 */
public final class KeyRing {
  /** AES-256: 32 bytes of key. */
  public static final int KEY_BYTES = 32;

  // Also checked by EncryptedValue: an id appears in clear inside ENC[...] and in messages.
  static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  private final String source;
  // Insertion order matters: the first entry is the primary key.
  private final Map<String, SecretKey> keys;

  private KeyRing(String source, Map<String, SecretKey> keys) {
    this.source = source;
    this.keys = Collections.unmodifiableMap(keys);
  }

  /**
   * Reads a key ring from {@code file}. Warns once (never fails) when the file is readable by other
   * users on a POSIX file system.
   *
   * @throws QcfgException.Invalid if the file cannot be read or has any bad line (every bad line is
   *     reported)
   */
  public static KeyRing load(Path file) {
    String text;
    try {
      byte[] bytes = Files.readAllBytes(file);
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
    } catch (CharacterCodingException e) {
      throw new QcfgException.Invalid(
          new Problem(
              "QCFG-4001",
              file.toString(),
              "",
              "cannot read the key file: expected UTF-8 text, found other bytes"));
    } catch (IOException e) {
      throw new QcfgException.Invalid(
          new Problem(
              "QCFG-4001",
              file.toString(),
              "",
              "cannot read the key file: " + e.getClass().getSimpleName()));
    }
    warnIfOthersCanRead(file);
    return parse(text, file.toString());
  }

  /**
   * Parses key ring text (see the class comment for the format).
   *
   * @param sourceName where the text came from, used as the location of problems: a file name or
   *     {@code QCFG_KEY}
   * @throws QcfgException.Invalid listing every bad line, or if there is no key at all
   */
  public static KeyRing parse(String text, String sourceName) {
    Map<String, SecretKey> keys = new LinkedHashMap<>();
    List<Problem> problems = new ArrayList<>();
    String[] lines = text.split("\r\n|\r|\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String location = sourceName + ":" + (i + 1);
      // Messages below never quote the line: a malformed line may well be a bare key.
      int colon = line.indexOf(':');
      if (colon < 0) {
        problems.add(
            new Problem(
                "QCFG-4002",
                location,
                "",
                "expected <keyId>:<base64 of 32 bytes>, found a line without ':'"));
        continue;
      }
      String id = line.substring(0, colon).strip();
      String encoded = line.substring(colon + 1).strip();
      if (!KEY_ID.matcher(id).matches()) {
        problems.add(
            new Problem(
                "QCFG-4003",
                location,
                "",
                "expected a key id of 1 to 64 characters from A-Z a-z 0-9 . _ - before ':',"
                    + " found "
                    + (id.isEmpty() ? "nothing" : id.length() + " other characters")));
        continue;
      }
      byte[] raw = decodeBase64(encoded);
      if (raw == null) {
        problems.add(
            new Problem(
                "QCFG-4004",
                location,
                "",
                "key '" + id + "': expected base64 after ':', found other characters"));
        continue;
      }
      if (raw.length != KEY_BYTES) {
        problems.add(
            new Problem(
                "QCFG-4005",
                location,
                "",
                "key '"
                    + id
                    + "': expected "
                    + KEY_BYTES
                    + " bytes (AES-256), found "
                    + raw.length));
        continue;
      }
      if (keys.containsKey(id)) {
        problems.add(
            new Problem(
                "QCFG-4006",
                location,
                "",
                "key id '" + id + "' appears twice; ids must be unique"));
        continue;
      }
      keys.put(id, new SecretKeySpec(raw, "AES"));
    }
    if (keys.isEmpty() && problems.isEmpty()) {
      problems.add(
          new Problem(
              "QCFG-4007",
              sourceName,
              "",
              "expected at least one line <keyId>:<base64 of 32 bytes>, found none"));
    }
    if (!problems.isEmpty()) {
      throw new QcfgException.Invalid(problems);
    }
    return new KeyRing(sourceName, keys);
  }

  /**
   * A new ring holding one fresh random key.
   *
   * @throws QcfgException.BadOption if {@code keyId} is not a valid key id
   */
  public static KeyRing generate(String keyId) {
    return new KeyRing("generated", new LinkedHashMap<>()).rotate(keyId);
  }

  /**
   * A new ring with a fresh random key {@code newKeyId} in front (the new primary) and every key of
   * this ring after it, so that old values still decrypt.
   *
   * @throws QcfgException.BadOption if {@code newKeyId} is not a valid key id or is already in this
   *     ring
   */
  public KeyRing rotate(String newKeyId) {
    if (newKeyId == null || !KEY_ID.matcher(newKeyId).matches()) {
      throw new QcfgException.BadOption(
          "key id: expected 1 to 64 characters from A-Z a-z 0-9 . _ -, found '" + newKeyId + "'");
    }
    if (keys.containsKey(newKeyId)) {
      throw new QcfgException.BadOption(
          "key id: '" + newKeyId + "' is already in the key ring " + source);
    }
    byte[] raw = new byte[KEY_BYTES];
    RandomBytes.fill(raw);
    Map<String, SecretKey> next = new LinkedHashMap<>();
    next.put(newKeyId, new SecretKeySpec(raw, "AES"));
    next.putAll(keys);
    return new KeyRing(source, next);
  }

  /**
   * The ring in the key file format, primary key first, with a comment header; what {@code keygen}
   * writes. This is the only method that reveals key material: write it to a file with owner-only
   * permissions, never to a log.
   */
  public String render() {
    StringBuilder sb =
        new StringBuilder()
            .append("# qcfg key ring: <keyId>:<base64 of 32 bytes>, one per line.\n")
            .append("# The first key encrypts new ENC[...] values; every key decrypts.\n");
    Base64.Encoder b64 = Base64.getEncoder();
    keys.forEach(
        (id, key) ->
            sb.append(id).append(':').append(b64.encodeToString(key.getEncoded())).append('\n'));
    return sb.toString();
  }

  /** The id of the key that encrypts new values: the first one in the file. */
  public String primaryKeyId() {
    return keys.keySet().iterator().next();
  }

  /** Every key id, primary first. */
  public List<String> keyIds() {
    return List.copyOf(keys.keySet());
  }

  /** Where this ring was read from: a file name, {@code QCFG_KEY}, or {@code generated}. */
  public String source() {
    return source;
  }

  /** The key with this id; package-private so that key material stays in this package. */
  Optional<SecretKey> key(String keyId) {
    return Optional.ofNullable(keys.get(keyId));
  }

  /** Names the source and the key ids; never key material. */
  @Override
  public String toString() {
    return "KeyRing[" + source + ", keys=" + keys.keySet() + "]";
  }

  /** Standard or URL-safe base64, padding optional; null if it is neither. */
  private static byte[] decodeBase64(String s) {
    if (s.isEmpty()) {
      return null;
    }
    try {
      boolean urlSafe = s.indexOf('-') >= 0 || s.indexOf('_') >= 0;
      return (urlSafe ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(s);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static void warnIfOthersCanRead(Path file) {
    try {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
      if (perms.contains(PosixFilePermission.OTHERS_READ)
          || perms.contains(PosixFilePermission.GROUP_READ)) {
        Log.warnOnce(
            "key-perms:" + file.toAbsolutePath(),
            file + ": the key file is readable by other users [QCFG-4008]; consider chmod 600");
      }
    } catch (UnsupportedOperationException | IOException e) {
      // Not a POSIX file system, or no access to attributes: nothing to warn about.
    }
  }
}
