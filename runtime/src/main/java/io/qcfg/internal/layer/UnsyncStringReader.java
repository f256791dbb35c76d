package io.qcfg.internal.layer;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import java.io.Reader;

/**
 * A {@link Reader} over a string without {@link java.io.StringReader}'s lock, for Typesafe's
 * tokenizer, which asks its reader for one character at a time (issue 19: a layer file of 10,000
 * settings is 260,000 calls, each taking and releasing {@code StringReader}'s monitor). Typesafe
 * parses it as it parses a string: the origin description comes from the options in both cases.
 *
 * <p>Not thread-safe: one parse owns it. Public for the benchmarks ({@code LayerParseBenchmark}).
 */
public final class UnsyncStringReader extends Reader {
  private final String text;
  private int next;

  UnsyncStringReader(String text) {
    this.text = text;
  }

  /** {@code ConfigFactory.parseString(text, options)}, read through this class. */
  public static Config parse(String text, ConfigParseOptions options) {
    return ConfigFactory.parseReader(new UnsyncStringReader(text), options);
  }

  @Override
  public int read() {
    return next < text.length() ? text.charAt(next++) : -1;
  }

  @Override
  public int read(char[] into, int off, int len) {
    java.util.Objects.checkFromIndexSize(off, len, into.length);
    if (len == 0) {
      return 0;
    }
    if (next >= text.length()) {
      return -1;
    }
    int n = Math.min(len, text.length() - next);
    text.getChars(next, next + n, into, off);
    next += n;
    return n;
  }

  @Override
  public void close() {
    // nothing held
  }
}
