package io.qcfg.internal.tree;

import com.typesafe.config.ConfigUtil;
import java.util.ArrayList;
import java.util.List;

/**
 * Path text: Typesafe path expressions ({@code a."b.c".d}, as {@link
 * com.typesafe.config.Config#entrySet()} renders them). In {@link #segments} (and {@link
 * Leaves#forEachLeaf}) a list element is one more segment, its 0-based index: {@code
 * servers.0.password}.
 */
public final class ConfigPaths {
  private ConfigPaths() {}

  /** One segment of a path; {@code quoted} tells {@code "*"} (a key) from {@code *}. */
  public record Segment(String text, boolean quoted) {}

  /** A key as a path element: quoted when it holds characters that paths give meaning to. */
  public static String quote(String key) {
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (!(c < 128 ? plain(c) : Character.isLetterOrDigit(c))) {
        return ConfigUtil.quoteString(key);
      }
    }
    return key.isEmpty() ? "\"\"" : key;
  }

  // An ASCII character a key may hold unquoted: what Character.isLetterOrDigit accepts below 128,
  // and - and _, without its table lookups (cold, per character of every key: issue 16).
  private static boolean plain(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
        || c == '_';
  }

  /**
   * Typesafe's mangling of environment variable names: {@code _} is {@code .}, {@code __} is
   * {@code -}, {@code ___} is {@code _}.
   */
  public static String unmangle(String name) {
    StringBuilder sb = new StringBuilder();
    int i = 0;
    while (i < name.length()) {
      char c = name.charAt(i);
      if (c != '_') {
        sb.append(c);
        i++;
        continue;
      }
      int run = 0;
      while (i < name.length() && name.charAt(i) == '_') {
        run++;
        i++;
      }
      while (run > 0) {
        if (run >= 3) {
          sb.append('_');
          run -= 3;
        } else if (run == 2) {
          sb.append('-');
          run = 0;
        } else {
          sb.append('.');
          run = 0;
        }
      }
    }
    return sb.toString();
  }

  /** {@code parent} plus one segment. */
  public static String child(String parent, String segment) {
    String quoted = ConfigUtil.joinPath(List.of(segment));
    return parent.isEmpty() ? quoted : parent + "." + quoted;
  }

  /** The segment texts of {@code path}; see {@link #segments}. */
  public static List<String> split(String path) {
    List<String> out = new ArrayList<>();
    for (Segment s : segments(path)) {
      out.add(s.text());
    }
    return out;
  }

  /**
   * Splits a path at dots outside quotes; a quoted segment is decoded as a JSON string. Never
   * throws: text that is not a valid path expression still splits somehow, which is enough for
   * deciding whether it is secret. {@code ""} has no segments.
   */
  public static List<Segment> segments(String path) {
    List<Segment> out = new ArrayList<>();
    if (path.isEmpty()) {
      return out;
    }
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    int i = 0;
    while (i < path.length()) {
      char c = path.charAt(i);
      if (c == '.') {
        out.add(new Segment(cur.toString(), quoted));
        cur.setLength(0);
        quoted = false;
        i++;
      } else if (c == '"') {
        quoted = true;
        i = readQuoted(path, i + 1, cur);
      } else {
        cur.append(c);
        i++;
      }
    }
    out.add(new Segment(cur.toString(), quoted));
    return out;
  }

  /** Appends the decoded quoted text starting at {@code i}; returns the index after the quote. */
  private static int readQuoted(String s, int i, StringBuilder cur) {
    while (i < s.length()) {
      char c = s.charAt(i++);
      if (c == '"') {
        return i;
      }
      if (c != '\\' || i >= s.length()) {
        cur.append(c);
        continue;
      }
      char e = s.charAt(i++);
      switch (e) {
        case 'n' -> cur.append('\n');
        case 't' -> cur.append('\t');
        case 'r' -> cur.append('\r');
        case 'b' -> cur.append('\b');
        case 'f' -> cur.append('\f');
        case 'u' -> {
          if (i + 4 <= s.length()) {
            try {
              cur.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
              i += 4;
            } catch (NumberFormatException ex) {
              cur.append('u');
            }
          } else {
            cur.append('u');
          }
        }
        default -> cur.append(e);
      }
    }
    return i;
  }
}
