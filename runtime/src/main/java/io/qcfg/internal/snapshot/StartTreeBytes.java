package io.qcfg.internal.snapshot;

import java.nio.charset.StandardCharsets;

/**
 * A cursor over the body of the start tree's file, reading what {@link java.io.DataOutputStream}
 * wrote (big-endian) straight from the array: on a fast restart this code runs cold, where each
 * {@link java.nio.ByteBuffer#getInt()} went down a chain of JDK calls (issue 16). Reading past the
 * end throws {@link IllegalArgumentException}, which the reader reports as a broken file.
 */
final class StartTreeBytes {
  private final byte[] b;
  private final int end;
  private int at;

  StartTreeBytes(byte[] bytes, int length) {
    this.b = bytes;
    this.end = length;
  }

  private int need(int n) {
    if (n < 0 || n > end - at) {
      throw new IllegalArgumentException("past the end");
    }
    int from = at;
    at += n;
    return from;
  }

  byte get() {
    return b[need(1)];
  }

  int getInt() {
    int i = need(4);
    return (b[i] << 24) | ((b[i + 1] & 0xff) << 16) | ((b[i + 2] & 0xff) << 8) | (b[i + 3] & 0xff);
  }

  long getLong() {
    return ((long) getInt() << 32) | (getInt() & 0xffffffffL);
  }

  double getDouble() {
    return Double.longBitsToDouble(getLong());
  }

  /** {@code n} bytes, copied. */
  byte[] bytes(int n) {
    int i = need(n);
    return java.util.Arrays.copyOfRange(b, i, i + n);
  }

  /** A string as written: its length in bytes, then its UTF-8. */
  String string() {
    int n = getInt();
    int i = need(n);
    return new String(b, i, n, StandardCharsets.UTF_8);
  }

  int remaining() {
    return end - at;
  }
}
