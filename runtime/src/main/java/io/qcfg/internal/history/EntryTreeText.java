package io.qcfg.internal.history;

import java.math.BigDecimal;

/**
 * Whether a tree's JSON text is already, character for character, what {@link EntryJson#copied}
 * would write for it, so that a history entry embeds it as it is: a first start's entry then
 * tokenizes and regenerates no tree (its exit waits for that write; issue 16). It is when the
 * text is compact and has no escape, no surrogate and no number that the copy would spell
 * otherwise: integers in their shortest form (not {@code -0}), other numbers as {@link
 * BigDecimal#toString()} spells them ({@code 1.50}, not {@code 1e3}). Anything else is copied.
 *
 * <p>The text must be one well-formed JSON value, as a history tree always is (Typesafe's JSON
 * rendering of a resolved tree, or text Jackson has read); this class does not check the syntax.
 */
final class EntryTreeText {
  private EntryTreeText() {}

  static boolean unchanged(String json) {
    int n = json.length();
    int i = 0;
    while (i < n) {
      char c = json.charAt(i);
      if (c == '"') {
        i = stringEnd(json, i + 1);
        if (i < 0) {
          return false;
        }
      } else if (c == '-' || (c >= '0' && c <= '9')) {
        int end = i;
        while (end < n && numberChar(json.charAt(end))) {
          end++;
        }
        if (!sameNumber(json.substring(i, end))) {
          return false;
        }
        i = end;
      } else if (c == 't' || c == 'f' || c == 'n') {
        String literal = c == 't' ? "true" : c == 'f' ? "false" : "null";
        if (!json.startsWith(literal, i)) {
          return false;
        }
        i += literal.length();
      } else if (c == '{' || c == '}' || c == '[' || c == ']' || c == ',' || c == ':') {
        i++;
      } else {
        return false; // whitespace, which the copy drops, or not JSON
      }
    }
    return n > 0;
  }

  /** The index after the closing quote; -1 when the string has an escape or a surrogate. */
  private static int stringEnd(String json, int from) {
    for (int i = from; i < json.length(); i++) {
      char c = json.charAt(i);
      if (c == '"') {
        return i + 1;
      }
      if (c == '\\' || c < 0x20 || Character.isSurrogate(c)) {
        return -1; // the copy's escaping decides these
      }
    }
    return -1;
  }

  private static boolean numberChar(char c) {
    return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
  }

  // Whether the copy writes the number as this very text.
  private static boolean sameNumber(String text) {
    boolean integer = true;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!(c >= '0' && c <= '9') && !(c == '-' && i == 0)) {
        integer = false;
      }
    }
    if (integer) { // the copy writes its value: the same digits when shortest
      String digits = text.startsWith("-") ? text.substring(1) : text;
      return !digits.isEmpty() && (digits.equals("0") ? text.equals("0") : digits.charAt(0) != '0');
    }
    try {
      return new BigDecimal(text).toString().equals(text);
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
