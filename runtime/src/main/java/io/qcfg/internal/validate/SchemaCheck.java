package io.qcfg.internal.validate;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.everit.json.schema.regexp.RE2JRegexpFactory;
import org.everit.json.schema.regexp.Regexp;
import org.json.JSONArray;
import org.json.JSONObject;

/**
 * A quick yes from the schema (issue 16): whether everit would report no failure for a tree,
 * answered without everit's schema objects. A first start with a 1,000-setting {@code
 * schema.json} spent about 90 ms of CPU building everit's schema and warming its validation, and
 * 20 ms more validating, on two cores that the parse, the JIT and the application share. This
 * answers the same question in one walk of plain fields.
 *
 * <p>Only a yes is trusted. {@link #accepts} false, or a document this class declines ({@link
 * #compile} null), sends the tree to everit as before, so every problem is still worded from
 * everit's own report; a tree this class accepts is one everit accepts. The document must be one
 * that everit's loader builds: {@link DirectSchemas}'s subset (draft-07; no {@code $ref}, no
 * combinators, no {@code format}), narrowed further. Declined here too: {@code type} lists,
 * {@code multipleOf}, {@code uniqueItems: true}, {@code enum} and {@code const} values that are
 * not strings or booleans, and negative sizes. Each keyword is checked as everit's validating
 * visitors check it (type checks, {@code NumberComparator}'s comparisons, lengths in code points,
 * RE2J's {@code find} through everit's own {@link Regexp}). {@code SchemaCheckTest} compares the
 * verdicts with everit's on the JSON-Schema-Test-Suite and on generated schemas and trees.
 *
 * <p>Immutable once compiled but for each pattern's remembered verdicts ({@link Pattern});
 * {@link #accepts} may run on any thread.
 */
public final class SchemaCheck {
  // One node per schema object. A keyword group (string, number, array, object) applies to a
  // value of its type; "required" groups (an explicit type) also refuse every other type.
  private static final int ANY = 0;
  private static final int STRING = 1;
  private static final int INTEGER = 2;
  private static final int NUMBER = 3;
  private static final int BOOLEAN = 4;
  private static final int NULL = 5;
  private static final int ARRAY = 6;
  private static final int OBJECT = 7;

  private static final class Node {
    boolean never; // the false schema
    int type = ANY; // what "type" requires
    List<Object> oneOf; // enum (or const): strings and booleans, compared with equals
    boolean strings;
    int minLength = -1;
    int maxLength = -1;
    Pattern pattern;
    boolean numbers;
    Number minimum;
    Number maximum;
    Number exclusiveMinimum;
    Number exclusiveMaximum;
    boolean arrays;
    int minItems = -1;
    int maxItems = -1;
    Node items;
    boolean objects;
    int minProperties = -1;
    int maxProperties = -1;
    Map<String, Node> properties;
    String[] required;
    boolean noAdditional;
    Node additional;
  }

  private static final Node ALWAYS = new Node();
  private static final Node NEVER = new Node();

  static {
    NEVER.never = true;
  }

  // Thrown where everit alone must answer; caught in compile().
  private static final Declined DECLINE = Declined.INSTANCE;

  private final Node root;
  private final RE2JRegexpFactory regexps = new RE2JRegexpFactory();
  private final Map<String, Pattern> patterns = new HashMap<>(); // while compiling only

  private SchemaCheck(Object raw) {
    this.root = node(raw, true);
  }

  /** The check of {@code raw} (the parsed {@code schema.json}), or null: everit's alone. */
  public static SchemaCheck compile(Object raw) {
    try {
      if (raw instanceof JSONObject o && !DirectSchemas.draft7(o.opt("$schema"))) {
        return null;
      }
      return new SchemaCheck(raw);
    } catch (RuntimeException e) {
      return null; // declined, or RE2J refuses a pattern (the loader reports it)
    }
  }

  /**
   * True only when everit would find no failure in {@code json} (an org.json tree: objects,
   * arrays, strings, booleans, numbers, {@code JSONObject.NULL}). False says nothing: ask everit.
   */
  public boolean accepts(Object json) {
    try {
      return accepts(root, json);
    } catch (RuntimeException e) {
      return false; // a value everit's comparison would trip on too: everit reports it
    }
  }

  private static boolean accepts(Node n, Object v) {
    if (n.never) {
      return false;
    }
    if (n.oneOf != null && (v == null || !n.oneOf.contains(v))) {
      return false;
    }
    boolean isNull = v == null || v == JSONObject.NULL;
    switch (n.type) {
      case BOOLEAN:
        if (!(v instanceof Boolean)) {
          return false;
        }
        break;
      case NULL:
        if (!isNull) {
          return false;
        }
        break;
      case ANY:
        break;
      default:
        if (isNull || kind(v) != (n.type == INTEGER ? NUMBER : n.type)
            || (n.type == INTEGER && !integral(v))) {
          return false;
        }
    }
    if (isNull) {
      return true; // a group applies to its own type only
    }
    if (n.strings && v instanceof String s && !string(n, s)) {
      return false;
    }
    if (n.numbers && v instanceof Number x && !number(n, x)) {
      return false;
    }
    if (n.arrays && v instanceof JSONArray a && !array(n, a)) {
      return false;
    }
    return !n.objects || !(v instanceof JSONObject o) || object(n, o);
  }

  private static int kind(Object v) {
    if (v instanceof String) {
      return STRING;
    }
    if (v instanceof Number) {
      return NUMBER;
    }
    if (v instanceof JSONArray) {
      return ARRAY;
    }
    if (v instanceof JSONObject) {
      return OBJECT;
    }
    return ANY;
  }

  /** everit's {@code TypeChecker} for {@code integer}: the integral classes, whatever the value. */
  private static boolean integral(Object v) {
    return v instanceof Integer || v instanceof Long || v instanceof BigInteger
        || v instanceof java.util.concurrent.atomic.AtomicInteger
        || v instanceof java.util.concurrent.atomic.AtomicLong;
  }

  private static boolean string(Node n, String s) {
    if (n.minLength >= 0 || n.maxLength >= 0) {
      int length = s.codePointCount(0, s.length());
      if (length < n.minLength || (n.maxLength >= 0 && length > n.maxLength)) {
        return false;
      }
    }
    return n.pattern == null || n.pattern.matches(s);
  }

  private static boolean number(Node n, Number x) {
    return (n.minimum == null || compare(x, n.minimum) >= 0)
        && (n.maximum == null || compare(n.maximum, x) >= 0)
        && (n.exclusiveMinimum == null || compare(x, n.exclusiveMinimum) > 0)
        && (n.exclusiveMaximum == null || compare(x, n.exclusiveMaximum) < 0);
  }

  /** everit's {@code NumberComparator.compare}; two integers of at most 64 bits without it. */
  private static int compare(Number a, Number b) {
    if ((a instanceof Integer || a instanceof Long) && (b instanceof Integer || b instanceof Long)) {
      return Long.compare(a.longValue(), b.longValue());
    }
    return decimal(a).compareTo(decimal(b));
  }

  private static BigDecimal decimal(Number n) {
    if (n instanceof BigDecimal d) {
      return d;
    }
    if (n instanceof BigInteger i) {
      return new BigDecimal(i);
    }
    if (n instanceof Integer || n instanceof Long) {
      return new BigDecimal(n.longValue());
    }
    return BigDecimal.valueOf(n.doubleValue()); // throws for NaN and infinities, as everit's
  }

  private static boolean array(Node n, JSONArray a) {
    int size = a.length();
    if (size < n.minItems || (n.maxItems >= 0 && size > n.maxItems)) {
      return false;
    }
    if (n.items != null) {
      for (int i = 0; i < size; i++) {
        if (!accepts(n.items, a.get(i))) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean object(Node n, JSONObject o) {
    int size = o.length();
    if (size < n.minProperties || (n.maxProperties >= 0 && size > n.maxProperties)) {
      return false;
    }
    if (n.required != null) {
      for (String name : n.required) {
        if (!o.has(name)) {
          return false;
        }
      }
    }
    Map<String, Node> declared = n.properties == null ? Map.of() : n.properties;
    if (n.noAdditional || n.additional != null || !declared.isEmpty()) {
      for (String key : o.keySet()) {
        Node p = declared.get(key);
        if (p == null) {
          if (n.noAdditional || (n.additional != null && !accepts(n.additional, o.get(key)))) {
            return false;
          }
        } else if (!accepts(p, o.get(key))) {
          return false;
        }
      }
    }
    return true;
  }

  // ---- compiling: DirectSchemas.load's steps, narrowed (every decline leaves it to everit).
  // One look at each keyword of a schema object (a 1,000-setting schema has about 1,300 of
  // them): a probe per known keyword made JSONObject.opt hot enough for C2 at a first start.

  private Node node(Object json, boolean root) {
    if (json instanceof Boolean b) {
      return b ? ALWAYS : NEVER;
    }
    if (!(json instanceof JSONObject o)) {
      throw DECLINE;
    }
    Node n = new Node();
    Object enumValues = null;
    Object constValue = null;
    Object type = null;
    Object items = null;
    Object properties = null;
    Object additional = null;
    Object required = null;
    // A keyword group (string, number, array, object) applies when one of its keywords is
    // present (implied: to values of its type) or its type is named (required).
    boolean strings = false;
    boolean numbers = false;
    boolean arrays = false;
    boolean objects = false;
    for (String key : o.keySet()) {
      Object v = o.opt(key);
      switch (key) {
        case "enum" -> enumValues = v;
        case "const" -> constValue = v;
        case "type" -> type = v;
        case "minLength" -> {
          strings = true;
          n.minLength = size(v);
        }
        case "maxLength" -> {
          strings = true;
          n.maxLength = size(v);
        }
        case "pattern" -> {
          strings = true;
          n.pattern = pattern(as(String.class, v));
        }
        case "minimum" -> {
          numbers = true;
          n.minimum = limit(v);
        }
        case "maximum" -> {
          numbers = true;
          n.maximum = limit(v);
        }
        case "exclusiveMinimum" -> {
          numbers = true;
          n.exclusiveMinimum = limit(v);
        }
        case "exclusiveMaximum" -> {
          numbers = true;
          n.exclusiveMaximum = limit(v);
        }
        case "minItems" -> {
          arrays = true;
          n.minItems = size(v);
        }
        case "maxItems" -> {
          arrays = true;
          n.maxItems = size(v);
        }
        case "uniqueItems" -> {
          arrays = true;
          if (as(Boolean.class, v)) {
            throw DECLINE;
          }
        }
        case "items" -> {
          arrays = true;
          items = v;
        }
        case "minProperties" -> {
          objects = true;
          n.minProperties = size(v);
        }
        case "maxProperties" -> {
          objects = true;
          n.maxProperties = size(v);
        }
        case "properties" -> {
          objects = true;
          properties = v;
        }
        case "additionalProperties" -> {
          objects = true;
          additional = v;
        }
        case "required" -> {
          objects = true;
          required = v;
        }
        // kept by everit without validating by them; the loader refuses other types
        case "$id" -> {
          if (!root) {
            throw DECLINE; // DirectSchemas' rule: a base for $refs below the root
          }
          as(String.class, v);
        }
        case "title", "description" -> as(String.class, v);
        case "readOnly", "writeOnly" -> as(Boolean.class, v);
        case "multipleOf" -> throw DECLINE;
        default -> {
          if (DirectSchemas.DECLINED.contains(key)) {
            throw DECLINE; // $ref, combinators, format, patternProperties, ...
          }
        }
      }
    }
    if (enumValues != null) {
      n.oneOf = new ArrayList<>();
      for (Object item : as(JSONArray.class, enumValues)) {
        n.oneOf.add(plain(item));
      }
    }
    if (constValue != null) {
      Object permitted = plain(constValue);
      // both must hold: the one value, if the enum has it too
      n.oneOf = n.oneOf == null || n.oneOf.contains(permitted) ? List.of(permitted) : List.of();
    }
    if (type != null) {
      switch (as(String.class, type)) { // a list of types: declined
        case "string" -> {
          n.type = STRING;
          strings = true;
        }
        case "integer" -> {
          n.type = INTEGER;
          numbers = true;
        }
        case "number" -> {
          n.type = NUMBER;
          numbers = true;
        }
        case "boolean" -> n.type = BOOLEAN;
        case "null" -> n.type = NULL;
        case "array" -> {
          n.type = ARRAY;
          arrays = true;
        }
        case "object" -> {
          n.type = OBJECT;
          objects = true;
        }
        default -> throw DECLINE;
      }
    }
    n.strings = strings;
    n.numbers = numbers;
    n.arrays = arrays;
    n.objects = objects;
    if (items != null) {
      if (!(items instanceof JSONObject) && !(items instanceof Boolean)) {
        throw DECLINE; // a tuple
      }
      n.items = node(items, false);
    }
    if (properties != null) {
      if (!(properties instanceof JSONObject props)) {
        throw DECLINE;
      }
      n.properties = new HashMap<>(props.length() * 2);
      for (String key : props.keySet()) {
        n.properties.put(key, node(props.opt(key), false));
      }
    }
    if (additional != null) {
      if (additional instanceof Boolean allowed) {
        n.noAdditional = !allowed;
      } else if (additional instanceof JSONObject) {
        n.additional = node(additional, false);
      } else {
        throw DECLINE;
      }
    }
    if (required != null) {
      JSONArray names = as(JSONArray.class, required);
      n.required = new String[names.length()];
      for (int i = 0; i < names.length(); i++) {
        n.required[i] = as(String.class, names.get(i));
      }
    }
    return n;
  }

  /** An {@code enum} or {@code const} value this class compares: a string or a boolean. */
  private static Object plain(Object v) {
    if (v instanceof String || v instanceof Boolean) {
      return v;
    }
    throw DECLINE;
  }

  /** One compiled pattern per text: a configuration schema repeats a few patterns many times. */
  private Pattern pattern(String text) {
    Pattern compiled = patterns.get(text);
    if (compiled == null) {
      compiled = new Pattern(regexps.createHandler(text));
      patterns.put(text, compiled);
    }
    return compiled;
  }

  /**
   * A compiled pattern and the verdicts it gave: a configuration repeats a few values under one
   * pattern ({@code timeout = 30s} in every section), and a cold RE2J match costs tens of
   * microseconds on the first start's critical path (issue 16). A verdict is a pure function of
   * the pattern and the text, so a remembered one is the same answer. Bounded: about {@link
   * #REMEMBERED} texts (threads that check at once may each add one more) of at most {@link
   * #REMEMBERED_LENGTH} characters each. The texts are configuration values, held here as the
   * snapshots and the redactor hold them; nothing prints them. Thread-safe.
   */
  static final class Pattern {
    static final int REMEMBERED = 1_024;
    static final int REMEMBERED_LENGTH = 128;

    private final Regexp regexp;
    private final java.util.concurrent.ConcurrentHashMap<String, Boolean> verdicts =
        new java.util.concurrent.ConcurrentHashMap<>();

    Pattern(Regexp regexp) {
      this.regexp = regexp;
    }

    /** Whether everit's pattern check finds {@code text} (RE2J's {@code find}). */
    boolean matches(String text) {
      Boolean known = verdicts.get(text);
      if (known != null) {
        return known;
      }
      boolean matches = regexp.patternMatchingFailure(text).isEmpty();
      if (text.length() <= REMEMBERED_LENGTH && verdicts.size() < REMEMBERED) {
        verdicts.put(text, matches);
      }
      return matches;
    }

    int remembered() {
      return verdicts.size();
    }
  }

  /** A number keyword's limit; declined unless a number everit can compare. */
  private static Number limit(Object v) {
    Number limit = as(Number.class, v);
    decimal(limit); // throws for what everit's comparison would throw for
    return limit;
  }

  /** A size keyword; declined unless a non-negative {@code Integer}. */
  private static int size(Object v) {
    int size = as(Integer.class, v);
    if (size < 0) {
      throw DECLINE;
    }
    return size;
  }

  private static <T> T as(Class<T> type, Object v) {
    if (type.isInstance(v)) {
      return type.cast(v);
    }
    throw DECLINE;
  }
}
