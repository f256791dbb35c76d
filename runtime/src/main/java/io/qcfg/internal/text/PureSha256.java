package io.qcfg.internal.text;

/**
 * SHA-256 as FIPS 180-4 defines it, in plain {@code int} arithmetic: the start path's digests
 * without the JCA provider framework, whose first use costs a cold JVM tens of milliseconds
 * (issue 16). No allocation per block; not thread-safe (see {@link Sha256}).
 */
final class PureSha256 {
  private static final int[] K = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
  };

  private final int[] h = new int[8];
  private final int[] w = new int[64];
  private final byte[] block = new byte[64];
  private int buffered; // bytes of the current block in {@link #block}
  private long length; // bytes given since the last reset

  PureSha256() {
    reset();
  }

  void reset() {
    h[0] = 0x6a09e667;
    h[1] = 0xbb67ae85;
    h[2] = 0x3c6ef372;
    h[3] = 0xa54ff53a;
    h[4] = 0x510e527f;
    h[5] = 0x9b05688c;
    h[6] = 0x1f83d9ab;
    h[7] = 0x5be0cd19;
    buffered = 0;
    length = 0;
  }

  /** Takes {@code other}'s state: a keyed hash restarts from its key's block this way. */
  void copyFrom(PureSha256 other) {
    System.arraycopy(other.h, 0, h, 0, 8);
    System.arraycopy(other.block, 0, block, 0, other.buffered);
    buffered = other.buffered;
    length = other.length;
  }

  void update(byte[] in, int off, int len) {
    length += len;
    if (buffered > 0) {
      int n = Math.min(64 - buffered, len);
      System.arraycopy(in, off, block, buffered, n);
      buffered += n;
      off += n;
      len -= n;
      if (buffered < 64) {
        return;
      }
      compress(block, 0);
      buffered = 0;
    }
    for (; len >= 64; off += 64, len -= 64) {
      compress(in, off);
    }
    System.arraycopy(in, off, block, 0, len);
    buffered = len;
  }

  /** Pads, writes the 32-byte digest to {@code out} at {@code off}, and resets. */
  void digest(byte[] out, int off) {
    long bits = length << 3;
    block[buffered++] = (byte) 0x80;
    if (buffered > 56) {
      java.util.Arrays.fill(block, buffered, 64, (byte) 0);
      compress(block, 0);
      buffered = 0;
    }
    java.util.Arrays.fill(block, buffered, 56, (byte) 0);
    for (int i = 0; i < 8; i++) {
      block[56 + i] = (byte) (bits >>> (56 - 8 * i));
    }
    compress(block, 0);
    for (int i = 0; i < 8; i++) {
      int v = h[i];
      out[off + 4 * i] = (byte) (v >>> 24);
      out[off + 4 * i + 1] = (byte) (v >>> 16);
      out[off + 4 * i + 2] = (byte) (v >>> 8);
      out[off + 4 * i + 3] = (byte) v;
    }
    reset();
  }

  // The rotations are written out, not Integer.rotateRight: a start-up digests its first inputs
  // in the interpreter and in C1's profiled code, where each of the 576 rotations of a block was
  // a call (issue 16: the first digest of 80 KB in a fresh JVM, a 1k start tree's integrity
  // check, went from 4.1-4.3 to 2.8-3.1 ms; DigestBenchmark run cold, benchmarks/README run T);
  // C2 compiles both forms to the same rotate instructions.
  private void compress(byte[] in, int off) {
    int[] w = this.w;
    for (int i = 0; i < 16; i++, off += 4) {
      w[i] = (in[off] << 24) | ((in[off + 1] & 0xff) << 16) | ((in[off + 2] & 0xff) << 8)
          | (in[off + 3] & 0xff);
    }
    for (int i = 16; i < 64; i++) {
      int x = w[i - 15];
      int y = w[i - 2];
      int s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
      int s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
      w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    int a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
    for (int i = 0; i < 64; i++) {
      int t1 = hh + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21))
          ^ ((e >>> 25) | (e << 7))) + ((e & f) ^ (~e & g)) + K[i] + w[i];
      int t2 = (((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19))
          ^ ((a >>> 22) | (a << 10))) + ((a & b) ^ (a & c) ^ (b & c));
      hh = g;
      g = f;
      f = e;
      e = d + t1;
      d = c;
      c = b;
      b = a;
      a = t1 + t2;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
    h[5] += f;
    h[6] += g;
    h[7] += hh;
  }
}
