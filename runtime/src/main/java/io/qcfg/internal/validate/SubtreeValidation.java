package io.qcfg.internal.validate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.everit.json.schema.EmptySchema;
import org.everit.json.schema.ObjectSchema;
import org.everit.json.schema.ReferenceSchema;
import org.everit.json.schema.Schema;
import org.everit.json.schema.ValidationException;
import org.everit.json.schema.Validator;
import org.json.JSONObject;

/**
 * Schema validation that reuses the verdict of every subtree the last validation saw (issue 19
 * item 3). Where the schema decomposes, an object's {@code properties} are validated one by one,
 * and the result for a property's value is remembered under the value (by identity: the build
 * hands the same org.json object again for a subtree that did not change, see {@code
 * snapshot.TreeIndex}) and the subschema (by identity: one object per schema text in the JVM).
 *
 * <p>An {@link ObjectSchema} decomposes when its properties do not depend on their siblings: no
 * {@code dependencies}, {@code patternProperties} or defaults, and property names that a JSON
 * pointer writes as they are (no {@code ~ / \ "}, which everit escapes, twice for nested causes).
 * Keywords such as {@code if}/{@code then}, {@code allOf} or {@code oneOf} next to
 * {@code properties} make everit load another kind of schema, which is validated whole. The
 * object's own keywords ({@code required}, {@code additionalProperties}, sizes, {@code
 * propertyNames}) are checked by everit against a copy of the schema whose object-valued
 * property schemas accept anything, so every message is everit's own; the copy keeps the other
 * property schemas (leaves, arrays), whose failures are put back in their property's place.
 *
 * <p>Order: everit checks an object's own keywords first and its {@code properties} last, in the
 * order of the schema's property map; the failures here come out in that same order, flattened
 * as {@link SchemaValidator} flattens everit's tree. A property test compares the two.
 *
 * <p>Concurrency: used by one building thread at a time (the pipeline's).
 */
final class SubtreeValidation {
  /** One failure, immutable (everit's {@code ValidationException.prepend} mutates its pointer). */
  record Failure(String pointer, String keyword, String message, Schema violatedSchema) {
    static Failure of(ValidationException e) {
      return new Failure(e.getPointerToViolation(), e.getKeyword(), e.getErrorMessage(),
          e.getViolatedSchema());
    }

    Failure under(String key) {
      return new Failure("#/" + key + pointer.substring(1), keyword, message, violatedSchema);
    }
  }

  /** The verdict for one object under one schema, with those of its decomposed properties. */
  private record Entry(Schema schema, List<Failure> failures, List<Object> children) {}

  private static final Validator VALIDATOR = Validator.builder().build();

  private IdentityHashMap<Object, Entry> last = new IdentityHashMap<>();
  // Per object schema: its copy without property schemas, or NOT when it does not decompose.
  // JVM-wide for the last root schema (one object per schema text in the JVM), so that a fresh
  // pipeline (a cold build, the CLI) does not copy every object schema again (issue 19).
  private record Shallow(Schema root, IdentityHashMap<ObjectSchema, ObjectSchema> copies) {}

  private static Shallow shared = new Shallow(null, new IdentityHashMap<>()); // guarded by class
  private IdentityHashMap<ObjectSchema, ObjectSchema> shallow = shared.copies(); // guarded by it
  private static final ObjectSchema NOT = ObjectSchema.builder().build();
  private Schema lastRoot;
  long validatedNodes; // objects validated afresh in the last call; read by tests

  /** Every failure of {@code json} under {@code schema}, as everit reports them, flattened. */
  synchronized List<Failure> validate(Schema schema, Object json) {
    if (schema != lastRoot) {
      last = new IdentityHashMap<>();
      shallow = copiesFor(schema);
      lastRoot = schema;
    }
    validatedNodes = 0;
    IdentityHashMap<Object, Entry> next = new IdentityHashMap<>();
    List<Failure> out = node(schema, json, next);
    last = next;
    return out;
  }

  private List<Failure> node(Schema given, Object json, IdentityHashMap<Object, Entry> next) {
    Schema s = referred(given);
    ObjectSchema own = s instanceof ObjectSchema os && json instanceof JSONObject
        ? shallowOf(os) : null;
    if (own == null) {
      return whole(s, json);
    }
    ObjectSchema os = (ObjectSchema) s;
    JSONObject obj = (JSONObject) json;
    Entry old = last.get(json);
    if (old != null && old.schema() == s) {
      carry(json, old, next);
      return old.failures();
    }
    validatedNodes++;
    List<Failure> out = new ArrayList<>();
    Map<String, List<Failure>> checked = new HashMap<>(); // by property, failures of own's
    for (Failure f : whole(own, obj)) {
      String key = checkedProperty(own, f.pointer());
      (key == null ? out : checked.computeIfAbsent(key, k -> new ArrayList<>())).add(f);
    }
    List<Object> children = new ArrayList<>();
    for (Map.Entry<String, Schema> p : os.getPropertySchemas().entrySet()) {
      String key = p.getKey();
      if (!obj.has(key)) {
        continue;
      }
      if (own.getPropertySchemas().get(key) != EmptySchema.INSTANCE) {
        out.addAll(checked.getOrDefault(key, List.of())); // validated with own, in its place
        continue;
      }
      Object child = obj.get(key);
      if (child instanceof JSONObject) {
        children.add(child);
      }
      for (Failure f : node(p.getValue(), child, next)) {
        out.add(f.under(key));
      }
    }
    next.put(json, new Entry(s, List.copyOf(out), children));
    return out;
  }

  /** Keeps the entries of a reused subtree for the next call. */
  private void carry(Object json, Entry e, IdentityHashMap<Object, Entry> next) {
    next.put(json, e);
    for (Object child : e.children()) {
      Entry c = last.get(child);
      if (c != null) {
        carry(child, c, next);
      }
    }
  }

  /**
   * The property of {@code own} (the object's copy) that everit checked itself and whose subtree
   * {@code pointer} is in, or null when the failure is the object's own (such as {@code
   * required}). Property names need no unescaping here: {@link #decomposes} rules out the
   * characters a pointer escapes.
   */
  private static String checkedProperty(ObjectSchema own, String pointer) {
    if (pointer == null || !pointer.startsWith("#/")) {
      return null;
    }
    int end = pointer.indexOf('/', 2);
    String key = end < 0 ? pointer.substring(2) : pointer.substring(2, end);
    Schema s = own.getPropertySchemas().get(key);
    return s == null || s == EmptySchema.INSTANCE ? null : key;
  }

  // A small schema and two documents (one failing every keyword) that take everit's validating
  // code through each kind of schema a configuration schema has, failures included.
  private static final String WARM_SCHEMA = "{\"type\": \"object\", \"required\": [\"a\","
      + " \"z\"], \"additionalProperties\": false, \"properties\": {\"a\": {\"type\":"
      + " \"integer\", \"minimum\": 1, \"maximum\": 9}, \"b\": {\"type\": \"string\","
      + " \"minLength\": 1, \"pattern\": \"^[a-z]+$\"}, \"c\": {\"type\": \"boolean\"},"
      + " \"d\": {\"type\": \"array\", \"items\": {\"type\": \"string\"}}, \"e\":"
      + " {\"type\": \"object\", \"properties\": {\"f\": {\"type\": \"number\"},"
      + " \"g\": {\"enum\": [\"x\", 2]}}}}}";
  private static final List<String> WARM_DOCUMENTS = List.of(
      "{\"a\": 2, \"b\": \"ab\", \"c\": true, \"d\": [\"x\"], \"e\": {\"f\": 1.5,"
          + " \"g\": 2}}",
      "{\"a\": 0, \"b\": \"X1\", \"c\": \"no\", \"d\": [\"x\", 1], \"e\": {\"f\":"
          + " \"1\", \"g\": 3}, \"x\": 1}");

  /**
   * Runs everit's validation once on a small schema (issue 16): a first start's {@code
   * qcfg-schema} calls this once its schema is built, so that the applier's validation finds
   * everit's visitors, failures and the JDK code they use loaded and linked, as everit's loader
   * used to leave them. Touches no cache.
   */
  static void warmUp() {
    Schema schema = DirectSchemas.build(PlainSchemaJson.read(WARM_SCHEMA));
    if (!(schema instanceof ObjectSchema object)) {
      return;
    }
    ObjectSchema own = shallowCopy(object);
    for (String doc : WARM_DOCUMENTS) {
      JSONObject json = PlainSchemaJson.read(doc);
      whole(own, json);
      whole(object.getPropertySchemas().get("e"), json.opt("e"));
    }
  }

  /**
   * Makes the copies of {@code root}'s object schemas that its validation uses, into the
   * JVM-wide cache a validation of {@code root} takes them from: called on {@code qcfg-schema}
   * once the schema is built, so that a first start's validation on the applier finds them.
   */
  static void prepare(Schema root) {
    IdentityHashMap<ObjectSchema, ObjectSchema> copies = copiesFor(root);
    prepare(root, copies);
  }

  private static void prepare(Schema s, IdentityHashMap<ObjectSchema, ObjectSchema> copies) {
    if (!(referred(s) instanceof ObjectSchema o)) {
      return;
    }
    synchronized (copies) {
      if (copies.containsKey(o)) {
        return;
      }
    }
    ObjectSchema copy = shallowCopy(o);
    synchronized (copies) {
      copies.putIfAbsent(o, copy);
    }
    if (copy != NOT) {
      for (Schema p : o.getPropertySchemas().values()) {
        prepare(p, copies);
      }
    }
  }

  private static List<Failure> whole(Schema s, Object json) {
    try {
      VALIDATOR.performValidation(s, json);
      return List.of();
    } catch (ValidationException e) {
      List<Failure> out = new ArrayList<>();
      flatten(e, out);
      return out;
    }
  }

  private static void flatten(ValidationException e, List<Failure> out) {
    if (e.getCausingExceptions().isEmpty()) {
      out.add(Failure.of(e));
    } else {
      for (ValidationException c : e.getCausingExceptions()) {
        flatten(c, out);
      }
    }
  }

  /**
   * The schema a reference made by {@link SharedSubschemas} stands for (everit validates the
   * referred schema in its place, with the same failures), so that a shared subschema still
   * decomposes; any other schema (a user's own {@code $ref} too) as it is.
   */
  static Schema referred(Schema s) {
    if (s instanceof ReferenceSchema r && r.getReferredSchema() != null
        && r.getReferenceValue() != null
        && r.getReferenceValue().startsWith("#/" + SharedSubschemas.HOLDER + "/")) {
      return r.getReferredSchema();
    }
    return s;
  }

  static boolean decomposes(ObjectSchema s) {
    if (s.getClass() != ObjectSchema.class || s.hasDefaultValue()
        || !s.getPropertyDependencies().isEmpty() || !s.getSchemaDependencies().isEmpty()
        || s.getPropertySchemas() == null || s.getPropertySchemas().isEmpty()) {
      return false;
    }
    try {
      if (!s.getPatternProperties().isEmpty()) {
        return false;
      }
    } catch (RuntimeException e) {
      return false; // a pattern java.util.regex cannot compile: there is one, so no
    }
    for (Map.Entry<String, Schema> p : s.getPropertySchemas().entrySet()) {
      String key = p.getKey();
      if (referred(p.getValue()).hasDefaultValue()) {
        return false; // everit writes the default into the object
      }
      for (int i = 0; i < key.length(); i++) {
        char c = key.charAt(i);
        if (c == '~' || c == '/' || c == '\\' || c == '"') {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * {@code s} with every property schema accepting anything (its own keywords only), or null when
   * {@code s} does not decompose.
   */
  private static synchronized IdentityHashMap<ObjectSchema, ObjectSchema> copiesFor(Schema root) {
    if (shared.root() != root) {
      shared = new Shallow(root, new IdentityHashMap<>());
    }
    return shared.copies();
  }

  private ObjectSchema shallowOf(ObjectSchema s) {
    ObjectSchema out;
    synchronized (shallow) { // shared with other pipelines' validations of the same schema
      out = shallow.get(s);
    }
    if (out == null) {
      out = shallowCopy(s);
      synchronized (shallow) {
        shallow.putIfAbsent(s, out);
      }
    }
    return out == NOT ? null : out;
  }

  /** {@code o} with every property schema accepting anything, or NOT. */
  private static ObjectSchema shallowCopy(ObjectSchema o) {
    if (!decomposes(o)) {
      return NOT;
    }
    ObjectSchema.Builder b = ObjectSchema.builder()
        .requiresObject(o.requiresObject())
        .additionalProperties(o.permitsAdditionalProperties())
        .schemaOfAdditionalProperties(o.getSchemaOfAdditionalProperties())
        .minProperties(o.getMinProperties())
        .maxProperties(o.getMaxProperties())
        .propertyNameSchema(o.getPropertyNameSchema());
    b.nullable(o.isNullable()).readOnly(o.isReadOnly()).writeOnly(o.isWriteOnly())
        .schemaLocation(o.getLocation()).title(o.getTitle()).id(o.getId());
    for (String r : o.getRequiredProperties()) {
      b.addRequiredProperty(r);
    }
    // A property whose schema is not an object's is validated with the object's own keywords:
    // one call of everit per object, not one per leaf (issue 16: 1,000 calls, cold, at a first
    // start). Not where a failure of the object's own keywords can point into a property
    // (propertyNames, a schema for additional properties): those stay apart, as before.
    boolean alone =
        o.getPropertyNameSchema() == null && o.getSchemaOfAdditionalProperties() == null;
    for (Map.Entry<String, Schema> p : o.getPropertySchemas().entrySet()) {
      boolean leaf = alone && !(referred(p.getValue()) instanceof ObjectSchema);
      b.addPropertySchema(p.getKey(), leaf ? p.getValue() : EmptySchema.INSTANCE);
    }
    return b.build();
  }
}
