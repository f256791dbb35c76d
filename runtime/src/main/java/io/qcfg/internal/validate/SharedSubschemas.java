package io.qcfg.internal.validate;

import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import org.json.JSONArray;
import org.json.JSONObject;

/**
 * A cheaper document for everit to load (issue 16): a subschema that occurs several times, with
 * the same text, as the value of a {@code properties} entry or of {@code items}, is moved once
 * under the root key {@value #HOLDER} and every occurrence becomes a local {@code $ref} to it.
 * everit loads a referred schema once and shares it, so a configuration schema that repeats one
 * shape (a hundred identical sections) costs one load of that shape, not a hundred: everit's
 * loader spends about 0.5 ms per subschema while the JVM is cold.
 *
 * <p>Validation is unchanged: everit validates a {@code $ref} by validating its referred schema
 * at the same place in the document, so every failure keeps its pointer, keyword and message
 * ({@code SharedSubschemasTest} compares both loadings on generated documents and on the
 * JSON-Schema-Test-Suite). Only documents where moving a subschema cannot change its meaning are
 * rewritten: none with a {@code $ref}, {@code $id} or string {@code id} anywhere (a base URI or
 * a pointer that depends on where the subschema sits), none that already uses {@value #HOLDER}.
 * Only composite subschemas (with {@code properties} or {@code items}) are shared: a leaf is
 * cheaper to load than to look up.
 */
final class SharedSubschemas {
  static final String HOLDER = "x-qcfg-shared";

  private final Map<JSONObject, String> canonical = new IdentityHashMap<>();
  private final Map<String, Integer> numbers = new HashMap<>(); // identity text -> its number
  private final Map<String, Integer> counts = new HashMap<>();
  private final Map<String, String> refs = new HashMap<>();
  private final JSONObject shared = new JSONObject();

  private SharedSubschemas() {}

  /**
   * {@code raw} with every repeated composite subschema shared, or null when nothing repeats or
   * the document may not be rewritten. {@code raw} itself is not changed.
   */
  static JSONObject rewrite(Object raw) {
    if (!(raw instanceof JSONObject root) || root.has(HOLDER) || !movable(root)) {
      return null;
    }
    SharedSubschemas s = new SharedSubschemas();
    s.count(root);
    if (s.counts.values().stream().noneMatch(n -> n > 1)) {
      return null;
    }
    JSONObject out = s.copy(root);
    out.put(HOLDER, s.shared);
    return out;
  }

  /** False when the document has a key whose meaning depends on where it sits. */
  private static boolean movable(Object node) {
    if (node instanceof JSONObject o) {
      for (String key : o.keySet()) {
        Object v = o.get(key);
        if (key.equals("$ref") || key.equals("$id") || (key.equals("id") && v instanceof String)
            || !movable(v)) {
          return false;
        }
      }
    } else if (node instanceof JSONArray a) {
      for (Object v : a) {
        if (!movable(v)) {
          return false;
        }
      }
    }
    return true;
  }

  /** Counts the composite subschemas at property and item positions below {@code schema}. */
  private void count(JSONObject schema) {
    for (JSONObject child : children(schema).values()) {
      count(child); // first: the texts of its children are kept and reused in its own
      if (composite(child)) {
        counts.merge(text(child), 1, Integer::sum);
      }
    }
  }

  /** A copy of {@code schema} whose repeated children are references to their shared copy. */
  private JSONObject copy(JSONObject schema) {
    Map<String, JSONObject> kids = children(schema);
    if (kids.isEmpty()) {
      return schema;
    }
    JSONObject out = new JSONObject();
    for (String key : schema.keySet()) {
      out.put(key, schema.get(key));
    }
    if (schema.opt("items") instanceof JSONObject items) {
      out.put("items", replace(items));
    }
    if (schema.opt("properties") instanceof JSONObject props) {
      JSONObject p = new JSONObject();
      for (String key : props.keySet()) {
        Object v = props.get(key);
        p.put(key, v instanceof JSONObject o ? replace(o) : v);
      }
      out.put("properties", p);
    }
    return out;
  }

  private JSONObject replace(JSONObject child) {
    if (!composite(child) || counts.getOrDefault(text(child), 0) < 2) {
      return copy(child);
    }
    String ref = refs.get(text(child));
    if (ref == null) {
      String name = String.valueOf(refs.size()); // taken before copy() names its own
      ref = "#/" + HOLDER + "/" + name;
      refs.put(text(child), ref);
      shared.put(name, copy(child)); // may share subschemas of its own
    }
    return new JSONObject().put("$ref", ref);
  }

  /** The subschemas at property and item positions, by their key ({@code items}: "items"). */
  private static Map<String, JSONObject> children(JSONObject schema) {
    Map<String, JSONObject> out = new HashMap<>();
    if (schema.opt("items") instanceof JSONObject items) {
      out.put("\u0000items", items);
    }
    if (schema.opt("properties") instanceof JSONObject props) {
      for (String key : props.keySet()) {
        if (props.get(key) instanceof JSONObject o) {
          out.put(key, o);
        }
      }
    }
    return out;
  }

  private static boolean composite(JSONObject schema) {
    return schema.opt("properties") instanceof JSONObject || schema.opt("items") instanceof JSONObject;
  }

  /**
   * The subschema's identity by content: its own keys sorted, each with its value, every length
   * written before what it measures (so that no two contents give one text); an object value is
   * written as the number of its own identity (equal identities, equal contents all the way
   * down), any other value as its class and its text. Each value is written once, into the
   * identity of the object that holds it: neither the document's text (once per level of
   * nesting) nor org.json's quoting is made, which took most of the rewrite's time (issue 16).
   * Two numbers share only when class and text are equal, finer than the value.
   */
  private String text(JSONObject o) {
    String t = canonical.get(o);
    if (t == null) {
      StringBuilder sb = new StringBuilder();
      String[] keys = o.keySet().toArray(new String[0]);
      Arrays.sort(keys);
      sb.append('{').append(keys.length).append(':');
      for (String key : keys) {
        sb.append(key.length()).append(':').append(key);
        write(o.opt(key), sb);
      }
      t = sb.toString();
      canonical.put(o, t);
    }
    return t;
  }

  private void write(Object v, StringBuilder sb) {
    if (v instanceof JSONObject o) {
      sb.append('#').append(numbers.computeIfAbsent(text(o), k -> numbers.size())).append(',');
    } else if (v instanceof JSONArray a) {
      sb.append('[').append(a.length()).append(':');
      for (Object item : a) {
        write(item, sb);
      }
    } else if (v instanceof String str) {
      sb.append('s').append(str.length()).append(':').append(str);
    } else { // numbers, booleans, JSONObject.NULL
      String text = String.valueOf(v);
      sb.append('v').append(v == null ? "null" : v.getClass().getName()).append(' ')
          .append(text.length()).append(':').append(text);
    }
  }
}
