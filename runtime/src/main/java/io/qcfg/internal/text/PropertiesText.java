package io.qcfg.internal.text;

import java.util.Map;

/**
 * {@code .properties} text as {@link java.util.Properties#store(java.io.OutputStream, String)}
 * writes it, minus the date comment: {@code store} formats {@code new Date()}, which loads the
 * time-zone and locale-provider machinery (about 25 ms in a cold JVM, on qcfg's first start), and
 * {@code String.format} would load the formatter and regex. Output is ISO 8859-1 safe ASCII;
 * {@link java.util.Properties#load} reads back exactly the keys and values written
 * ({@code PropertiesTextTest} checks that on generated strings).
 */
public final class PropertiesText {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private PropertiesText() {}

  /**
   * {@code #comment} (when not null: one line of printable ASCII, written as is), then one {@code
   * key=value} line per entry, in order.
   */
  public static String render(String comment, Map<String, String> entries) {
    StringBuilder out = new StringBuilder();
    if (comment != null) {
      for (int i = 0; i < comment.length(); i++) { // loops, not streams: on the start path
        char c = comment.charAt(i);
        if (c < 0x20 || c > 0x7e) {
          throw new IllegalArgumentException("a comment is one line of printable ASCII");
        }
      }
      out.append('#').append(comment).append('\n');
    }
    for (Map.Entry<String, String> e : entries.entrySet()) {
      out.append(escape(e.getKey(), true)).append('=').append(escape(e.getValue(), false))
          .append('\n');
    }
    return out.toString();
  }

  /** Escapes as {@code Properties.store(OutputStream)} does (spaces everywhere in keys). */
  public static String escape(String s, boolean isKey) {
    StringBuilder out = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case ' ' -> out.append(i == 0 || isKey ? "\\ " : " ");
        case '\t' -> out.append("\\t");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\f' -> out.append("\\f");
        case '=', ':', '#', '!', '\\' -> out.append('\\').append(c);
        default -> {
          if (c < 0x20 || c > 0x7e) {
            out.append("\\u").append(HEX[(c >> 12) & 0xF]).append(HEX[(c >> 8) & 0xF])
                .append(HEX[(c >> 4) & 0xF]).append(HEX[c & 0xF]);
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }
}
