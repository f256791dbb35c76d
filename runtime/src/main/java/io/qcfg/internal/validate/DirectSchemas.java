package io.qcfg.internal.validate;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.everit.json.schema.ArraySchema;
import org.everit.json.schema.BooleanSchema;
import org.everit.json.schema.CombinedSchema;
import org.everit.json.schema.ConstSchema;
import org.everit.json.schema.EmptySchema;
import org.everit.json.schema.EnumSchema;
import org.everit.json.schema.FalseSchema;
import org.everit.json.schema.NullSchema;
import org.everit.json.schema.NumberSchema;
import org.everit.json.schema.ObjectSchema;
import org.everit.json.schema.Schema;
import org.everit.json.schema.SchemaLocation;
import org.everit.json.schema.StringSchema;
import org.everit.json.schema.TrueSchema;
import org.everit.json.schema.regexp.RE2JRegexpFactory;
import org.everit.json.schema.regexp.Regexp;
import org.json.JSONArray;
import org.json.JSONObject;

/**
 * everit's own {@link Schema} objects built straight from the org.json document, without
 * everit's {@code SchemaLoader} (issue 16): the loader's cold code (its JSON wrappers, pointers,
 * keyword extractors and their lambdas, ~130 classes) took 160 ms of a first start with a
 * 1,000-setting schema, on the critical path of the first publish. everit stays the engine that
 * validates; only its loader is skipped, as {@code PlainHocon} skips Typesafe's parser.
 *
 * <p>Each schema object is the one the loader builds (draft-07, no defaults, no {@code
 * nullable}, RE2J patterns, as {@link SchemaValidator#loadEverit} configures it): the same
 * classes, keyword values, schema locations, titles, descriptions, {@code readOnly}/{@code
 * writeOnly} and unprocessed keywords (such as {@code x-secret} or {@code default}), the keyword
 * groups of one object in the same synthetic {@code allOf}. The steps below follow the loader's
 * extractors in their order: {@code enum}, {@code const}, {@code type}, then keywords that imply
 * a type, then the common keywords; a keyword is read by the first step that takes it.
 *
 * <p>A document with a keyword this class does not build ({@link #DECLINED}, {@code $ref} in a
 * schema, {@code $id} in a schema below the root, a {@code $schema} of another draft, a tuple
 * {@code items}, or two keyword groups of one object whose order everit leaves to identity
 * hashes) or a keyword value the loader would refuse gives null: the caller loads it with
 * everit's loader, whose errors keep their wording. {@code DirectSchemasTest} compares both on
 * the JSON-Schema-Test-Suite, the repository's schemas and generated schemas.
 */
final class DirectSchemas {
  /** Keywords of draft-07 built only by everit's loader. */
  static final Set<String> DECLINED = Set.of("$ref", "$id", "allOf", "anyOf", "oneOf", "not",
      "if", "then", "else", "dependencies", "patternProperties", "propertyNames", "additionalItems",
      "contains", "format");

  private static final List<String> ARRAY = List.of("items", "additionalItems", "minItems",
      "maxItems", "uniqueItems", "contains");
  private static final List<String> OBJECT = List.of("properties", "required", "minProperties",
      "maxProperties", "dependencies", "patternProperties", "additionalProperties",
      "propertyNames");
  private static final List<String> NUMBER = List.of("minimum", "maximum", "exclusiveMinimum",
      "exclusiveMaximum", "multipleOf");
  private static final List<String> STRING = List.of("minLength", "maxLength", "pattern",
      "format");

  // Thrown where the loader would do something this class does not; caught in build().
  private static final Declined DECLINE = Declined.INSTANCE;
  private static final SchemaLocation ROOT = new Location(List.of(), "#");

  private final RE2JRegexpFactory regexps = new RE2JRegexpFactory();
  // One compiled pattern per text: a configuration schema repeats a few patterns many times.
  private final Map<String, Regexp> patterns = new HashMap<>();

  private DirectSchemas() {}

  /** The schema everit's loader would build from {@code raw}, or null (declined). */
  static Schema build(Object raw) {
    try {
      if (raw instanceof JSONObject root && !draft7(root.opt("$schema"))) {
        return null;
      }
      return new DirectSchemas().load(raw, ROOT);
    } catch (RuntimeException e) {
      return null; // declined, or RE2J refuses a pattern: the loader reports it
    }
  }

  /**
   * Whether the loader reads the document as draft-07: no {@code $schema}, or draft-07's (the
   * loader's {@code SpecificationVersion} prefixes). Any other is left to the loader, which knows
   * the other drafts; asking its {@code SpecificationVersion} would load its format validators.
   */
  static boolean draft7(Object schemaKeyword) {
    return schemaKeyword == null || (schemaKeyword instanceof String url
        && (url.startsWith("http://json-schema.org/draft-07/schema")
            || url.startsWith("https://json-schema.org/draft-07/schema")));
  }

  private Schema load(Object json, SchemaLocation location) {
    if (json instanceof Boolean b) {
      return b ? TrueSchema.builder().build() : FalseSchema.builder().build();
    }
    if (!(json instanceof JSONObject o)) {
      throw DECLINE;
    }
    for (String key : o.keySet()) {
      // $ref and $id only where the loader reads them, in a schema it builds: in an unprocessed
      // value (definitions, default) they are data to it
      if (DECLINED.contains(key) && !(key.equals("$id") && location.equals(ROOT))) {
        throw DECLINE;
      }
    }
    Set<String> consumed = new HashSet<>();
    List<Schema.Builder<?>> builders = new ArrayList<>(1);
    if (o.has("enum")) {
      List<Object> values = new ArrayList<>();
      for (Object item : as(JSONArray.class, o.get("enum"))) {
        values.add(convert(item));
      }
      builders.add(EnumSchema.builder().possibleValues(values));
      consumed.add("enum");
    }
    if (o.has("const")) {
      builders.add(ConstSchema.builder().permittedValue(convert(o.get("const"))));
      consumed.add("const");
    }
    if (o.has("type")) {
      builders.add(typed(o, location, consumed));
      consumed.add("type");
    }
    implied(o, location, consumed, builders);
    Schema.Builder<?> schema = combine(builders);
    common(o, consumed, schema);
    Map<String, Object> unprocessed = new HashMap<>();
    for (String key : o.keySet()) {
      if (!consumed.contains(key)) {
        unprocessed.put(key, convert(o.get(key)));
      }
    }
    schema.unprocessedProperties(unprocessed);
    schema.schemaLocation(location);
    return schema.build();
  }

  private Schema.Builder<?> typed(JSONObject o, SchemaLocation location, Set<String> consumed) {
    Object type = o.get("type");
    if (type instanceof String name) {
      return explicit(name, o, location, consumed);
    }
    List<Schema> each = new ArrayList<>();
    for (Object name : as(JSONArray.class, type)) {
      if (!(name instanceof String s)) {
        throw DECLINE;
      }
      each.add(explicit(s, o, location, consumed).build());
    }
    return CombinedSchema.anyOf(each);
  }

  private Schema.Builder<?> explicit(String type, JSONObject o, SchemaLocation location,
      Set<String> consumed) {
    switch (type) {
      case "string":
        return string(o, consumed).requiresString(true);
      case "integer":
        return number(o, consumed).requiresInteger(true);
      case "number":
        return number(o, consumed);
      case "boolean":
        return BooleanSchema.builder();
      case "null":
        return NullSchema.builder();
      case "array":
        return array(o, location, consumed);
      case "object":
        return object(o, location, consumed);
      default:
        throw DECLINE;
    }
  }

  /** Keyword groups no {@code type} took: each implies its type without requiring it. */
  private void implied(JSONObject o, SchemaLocation location, Set<String> consumed,
      List<Schema.Builder<?>> builders) {
    boolean arrays = visible(o, ARRAY, consumed);
    boolean objects = visible(o, OBJECT, consumed);
    boolean numbers = visible(o, NUMBER, consumed);
    boolean strings = visible(o, STRING, consumed);
    if (arrays) {
      builders.add(array(o, location, consumed).requiresArray(false));
    }
    if (objects) {
      builders.add(object(o, location, consumed).requiresObject(false));
    }
    if (numbers) {
      builders.add(number(o, consumed).requiresNumber(false));
    }
    if (strings) {
      builders.add(string(o, consumed).requiresString(false));
    }
  }

  private static boolean visible(JSONObject o, List<String> keywords, Set<String> consumed) {
    for (String k : keywords) {
      if (o.has(k) && !consumed.contains(k)) {
        return true;
      }
    }
    return false;
  }

  /** One group as it is, several as the loader's synthetic {@code allOf}, none as {@code {}}. */
  private static Schema.Builder<?> combine(List<Schema.Builder<?>> builders) {
    if (builders.isEmpty()) {
      return EmptySchema.builder();
    }
    if (builders.size() == 1) {
      return builders.get(0);
    }
    List<Schema> built = new ArrayList<>(builders.size());
    Set<Integer> hashes = new HashSet<>();
    for (Schema.Builder<?> b : builders) {
      Schema part = b.build();
      if (!hashes.add(part.hashCode())) {
        // everit orders the parts by hashCode, ties as its HashSet of builders gives them: by
        // identity, so no order would be the loader's every time
        throw DECLINE;
      }
      built.add(part);
    }
    return CombinedSchema.allOf(built).isSynthetic(true);
  }

  private static void common(JSONObject o, Set<String> consumed, Schema.Builder<?> schema) {
    if (o.has("$id") && consumed.add("$id")) {
      schema.id(as(String.class, o.get("$id"))); // the root's only (a base, for no $ref)
    }
    if (o.has("title") && consumed.add("title")) {
      schema.title(as(String.class, o.get("title")));
    }
    if (o.has("description") && consumed.add("description")) {
      schema.description(as(String.class, o.get("description")));
    }
    if (o.has("readOnly") && consumed.add("readOnly")) {
      schema.readOnly(as(Boolean.class, o.get("readOnly")));
    }
    if (o.has("writeOnly") && consumed.add("writeOnly")) {
      schema.writeOnly(as(Boolean.class, o.get("writeOnly")));
    }
  }

  private static NumberSchema.Builder number(JSONObject o, Set<String> consumed) {
    consumed.addAll(NUMBER);
    NumberSchema.Builder b = NumberSchema.builder();
    if (o.has("minimum")) {
      b.minimum(as(Number.class, o.get("minimum")));
    }
    if (o.has("maximum")) {
      b.maximum(as(Number.class, o.get("maximum")));
    }
    if (o.has("multipleOf")) {
      Number m = as(Number.class, o.get("multipleOf"));
      if (BigDecimal.ZERO.compareTo(BigDecimal.valueOf(m.doubleValue())) == 0) {
        throw DECLINE;
      }
      b.multipleOf(m);
    }
    if (o.has("exclusiveMinimum")) {
      b.exclusiveMinimum(as(Number.class, o.get("exclusiveMinimum")));
    }
    if (o.has("exclusiveMaximum")) {
      b.exclusiveMaximum(as(Number.class, o.get("exclusiveMaximum")));
    }
    return b;
  }

  private StringSchema.Builder string(JSONObject o, Set<String> consumed) {
    consumed.addAll(STRING);
    StringSchema.Builder b = StringSchema.builder();
    if (o.has("minLength")) {
      b.minLength(as(Integer.class, o.get("minLength")));
    }
    if (o.has("maxLength")) {
      b.maxLength(as(Integer.class, o.get("maxLength")));
    }
    if (o.has("pattern")) {
      String pattern = as(String.class, o.get("pattern"));
      b.pattern(patterns.computeIfAbsent(pattern, regexps::createHandler));
    }
    return b;
  }

  private ObjectSchema.Builder object(JSONObject o, SchemaLocation location,
      Set<String> consumed) {
    consumed.addAll(OBJECT);
    ObjectSchema.Builder b = ObjectSchema.builder();
    if (o.has("minProperties")) {
      b.minProperties(as(Integer.class, o.get("minProperties")));
    }
    if (o.has("maxProperties")) {
      b.maxProperties(as(Integer.class, o.get("maxProperties")));
    }
    if (o.has("properties")) {
      if (!(o.get("properties") instanceof JSONObject props)) {
        throw DECLINE;
      }
      SchemaLocation at = location.addPointerSegment("properties");
      for (Map.Entry<String, Object> e : inLoaderOrder(props).entrySet()) {
        b.addPropertySchema(e.getKey(), load(e.getValue(), at.addPointerSegment(e.getKey())));
      }
    }
    if (o.has("additionalProperties")) {
      Object extra = o.get("additionalProperties");
      if (extra instanceof Boolean allowed) {
        b.additionalProperties(allowed);
      } else if (extra instanceof JSONObject) {
        b.schemaOfAdditionalProperties(
            load(extra, location.addPointerSegment("additionalProperties")));
      } else {
        throw DECLINE;
      }
    }
    if (o.has("required")) {
      for (Object name : as(JSONArray.class, o.get("required"))) {
        b.addRequiredProperty(as(String.class, name));
      }
    }
    return b;
  }

  private ArraySchema.Builder array(JSONObject o, SchemaLocation location,
      Set<String> consumed) {
    consumed.addAll(ARRAY);
    ArraySchema.Builder b = ArraySchema.builder();
    if (o.has("minItems")) {
      b.minItems(as(Integer.class, o.get("minItems")));
    }
    if (o.has("maxItems")) {
      b.maxItems(as(Integer.class, o.get("maxItems")));
    }
    if (o.has("uniqueItems")) {
      b.uniqueItems(as(Boolean.class, o.get("uniqueItems")));
    }
    if (o.has("items")) {
      Object items = o.get("items");
      if (!(items instanceof JSONObject) && !(items instanceof Boolean)) {
        throw DECLINE; // a tuple: the loader's
      }
      b.allItemSchema(load(items, location.addPointerSegment("items")));
    }
    return b;
  }

  /**
   * The entries in the order the loader visits them: it copies the object into a {@code
   * HashMap} of the object's size, so properties reach the schema's own map in that order, which
   * decides the order of its failures when keys share a bucket.
   */
  private static Map<String, Object> inLoaderOrder(JSONObject o) {
    Map<String, Object> copy = new HashMap<>(o.length());
    for (String key : o.keySet()) {
      copy.put(key, o.get(key));
    }
    return copy;
  }

  /** A value as the loader hands it to the schema: objects as maps, arrays as lists. */
  private static Object convert(Object v) {
    if (v instanceof JSONObject o) {
      Map<String, Object> out = new HashMap<>(o.length());
      for (String key : o.keySet()) {
        out.put(key, convert(o.get(key)));
      }
      return out;
    }
    if (v instanceof JSONArray a) {
      List<Object> out = new ArrayList<>(a.length());
      for (int i = 0; i < a.length(); i++) {
        out.add(convert(a.get(i)));
      }
      return out;
    }
    return v;
  }

  /**
   * A schema location whose text is made once, from its parent's: everit's {@code Schema}
   * constructor asks every location for its text, which {@link SchemaLocation} writes from all
   * its segments through a stream, escaping each again (40% of a cold direct build of the
   * 1,000-setting schema, interpreted). Equal to the {@link SchemaLocation} of the same segments
   * ({@code equals} and {@code hashCode} are its own), with the same text.
   */
  private static final class Location extends SchemaLocation {
    private final List<String> segments;
    private final String text;

    Location(List<String> segments, String text) {
      super(segments);
      this.segments = segments;
      this.text = text;
    }

    @Override
    public SchemaLocation addPointerSegment(String key) {
      List<String> longer = new ArrayList<>(segments.size() + 1);
      longer.addAll(segments);
      longer.add(key);
      return new Location(longer, text + "/" + escape(key));
    }

    /** everit's {@code JSONPointer.escape} (package-private there), the key itself if plain. */
    private static String escape(String key) {
      for (int i = 0; i < key.length(); i++) {
        char c = key.charAt(i);
        if (c == '~' || c == '/' || c == '\\' || c == '"') {
          return key.replace("~", "~0").replace("/", "~1").replace("\\", "\\\\")
              .replace("\"", "\\\"");
        }
      }
      return key;
    }

    @Override
    public String toString() {
      return text;
    }
  }

  /** {@code v} as a {@code type}, or declined: the loader refuses a keyword of another type. */
  private static <T> T as(Class<T> type, Object v) {
    if (type.isInstance(v)) {
      return type.cast(v);
    }
    throw DECLINE;
  }
}
