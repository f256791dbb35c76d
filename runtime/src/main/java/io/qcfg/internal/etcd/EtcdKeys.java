package io.qcfg.internal.etcd;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/** Keys and values as etcd's JSON gateway wants them: bytes, base64 in JSON. */
final class EtcdKeys {
  private EtcdKeys() {}

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String base64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  static String base64(String s) {
    return base64(bytes(s));
  }

  static byte[] unbase64(String s) {
    return Base64.getDecoder().decode(s);
  }

  /**
   * The end of the range of every key starting with {@code prefix}: the prefix with its last byte
   * below 0xff incremented (etcd's own {@code GetPrefixRangeEnd}).
   */
  static byte[] prefixEnd(byte[] prefix) {
    byte[] end = Arrays.copyOf(prefix, prefix.length);
    for (int i = end.length - 1; i >= 0; i--) {
      if ((end[i] & 0xff) < 0xff) {
        end[i]++;
        return Arrays.copyOf(end, i + 1);
      }
    }
    return new byte[] {0}; // all 0xff: to the end of the key space, etcd's convention
  }

  /** The smallest key after {@code key}: {@code key + 0x00}. */
  static byte[] successor(byte[] key) {
    return Arrays.copyOf(key, key.length + 1);
  }

  /** etcd orders keys as unsigned bytes. */
  static int compare(byte[] a, byte[] b) {
    return Arrays.compareUnsigned(a, b);
  }

  /** Strict UTF-8; null when the bytes are not UTF-8. */
  static String utf8OrNull(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
