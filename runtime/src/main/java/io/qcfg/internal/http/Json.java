package io.qcfg.internal.http;

import java.util.Map;

/** The little JSON the endpoint writes: flat objects of strings, numbers, booleans and nulls. */
final class Json {
  private Json() {}

  static String write(Map<String, Object> m) {
    StringBuilder sb = new StringBuilder("{");
    for (Map.Entry<String, Object> e : m.entrySet()) {
      if (sb.length() > 1) {
        sb.append(',');
      }
      string(sb, e.getKey());
      sb.append(':');
      Object v = e.getValue();
      if (v == null || v instanceof Number || v instanceof Boolean) {
        sb.append(v);
      } else {
        string(sb, v.toString());
      }
    }
    return sb.append('}').toString();
  }

  private static void string(StringBuilder sb, String s) {
    io.qcfg.internal.text.JsonText.quote(sb, s);
  }
}
