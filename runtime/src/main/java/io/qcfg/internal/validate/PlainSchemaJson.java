package io.qcfg.internal.validate;

import org.json.JSONArray;
import org.json.JSONObject;

/**
 * {@code schema.json} read into the very tree org.json's {@code JSONTokener} gives, without the
 * tokener, when the text is plain JSON (issue 16): the tokener reads one character at a time
 * through a {@code Reader} and keeps line and column counts, which cold (interpreted, at a first
 * start) took 88 ms for the 65 KB schema of 1,000 settings, on the critical path of the first
 * publish. Here a string without escapes is one {@code substring}, and every number and literal
 * is converted by org.json's own {@link JSONObject#stringToValue}, so each value has the class
 * and value the tokener gives it; objects and arrays are filled in document order by {@code put},
 * as the tokener fills them.
 *
 * <p>Plain means: an object at the top, then only whitespace; whitespace is space, tab, CR, LF;
 * keys and strings in double quotes, with no character below U+0020 and only JSON's escapes
 * (a backslash, {@code u} and four ASCII hex digits for a code unit); numbers as JSON writes
 * them; {@code true}, {@code false}, {@code null}; no key twice in an object; at most {@value #MAX_DEPTH} levels. Anything else
 * (org.json's leniencies, such as single quotes, unquoted words, {@code =}, {@code ;}, trailing
 * commas, and every error) gives null, and the caller reads the text with the tokener, which
 * then gives its own tree or its own error. {@code PlainSchemaJsonPropertiesTest} compares both
 * readings.
 */
final class PlainSchemaJson {
  static final int MAX_DEPTH = 200;

  // Thrown when the text leaves the plain subset; caught in read().
  private static final Declined DECLINED = Declined.INSTANCE;

  private final String s;
  private final int end;
  private int i;

  private PlainSchemaJson(String text) {
    this.s = text;
    this.end = text.length();
  }

  /** The tree of {@code text}, equal to the tokener's; null when the text is not plain JSON. */
  static JSONObject read(String text) {
    PlainSchemaJson p = new PlainSchemaJson(text);
    try {
      p.space();
      if (p.i >= p.end || text.charAt(p.i) != '{') {
        return null;
      }
      p.i++;
      JSONObject o = p.object(1);
      p.space();
      return p.i == p.end ? o : null;
    } catch (Declined e) {
      return null;
    }
  }

  private void space() {
    while (i < end) {
      char c = s.charAt(i);
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
        return;
      }
      i++;
    }
  }

  // After '{'.
  private JSONObject object(int depth) {
    JSONObject o = new JSONObject();
    if (empty('}')) {
      return o;
    }
    do {
      space();
      if (peek() != '"') {
        throw DECLINED;
      }
      i++;
      String key = string();
      space();
      if (peek() != ':') {
        throw DECLINED;
      }
      i++;
      if (o.has(key)) {
        throw DECLINED; // the tokener's error: "Duplicate key"
      }
      o.put(key, value(depth));
    } while (!closed('}'));
    return o;
  }

  // After '['.
  private JSONArray array(int depth) {
    JSONArray a = new JSONArray();
    if (empty(']')) {
      return a;
    }
    do {
      a.put(value(depth));
    } while (!closed(']'));
    return a;
  }

  // Right after the opening bracket: whether {@code close} follows at once (then consumed).
  private boolean empty(char close) {
    space();
    if (peek() == close) {
      i++;
      return true;
    }
    return false;
  }

  // After a member or an item: true at {@code close}, false after a comma (both consumed).
  private boolean closed(char close) {
    space();
    char c = peek();
    i++;
    if (c != close && c != ',') {
      throw DECLINED;
    }
    return c == close;
  }

  private Object value(int depth) {
    space();
    char c = peek();
    if (c == '{' || c == '[') {
      if (depth >= MAX_DEPTH) {
        throw DECLINED;
      }
      i++;
      return c == '{' ? object(depth + 1) : array(depth + 1);
    }
    if (c == '"') {
      i++;
      return string();
    }
    int start = i;
    if (c == 't' || c == 'f' || c == 'n') {
      while (i < end && s.charAt(i) >= 'a' && s.charAt(i) <= 'z') {
        i++;
      }
      String word = s.substring(start, i);
      if (!word.equals("true") && !word.equals("false") && !word.equals("null")) {
        throw DECLINED;
      }
    } else {
      number();
    }
    if (i < end) { // the tokener reads on to its own delimiters: "1x" is one string to it
      char next = s.charAt(i);
      if (next != ',' && next != '}' && next != ']' && next != ' ' && next != '\n'
          && next != '\r' && next != '\t') {
        throw DECLINED;
      }
    }
    return JSONObject.stringToValue(s.substring(start, i));
  }

  // -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
  private void number() {
    if (peek() == '-') {
      i++;
    }
    char c = peek();
    if (c == '0') {
      i++;
    } else if (c >= '1' && c <= '9') {
      digits();
    } else {
      throw DECLINED;
    }
    if (i < end && s.charAt(i) == '.') {
      i++;
      digits();
    }
    if (i < end && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
      i++;
      if (peek() == '+' || peek() == '-') {
        i++;
      }
      digits();
    }
  }

  // One digit or more.
  private void digits() {
    int start = i;
    while (i < end && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
      i++;
    }
    if (i == start) {
      throw DECLINED;
    }
  }

  // After the opening quote; ends after the closing one.
  private String string() {
    int start = i;
    while (i < end) {
      char c = s.charAt(i);
      if (c == '"') {
        return s.substring(start, i++);
      }
      if (c == '\\') {
        return escaped(start);
      }
      if (c < 0x20) {
        throw DECLINED;
      }
      i++;
    }
    throw DECLINED;
  }

  // The rest of a string from its first backslash at i.
  private String escaped(int start) {
    StringBuilder sb = new StringBuilder(i - start + 16).append(s, start, i);
    while (i < end) {
      char c = s.charAt(i++);
      if (c == '"') {
        return sb.toString();
      }
      if (c < 0x20) {
        throw DECLINED;
      }
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      char e = peek();
      i++;
      switch (e) {
        case '"', '\\', '/' -> sb.append(e);
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'n' -> sb.append('\n');
        case 'r' -> sb.append('\r');
        case 't' -> sb.append('\t');
        case 'u' -> sb.append(hex4());
        default -> throw DECLINED;
      }
    }
    throw DECLINED;
  }

  private char hex4() {
    if (i + 4 > end) {
      throw DECLINED;
    }
    int v = 0;
    for (int k = 0; k < 4; k++) {
      char c = s.charAt(i++);
      int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
          : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
      if (d < 0) {
        throw DECLINED;
      }
      v = v * 16 + d;
    }
    return (char) v;
  }

  private char peek() {
    if (i >= end) {
      throw DECLINED;
    }
    return s.charAt(i);
  }
}
