package io.qcfg.internal.audit;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

/**
 * Reads {@link AuditLine.Fields} without jackson-core when the text is plain: one JSON object,
 * no whitespace inside (a line end after it is allowed), whose values are integers from 0 to
 * {@link Long#MAX_VALUE}, strings without escapes, arrays of such strings, or objects of such
 * strings, every key once. That is what {@link io.qcfg.internal.text.PlainJsonObject} writes: the
 * start-up lines of a restart and every {@code audit.head}. Anything else, valid JSON or not, gives
 * null, and the caller parses with jackson-core, which decides (issue 16: on a fast restart the
 * parser's first load and first parse were 40-140 ms of CPU before the publish, the only use of
 * jackson-core on that path).
 *
 * <p>What it reads, it reads as jackson-core does; {@code PlainAuditLineTest} compares the two on
 * written lines and on their random edits.
 */
final class PlainAuditLine {
  /** The text is not plain: the caller parses it. Thrown without a stack trace. */
  private static final class NotPlain extends Exception {
    private static final long serialVersionUID = 1L;
    static final NotPlain INSTANCE = new NotPlain();

    private NotPlain() {
      super(null, null, false, false);
    }
  }

  private final String s;
  private int at;

  private PlainAuditLine(String s) {
    this.s = s;
  }

  /** Strict UTF-8; null when malformed. */
  private static String utf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  private static boolean ascii(byte[] bytes) {
    for (byte b : bytes) {
      if (b < 0) {
        return false;
      }
    }
    return true;
  }

  /** The fields of a plain line or head; null when it is not plain. */
  static AuditLine.Fields read(byte[] bytes) {
    // The usual line is ASCII: exact without a decoder, whose first use is cold (a restart reads
    // the audit log's end before its publish).
    String text = ascii(bytes) ? new String(bytes, StandardCharsets.ISO_8859_1) : utf8(bytes);
    if (text == null) {
      return null;
    }
    int end = text.length();
    if (end > 0 && text.charAt(end - 1) == '\n') {
      end--; // audit.head ends in a line end
    }
    try {
      return new PlainAuditLine(text.substring(0, end)).object();
    } catch (NotPlain e) {
      return null;
    }
  }

  private AuditLine.Fields object() throws NotPlain {
    AuditLine.Found f = new AuditLine.Found();
    expect('{');
    Set<String> keys = new HashSet<>();
    if (peek() == '}') {
      at++;
    } else {
      do {
        String key = key(keys);
        switch (key) {
          case "seq" -> f.seq = number();
          case "version" -> f.version = number();
          case "fromVersion" -> f.from = number();
          case "first" -> f.first = number();
          case "prev" -> f.prev = string();
          case "hash" -> f.hash = string();
          default -> skipValue();
        }
      } while (separator('}'));
    }
    if (at != s.length()) {
      throw NotPlain.INSTANCE;
    }
    return f.fields();
  }

  // A key not seen before in this object, and its colon.
  private String key(Set<String> seen) throws NotPlain {
    String key = string();
    if (!seen.add(key)) {
      throw NotPlain.INSTANCE; // jackson-core rejects a duplicate key: let it say so
    }
    expect(':');
    return key;
  }

  private void skipValue() throws NotPlain {
    char c = peek();
    if (c == '"') {
      string();
    } else if (c == '[') {
      at++;
      if (peek() == ']') {
        at++;
        return;
      }
      do {
        string();
      } while (separator(']'));
    } else if (c == '{') {
      at++;
      if (peek() == '}') {
        at++;
        return;
      }
      Set<String> keys = new HashSet<>();
      do {
        key(keys);
        string();
      } while (separator('}'));
    } else {
      number();
    }
  }

  // True after a ',', false after {@code close}.
  private boolean separator(char close) throws NotPlain {
    char c = peek();
    at++;
    if (c == ',') {
      return true;
    }
    if (c != close) {
      throw NotPlain.INSTANCE;
    }
    return false;
  }

  private String string() throws NotPlain {
    expect('"');
    int start = at;
    while (at < s.length()) {
      char c = s.charAt(at);
      if (c == '"') {
        return s.substring(start, at++);
      }
      if (c < 0x20 || c == '\\') {
        throw NotPlain.INSTANCE;
      }
      at++;
    }
    throw NotPlain.INSTANCE;
  }

  // 0, or digits without a leading zero, at most Long.MAX_VALUE; what follows must end it.
  private long number() throws NotPlain {
    int start = at;
    while (at < s.length() && s.charAt(at) >= '0' && s.charAt(at) <= '9') {
      at++;
    }
    int digits = at - start;
    if (digits == 0 || digits > 19 || (digits > 1 && s.charAt(start) == '0')) {
      throw NotPlain.INSTANCE;
    }
    char next = at < s.length() ? s.charAt(at) : '}';
    if (next != ',' && next != '}') {
      throw NotPlain.INSTANCE; // a fraction, an exponent, or anything else
    }
    try {
      return Long.parseLong(s, start, at, 10);
    } catch (NumberFormatException e) {
      throw NotPlain.INSTANCE; // beyond a long
    }
  }

  private char peek() throws NotPlain {
    if (at >= s.length()) {
      throw NotPlain.INSTANCE;
    }
    return s.charAt(at);
  }

  private void expect(char c) throws NotPlain {
    if (peek() != c) {
      throw NotPlain.INSTANCE;
    }
    at++;
  }
}
