package io.qcfg.internal.template;

import java.io.Writer;

/**
 * Collects rendered text and throws as soon as it would grow past a fixed number of characters, so
 * that a runaway loop ends at the bound instead of filling the heap. Not thread-safe: one render
 * writes to one instance.
 */
final class BoundedWriter extends Writer {
  private final StringBuilder text = new StringBuilder();
  private final int maxChars;
  private boolean exceeded;

  BoundedWriter(int maxChars) {
    this.maxChars = maxChars;
  }

  @Override
  public void write(char[] cbuf, int off, int len) {
    reserve(len);
    text.append(cbuf, off, len);
  }

  @Override
  public void write(String str, int off, int len) {
    reserve(len);
    text.append(str, off, off + len);
  }

  @Override
  public void write(int c) {
    reserve(1);
    text.append((char) c);
  }

  private void reserve(int len) {
    if (len > maxChars - text.length()) {
      exceeded = true;
      // Pebble may wrap this; the sandbox checks exceeded() first, whatever arrives.
      throw new TemplateFault(
          TemplateSandbox.ID_OUTPUT_TOO_LARGE,
          "output is larger than " + maxChars + " characters; a loop that never ends?");
    }
  }

  /** Whether a write was refused: the render must be reported as over the bound. */
  boolean exceeded() {
    return exceeded;
  }

  @Override
  public void flush() {}

  @Override
  public void close() {}

  @Override
  public String toString() {
    return text.toString();
  }
}
