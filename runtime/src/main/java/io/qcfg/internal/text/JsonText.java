package io.qcfg.internal.text;


/** JSON string literals for qcfg's hand-written JSON (log lines, the status endpoint). */
public final class JsonText {
  private JsonText() {}

  /**
   * Appends {@code s} as a JSON string. Besides what JSON requires, U+2028/U+2029 (line breaks to
   * JavaScript) and {@code < > &} (so the text is safe inside HTML) are written as {@code \\uXXXX}.
   */
  public static void quote(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x2028 || c == 0x2029 || c == '<' || c == '>' || c == '&') {
            sb.append("\\u").append(Digits.hex(c, 4)); // not String.format: cold (issue 16)
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }
}
