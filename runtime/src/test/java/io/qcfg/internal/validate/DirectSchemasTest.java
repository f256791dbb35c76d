package io.qcfg.internal.validate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.everit.json.schema.ArraySchema;
import org.everit.json.schema.CombinedSchema;
import org.everit.json.schema.ConstSchema;
import org.everit.json.schema.ObjectSchema;
import org.everit.json.schema.Schema;
import org.everit.json.schema.ValidationException;
import org.json.JSONArray;
import org.json.JSONObject;
import org.json.JSONTokener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Differential (issue 16): a schema {@link DirectSchemas} builds is the one everit's loader
 * builds from the same document ({@link SchemaValidator#loadEverit}), or it declines (null).
 * Equal means: {@code equals} both ways, and, for what everit's {@code equals} leaves out, the
 * same class and schema location at every node and the same {@code const} values; and every
 * instance validates alike through both, compared as everit's whole failure report (message,
 * pointer, keyword, schema location, causing failures in order). On the JSON-Schema-Test-Suite
 * (draft-07), on the repository's schemas and on generated schemas over the keywords built.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class DirectSchemasTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void testSuiteSchemasAreBuiltAsTheLoaderBuildsThem() throws Exception {
    int built = 0;
    int declined = 0;
    int instances = 0;
    for (String file : JsonSchemaTestSuiteTest.FILES) {
      for (JsonNode group : JsonSchemaTestSuiteTest.groups(file)) {
        String text = JSON.writeValueAsString(group.get("schema"));
        List<String> data = new ArrayList<>();
        for (JsonNode test : group.get("tests")) {
          data.add(JSON.writeValueAsString(test.get("data")));
        }
        if (compare(file + ": " + group.get("description").asText(), text, data)) {
          built++;
          instances += data.size();
        } else {
          declined++;
        }
      }
    }
    assertThat(built).as("declined %d", declined).isGreaterThan(80);
    assertThat(instances).isGreaterThan(300);
  }

  @Test
  void theRepositorysSchemasAreBuiltDirectly() throws IOException {
    Path root = Path.of("..").toAbsolutePath().normalize();
    List<Path> files;
    try (Stream<Path> all = Files.walk(root)) {
      files = all.filter(p -> p.getFileName().toString().endsWith("schema.json"))
          .filter(p -> !p.toString().contains("/target/") && !p.toString().contains("/.git/")
              && !p.toString().contains("json-schema-test-suite"))
          .toList();
    }
    assertThat(files).hasSizeGreaterThan(3);
    for (Path p : files) {
      String text = Files.readString(p);
      if (p.toString().contains("not-json") || p.toString().contains("invalid-schema")) {
        continue; // fixtures of broken schemas: the loader's to report
      }
      compare(p.toString(), text, List.of("{}", "{\"greeter\": {\"workers\": 0}}"));
      assertThat(DirectSchemas.build(SchemaValidator.parseSchemaJson(text))).as(p.toString())
          .isNotNull();
    }
    String generated = generatedSchema(30);
    assertThat(compare("generated 300 leaves", generated, List.of("{}", sectionData(30, "80"),
        sectionData(30, "\"x\""), sectionData(30, "0")))).isTrue();
  }

  @Test
  void documentsWithKeywordsItDoesNotBuildAreDeclined() {
    for (String schema : List.of("{\"$ref\": \"#/definitions/a\", \"definitions\": {\"a\": {}}}",
        "{\"properties\": {\"a\": {\"format\": \"email\"}}}",
        "{\"properties\": {\"a\": {\"items\": [{}]}}}",
        "{\"properties\": {\"a\": {\"type\": \"nope\"}}}",
        "{\"properties\": {\"a\": {\"minLength\": 1.5}}}",
        "{\"$schema\": \"http://json-schema.org/draft-04/schema#\"}",
        "{\"properties\": {\"a\": {\"pattern\": \"(\"}}}",
        "{\"properties\": {\"a\": {\"multipleOf\": 0}}}")) {
      assertThat(DirectSchemas.build(SchemaValidator.parseSchemaJson(schema))).as(schema).isNull();
    }
    assertThat(DirectSchemas.build(SchemaValidator.parseSchemaJson(
        "{\"properties\": {\"format\": {\"type\": \"string\"}}}"))).isNotNull();
    // $ref and $id the loader never reads (in unprocessed values): built, and as it builds them
    assertThat(compare("data", "{\"definitions\": {\"a\": {\"$ref\": \"#/definitions/b\","
        + " \"$id\": \"http://x/y\"}}, \"default\": {\"$ref\": 1}, \"properties\": {\"a\":"
        + " {\"type\": \"integer\", \"x-note\": {\"$id\": \"z\"}}}}",
        List.of("{\"a\": 1}", "{\"a\": \"1\"}"))).isTrue();
  }

  /** What qcfg-schema does ahead of a first start's validation changes none of its verdicts. */
  @Test
  void preparedValidationGivesEveritsFailures() {
    Schema schema = DirectSchemas.build(SchemaValidator.parseSchemaJson(generatedSchema(4)));
    SubtreeValidation.prepare(schema);
    SubtreeValidation.warmUp();
    for (String d : List.of(sectionData(4, "80"), sectionData(4, "\"x\""), sectionData(4, "0"))) {
      assertThat(perSubtree(schema, d)).as(d).isEqualTo(SharedSubschemasTest.whole(schema, d));
    }
  }

  @Property(tries = 400)
  void generatedSchemasAreBuiltAsTheLoaderBuildsThem(@ForAll("schemas") JSONObject schema,
      @ForAll("documents") List<JSONObject> documents) {
    List<String> data = documents.stream().map(JSONObject::toString).toList();
    compare("generated", schema.toString(), data);
  }

  /**
   * Compares the direct build of {@code text} with the loader's and validates every instance
   * of {@code data} through both; false when the direct build declined.
   */
  static boolean compare(String name, String text, List<String> data) {
    Schema direct = DirectSchemas.build(SchemaValidator.parseSchemaJson(text));
    Schema loaded;
    try {
      loaded = SchemaValidator.loadEverit(SchemaValidator.parseSchemaJson(text));
    } catch (RuntimeException e) {
      assertThat(direct).as(name + ": the loader refuses it").isNull();
      return false;
    }
    if (direct == null) {
      return false;
    }
    assertThat(direct).as(name).isEqualTo(loaded);
    assertThat(loaded).as(name).isEqualTo(direct);
    sameTree(name, direct, loaded);
    for (String d : data) {
      assertThat(report(direct, d)).as(name + " / " + d).isEqualTo(report(loaded, d));
      // as qcfg validates: per subtree, flattened (SubtreeValidation), against everit's whole
      assertThat(perSubtree(direct, d)).as(name + " / " + d + " per subtree")
          .isEqualTo(SharedSubschemasTest.whole(loaded, d));
    }
    return true;
  }

  /** {@link SubtreeValidation}'s failures for {@code data}, rendered as everit's flattened. */
  private static List<String> perSubtree(Schema schema, String data) {
    return SubtreeValidationDifferentialTest.render(
        new SubtreeValidation().validate(schema, new JSONTokener(data).nextValue()));
  }

  /** Class, schema location and const value at every node: what everit's equals leaves out. */
  static void sameTree(String at, Schema a, Schema b) {
    assertThat(a.getClass()).as(at).isEqualTo(b.getClass());
    assertThat(a.getSchemaLocation()).as(at).isEqualTo(b.getSchemaLocation());
    assertThat(a.getLocation()).as(at).isEqualTo(b.getLocation());
    if (a instanceof ConstSchema c) {
      assertThat(c.getPermittedValue()).as(at).isEqualTo(((ConstSchema) b).getPermittedValue());
    }
    if (a instanceof ObjectSchema o) {
      ObjectSchema p = (ObjectSchema) b;
      assertThat(o.getPropertySchemas().keySet()).as(at)
          .containsExactlyElementsOf(p.getPropertySchemas().keySet());
      for (Map.Entry<String, Schema> e : o.getPropertySchemas().entrySet()) {
        sameTree(at + "/" + e.getKey(), e.getValue(), p.getPropertySchemas().get(e.getKey()));
      }
      if (o.getSchemaOfAdditionalProperties() != null) {
        sameTree(at + "/additionalProperties", o.getSchemaOfAdditionalProperties(),
            p.getSchemaOfAdditionalProperties());
      }
    }
    if (a instanceof ArraySchema arr && arr.getAllItemSchema() != null) {
      sameTree(at + "/items", arr.getAllItemSchema(), ((ArraySchema) b).getAllItemSchema());
    }
    if (a instanceof CombinedSchema c) {
      // the loader's synthetic allOf comes from a HashSet of builders: match parts by equality
      List<Schema> others = new ArrayList<>(((CombinedSchema) b).getSubschemas());
      for (Schema part : c.getSubschemas()) {
        Schema twin = others.stream().filter(part::equals).findFirst().orElseThrow();
        others.remove(twin);
        sameTree(at + "/" + part.getClass().getSimpleName(), part, twin);
      }
    }
  }

  /** everit's whole failure report for {@code data}: the tree of failures as JSON, or "valid". */
  static String report(Schema schema, String data) {
    try {
      schema.validate(new JSONTokener(data).nextValue());
      return "valid";
    } catch (ValidationException e) {
      List<String> lines = new ArrayList<>();
      describe(e, "", lines);
      return String.join("\n", lines);
    }
  }

  private static void describe(ValidationException e, String indent, List<String> out) {
    out.add(indent + e.getPointerToViolation() + " " + e.getKeyword() + " "
        + e.getSchemaLocation() + " " + e.getMessage() + " "
        + (e.getViolatedSchema() == null ? "-" : e.getViolatedSchema().getClass().getSimpleName()));
    for (ValidationException c : e.getCausingExceptions()) {
      describe(c, indent + "  ", out);
    }
  }

  // ---- generated schemas over the keywords DirectSchemas builds (and a few it declines)

  @Provide
  Arbitrary<JSONObject> schemas() {
    return schema(3);
  }

  @Provide
  Arbitrary<List<JSONObject>> documents() {
    return SubtreeValidationDifferentialTest.object(3).list().ofMinSize(1).ofMaxSize(4);
  }

  // the documents' keys, and names whose pointer everit escapes (~ / \\ ")
  private static final List<String> PROPERTY_NAMES = Stream.concat(
      SubtreeValidationDifferentialTest.KEYS.stream(), Stream.of("q\"\\", "~/")).toList();

  static Arbitrary<JSONObject> schema(int depth) {
    Arbitrary<Object> child = depth == 0
        ? Arbitraries.of(true, false, new JSONObject(), new JSONObject("{\"type\": \"integer\"}"))
        : Arbitraries.lazy(() -> schema(depth - 1).map(o -> (Object) o));
    Arbitrary<Tuple.Tuple2<String, Object>> keyword = Arbitraries.oneOf(
        Arbitraries.of("string", "integer", "number", "boolean", "null", "array", "object")
            .map(t -> Tuple.of("type", t)),
        Arbitraries.of("string", "integer", "null", "object").list().ofMinSize(1).ofMaxSize(3)
            .map(ts -> Tuple.of("type", new JSONArray(ts))),
        Arbitraries.of(List.of(1, "s"), List.of(true, 7), List.of("a", "b")).map(
            v -> Tuple.of("enum", new JSONArray(v))),
        Arbitraries.of(1, "s", false).map(v -> Tuple.of("const", v)),
        value(Arbitraries.of("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
            "multipleOf"), Arbitraries.of(1, 2, -3, 5, 0, 2.5, "x")),
        value(Arbitraries.of("minLength", "maxLength", "minItems", "maxItems", "minProperties",
            "maxProperties"), Arbitraries.of(0, 1, 3, 1.5, "x")),
        value(Arbitraries.of("pattern"), Arbitraries.of("^[a-z]+$", "x", "^l", 3)),
        value(Arbitraries.of("uniqueItems", "readOnly", "writeOnly"), Arbitraries.of(true, false)),
        value(Arbitraries.of("title", "description", "x-secret", "default", "$comment"),
            Arbitraries.of("t", true, 4)),
        value(Arbitraries.of("additionalProperties", "items"), child),
        Arbitraries.maps(Arbitraries.of(PROPERTY_NAMES), child)
            .ofMaxSize(4).map(m -> Tuple.of("properties", new JSONObject(m))),
        Arbitraries.of(SubtreeValidationDifferentialTest.KEYS).list().ofMaxSize(3).uniqueElements()
            .map(r -> Tuple.of("required", new JSONArray(r))),
        Arbitraries.frequencyOf(Tuple.of(20, Arbitraries.just("format")),
            Tuple.of(1, Arbitraries.of("not", "patternProperties")))
            .map(k -> Tuple.of(k, k.equals("format") ? "email" : new JSONObject())));
    return keyword.list().ofMaxSize(6).map(entries -> {
      JSONObject o = new JSONObject();
      for (Tuple.Tuple2<String, Object> e : entries) {
        o.put(e.get1(), e.get2());
      }
      return o;
    });
  }

  private static Arbitrary<Tuple.Tuple2<String, Object>> value(Arbitrary<String> keys,
      Arbitrary<?> values) {
    return Combinators.combine(keys, values).as((k, v) -> Tuple.of(k, (Object) v));
  }

  // ---- a schema of the start-up benchmark's shape (ConfigGenerator.schemaText)

  private static final String SECTION = """
      {"type":"object","additionalProperties":false,"required":["port","name","enabled",
      "timeout","tags","weights"],"properties":{"port":{"type":"integer","minimum":1,
      "maximum":65535},"name":{"type":"string","minLength":1},"enabled":{"type":"boolean"},
      "timeout":{"type":"string","pattern":"^[0-9]+(ms|s|m|h)$"},
      "tags":{"type":"array","items":{"type":"string"}},
      "weights":{"type":"array","items":{"type":"integer"}}}}""";

  static String generatedSchema(int sections) {
    StringBuilder sb = new StringBuilder("{\"$schema\":\"http://json-schema.org/draft-07/schema#\","
        + "\"type\":\"object\",\"additionalProperties\":false,\"properties\":{");
    for (int s = 0; s < sections; s++) {
      sb.append(s == 0 ? "" : ",").append("\"section-").append(s).append("\":").append(SECTION);
    }
    return sb.append("}}").toString();
  }

  private static String sectionData(int sections, String port) {
    StringBuilder sb = new StringBuilder("{");
    for (int s = 0; s < sections; s++) {
      sb.append(s == 0 ? "" : ",").append("\"section-").append(s).append("\": {\"port\": ")
          .append(s % 3 == 0 ? port : "8080").append(", \"name\": \"n\", \"enabled\": true,")
          .append(" \"timeout\": \"").append(s % 4 == 0 ? "5x" : "5s").append("\", \"tags\": [],")
          .append(" \"weights\": [1, ").append(s % 5 == 0 ? "\"w\"" : "2").append("]}");
    }
    return sb.append("}").toString();
  }
}
