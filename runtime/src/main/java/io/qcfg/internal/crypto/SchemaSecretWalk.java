package io.qcfg.internal.crypto;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.json.JSONArray;
import org.json.JSONObject;

/**
 * {@link SecretPaths#schemaPatterns(String, String)} on the org.json tree that everit loads the
 * schema from anyway: the same walk, without parsing the text a second time with jackson-databind
 * (whose initialisation would sit on the start-up path, issue 16). {@code SchemaSecretWalkTest}
 * checks it against the Jackson walk.
 *
 * <p>Jackson's lenient readings are kept: {@code "x-secret": "true"} and a non-zero number count
 * as true, {@code elements()} of an object are its values, a {@code $ref} is a JSON pointer.
 */
public final class SchemaSecretWalk {
  private static final int MAX_SCHEMA_DEPTH = 64;
  private static final String ANY = SecretPaths.ANY;
  private static final String[] COMBINATORS = {"allOf", "anyOf", "oneOf"};

  private SchemaSecretWalk() {}

  /** The path patterns {@code root} marks secret (see {@link SecretPaths#schemaPatterns}). */
  public static List<String> patterns(Object root) {
    Set<String> out = new LinkedHashSet<>();
    walk(root, root, new ArrayDeque<>(), new ArrayDeque<>(), out);
    return List.copyOf(out);
  }

  private static void walk(Object root, Object node, Deque<String> segs, Deque<String> refs,
      Set<String> out) {
    if (!(node instanceof JSONObject o) || segs.size() + refs.size() > MAX_SCHEMA_DEPTH) {
      return;
    }
    if (truthy(o.opt("x-secret")) || truthy(o.opt("writeOnly"))) {
      out.add(SecretPaths.render(segs));
    }
    if (o.opt("$ref") instanceof String ref && ref.startsWith("#") && !refs.contains(ref)) {
      Object target = pointer(root, ref.substring(1));
      if (target != null) {
        refs.push(ref);
        walk(root, target, segs, refs, out);
        refs.pop();
      }
    }
    if (o.opt("properties") instanceof JSONObject props) {
      for (String name : props.keySet()) {
        walkChild(root, props.opt(name), name, segs, refs, out);
      }
    }
    eachElement(root, o.opt("patternProperties"), true, segs, refs, out);
    walkChild(root, o.opt("additionalProperties"), null, segs, refs, out);
    Object items = o.opt("items");
    if (items instanceof JSONArray) {
      eachElement(root, items, true, segs, refs, out);
    } else {
      walkChild(root, items, null, segs, refs, out);
    }
    walkChild(root, o.opt("additionalItems"), null, segs, refs, out);
    for (String combinator : COMBINATORS) {
      eachElement(root, o.opt(combinator), false, segs, refs, out);
    }
    walk(root, o.opt("then"), segs, refs, out);
    walk(root, o.opt("else"), segs, refs, out);
  }

  private static void walkChild(Object root, Object child, String name, Deque<String> segs,
      Deque<String> refs, Set<String> out) {
    if (!(child instanceof JSONObject)) {
      return;
    }
    segs.addLast(name == null ? ANY : "\u0000" + name); // as SecretPaths.walkChild
    walk(root, child, segs, refs, out);
    segs.removeLast();
  }

  /**
   * Jackson's {@code elements()} of {@code node} (an array's items, an object's values, else
   * nothing), each walked as a child (one segment down, any name) or in place. No list or
   * iterator is made: a 1,000-key schema's walk made thousands (issue 16).
   */
  private static void eachElement(Object root, Object node, boolean asChild, Deque<String> segs,
      Deque<String> refs, Set<String> out) {
    if (node instanceof JSONArray a) {
      for (int i = 0; i < a.length(); i++) {
        element(root, a.opt(i), asChild, segs, refs, out);
      }
    } else if (node instanceof JSONObject o) {
      for (String k : o.keySet()) {
        element(root, o.opt(k), asChild, segs, refs, out);
      }
    }
  }

  private static void element(Object root, Object c, boolean asChild, Deque<String> segs,
      Deque<String> refs, Set<String> out) {
    if (asChild) {
      walkChild(root, c, null, segs, refs, out);
    } else {
      walk(root, c, segs, refs, out);
    }
  }

  /** Jackson's {@code asBoolean(false)}. */
  private static boolean truthy(Object v) {
    if (v instanceof Boolean b) {
      return b;
    }
    if (v instanceof String s) {
      return s.trim().equals("true");
    }
    if (v instanceof Number n) {
      return n.doubleValue() != 0; // Jackson: integers and floats alike
    }
    return false;
  }

  /** A JSON pointer ({@code /definitions/a~1b}) resolved in {@code root}, or null. */
  private static Object pointer(Object root, String pointer) {
    if (pointer.isEmpty()) {
      return root;
    }
    if (!pointer.startsWith("/")) {
      return null;
    }
    Object at = root;
    for (String raw : pointer.substring(1).split("/", -1)) {
      String seg = raw.replace("~1", "/").replace("~0", "~");
      if (at instanceof JSONObject o) {
        at = o.opt(seg);
      } else if (at instanceof JSONArray a && seg.matches("0|[1-9][0-9]{0,8}")) {
        at = a.opt(Integer.parseInt(seg));
      } else {
        return null;
      }
      if (at == null) {
        return null;
      }
    }
    return at;
  }
}
