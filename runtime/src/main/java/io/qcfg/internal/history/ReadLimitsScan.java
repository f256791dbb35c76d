package io.qcfg.internal.history;

import com.fasterxml.jackson.core.StreamReadConstraints;

/**
 * A one-pass character scan that proves a JSON text well inside the limits under which history
 * reads an entry back, without jackson-core (issue 16: the first start publishes before any of
 * it loads). It over-estimates every measure Jackson checks, so "within" is never wrong; when it
 * cannot prove it, {@link EntryTree} asks Jackson itself, which finds the path and the reason.
 *
 * <ul>
 *   <li>nesting: brackets outside strings, as Jackson counts them;
 *   <li>strings and keys: the raw characters between the quotes (an escape only shrinks them),
 *       against the smaller of the two limits;
 *   <li>numbers: the longest run of {@code -+.0-9eE} outside strings (a number is one such run);
 *   <li>a document or token count limit, if one is set, is not proven here.
 * </ul>
 *
 * <p>The text must be well-formed JSON holding one object (what {@code Canonical} renders): the
 * scan does not check the syntax, and anything else is left to Jackson.
 */
final class ReadLimitsScan {
  private ReadLimitsScan() {}

  /** Whether {@code json} certainly meets {@code limits}; false: ask Jackson. */
  static boolean within(String json, StreamReadConstraints limits) {
    if (limits.getMaxDocumentLength() > 0 || limits.getMaxTokenCount() > 0
        || json.isEmpty() || json.charAt(0) != '{') {
      return false;
    }
    int maxDepth = limits.getMaxNestingDepth();
    int maxText = Math.min(limits.getMaxStringLength(), limits.getMaxNameLength());
    int maxNumber = limits.getMaxNumberLength();
    int n = json.length();
    int depth = 0;
    int run = 0; // characters of the number-like run that ends here
    for (int i = 0; i < n; i++) {
      char c = json.charAt(i);
      if (c == '"') {
        int start = i + 1;
        i = closingQuote(json, start);
        if (i < 0 || i - start > maxText) {
          return false;
        }
        run = 0;
      } else if (c == '{' || c == '[') {
        if (++depth > maxDepth) {
          return false;
        }
        run = 0;
      } else if (c == '}' || c == ']') {
        if (--depth == 0 && i != n - 1) {
          return false; // something after the root: Jackson's to judge
        }
        run = 0;
      } else if ((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e'
          || c == 'E') {
        if (++run > maxNumber) {
          return false;
        }
      } else {
        run = 0;
      }
    }
    return depth == 0;
  }

  /** The index of the quote that ends the string starting at {@code from}; -1 if none. */
  private static int closingQuote(String json, int from) {
    int n = json.length();
    for (int i = from; i < n; i++) {
      char c = json.charAt(i);
      if (c == '\\') {
        i++; // the escaped character, whatever it is
      } else if (c == '"') {
        return i;
      }
    }
    return -1;
  }
}
