package io.qcfg.internal.snapshot;

import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigOriginFactory;

/**
 * The origins of a start tree's file, {@code file:line} by key, made on first use: shared by the
 * lazy values of one snapshot ({@link StartTreeValue}), which any reader thread may make.
 */
final class StartTreeOrigins {
  private final String[] files;
  private final java.util.concurrent.ConcurrentHashMap<Long, ConfigOrigin> made =
      new java.util.concurrent.ConcurrentHashMap<>();

  StartTreeOrigins(String[] files) {
    this.files = files;
  }

  long key(int file, int line) {
    if (file < 0 || file >= files.length) {
      throw new IllegalArgumentException("origin file");
    }
    return ((long) file << 32) | (line & 0xffffffffL);
  }

  ConfigOrigin get(long key) {
    return made.computeIfAbsent(key, k -> {
      ConfigOrigin o = ConfigOriginFactory.newSimple(files[(int) (k >>> 32)]);
      int line = (int) k.longValue();
      return line > 0 ? o.withLineNumber(line) : o;
    });
  }
}
