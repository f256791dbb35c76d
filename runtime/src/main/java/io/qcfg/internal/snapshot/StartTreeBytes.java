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

  // get and varint read a byte without a call: cold, per byte of every leaf (issue 16).
  byte get() {
    if (at >= end) {
      throw new IllegalArgumentException("past the end");
    }
    return b[at++];
  }

  int getInt() {
    int i = need(4);
    return (b[i] << 24) | ((b[i + 1] & 0xff) << 16) | ((b[i + 2] & 0xff) << 8) | (b[i + 3] & 0xff);
  }

  long getLong() {
    return ((long) getInt() << 32) | (getInt() & 0xffffffffL);
  }

  /** A varint as {@link StartTree.Out} writes it, at most 32 bits. */
  int varint() {
    if (at < end && b[at] >= 0) { // one byte: most counts, lengths, origins
      return b[at++];
    }
    int v = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      byte x = b[need(1)];
      v |= (x & 0x7f) << shift;
      if (x >= 0) {
        return v;
      }
    }
    throw new IllegalArgumentException("varint");
  }

  /** A count or a length: a varint that the rest of the body could hold. */
  int count() {
    int n = varint();
    if (n < 0 || n > end - at) {
      throw new IllegalArgumentException("count");
    }
    return n;
  }

  /** A zigzag varint of up to 64 bits. */
  long signed() {
    long v = 0;
    for (int shift = 0; shift < 70; shift += 7) {
      byte x = b[need(1)];
      v |= (long) (x & 0x7f) << shift;
      if (x >= 0) {
        return (v >>> 1) ^ -(v & 1);
      }
    }
    throw new IllegalArgumentException("varint");
  }

  /** Skips {@code n} bytes; returns where they began. */
  int skip(int n) {
    return need(n);
  }

  /** The body, for the walks that read keys in place. */
  byte[] array() {
    return b;
  }

  int at() {
    return at;
  }

  /** A cursor over the same bytes from {@code from}: the tree's walk on demand. */
  StartTreeBytes from(int from) {
    StartTreeBytes c = new StartTreeBytes(b, end);
    c.at = from;
    return c;
  }

  /** {@code n} bytes, copied. */
  byte[] bytes(int n) {
    int i = need(n);
    return java.util.Arrays.copyOfRange(b, i, i + n);
  }

  /** A string of format 1's header: its length in four bytes, then its UTF-8. */
  String fixedString() {
    int n = getInt();
    int i = need(n);
    return new String(b, i, n, StandardCharsets.UTF_8);
  }

  /** A string as written: its length as a varint, then its UTF-8. */
  String string() {
    return text(varint());
  }

  /** The UTF-8 of the next {@code n} bytes. */
  String text(int n) {
    int i = need(n);
    return new String(b, i, n, StandardCharsets.UTF_8);
  }

  int remaining() {
    return end - at;
  }
}
