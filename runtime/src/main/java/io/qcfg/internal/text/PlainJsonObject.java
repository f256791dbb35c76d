package io.qcfg.internal.text;

import java.nio.charset.StandardCharsets;

/**
 * One compact JSON object whose strings need no escaping, written byte for byte as jackson-core's
 * UTF-8 generator writes the same calls, without jackson-core: history entries and audit lines of
 * a first start are written with it, so that the start (and a short-lived JVM's exit, which waits
 * for them) loads none of jackson-core (issue 16). A string is plain when every character is
 * printable ASCII other than {@code "} and {@code \}, or a non-ASCII character that is not a
 * surrogate (written as UTF-8, as the generator does). When any string is not plain, {@link
 * #bytes()} is null and the caller writes the object with the generator, which escapes.
 *
 * <p>Field names are the caller's constants and must be plain themselves.
 */
public final class PlainJsonObject {
  private final StringBuilder sb = new StringBuilder(256);
  private boolean plain = true;
  private boolean empty = true; // no member yet at the current level

  public PlainJsonObject() {
    sb.append('{');
  }

  /** Whether the generator would write {@code s} between its quotes unchanged. */
  public static boolean plain(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == '"' || c == '\\' || (c >= 0x7f && c < 0xa0)
          || Character.isSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  public PlainJsonObject field(String name, String value) {
    name(name);
    string(value);
    return this;
  }

  public PlainJsonObject field(String name, long value) {
    name(name).append(value);
    return this;
  }

  public PlainJsonObject field(String name, boolean value) {
    name(name).append(value);
    return this;
  }

  /** A field whose value is an array of strings. */
  public PlainJsonObject field(String name, Iterable<String> values) {
    name(name).append('[');
    boolean first = true;
    for (String v : values) {
      if (!first) {
        sb.append(',');
      }
      first = false;
      string(v);
    }
    sb.append(']');
    return this;
  }

  /** A field whose value is an object of string fields, in the map's order. */
  public PlainJsonObject field(String name, java.util.Map<String, String> values) {
    name(name).append('{');
    boolean first = true;
    for (var e : values.entrySet()) {
      if (!first) {
        sb.append(',');
      }
      first = false;
      string(e.getKey());
      sb.append(':');
      string(e.getValue());
    }
    sb.append('}');
    return this;
  }

  /** A field whose value is {@code json}, written as it is (the caller vouches for it). */
  public PlainJsonObject rawField(String name, String json) {
    name(name).append(json);
    return this;
  }

  /** The object's UTF-8 bytes, or null when a string was not plain. */
  public byte[] bytes() {
    return plain ? (sb + "}").getBytes(StandardCharsets.UTF_8) : null;
  }

  private StringBuilder name(String name) {
    if (!empty) {
      sb.append(',');
    }
    empty = false;
    return sb.append('"').append(name).append("\":");
  }

  private void string(String s) {
    plain &= s != null && plain(s);
    sb.append('"').append(s).append('"');
  }
}
