package io.qcfg.internal.validate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.everit.json.schema.Schema;
import org.everit.json.schema.ValidationException;
import org.json.JSONArray;
import org.json.JSONObject;
import org.json.JSONTokener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Differential (issue 16): {@link SchemaCheck} accepts a tree exactly when everit, with the
 * schema its loader builds from the same document ({@link SchemaValidator#loadEverit}), reports
 * no failure; and it compiles only documents that loader builds. On the JSON-Schema-Test-Suite
 * (draft-07), on the repository's schemas, on generated schemas and trees (org.json's numbers and
 * the ones qcfg's own tree gives, {@link SchemaValidator#toJson}).
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class SchemaCheckTest {

  @Test
  void testSuiteVerdictsAreEverits() throws Exception {
    int compiled = 0;
    int instances = 0;
    for (String file : JsonSchemaTestSuiteTest.FILES) {
      for (JsonNode group : JsonSchemaTestSuiteTest.groups(file)) {
        String text = DirectSchemasTest.JSON.writeValueAsString(group.get("schema"));
        List<Object> data = new ArrayList<>();
        for (JsonNode test : group.get("tests")) {
          data.add(new JSONTokener(DirectSchemasTest.JSON.writeValueAsString(test.get("data")))
              .nextValue());
        }
        if (compare(file + ": " + group.get("description").asText(), text, data)) {
          compiled++;
          instances += data.size();
        }
      }
    }
    assertThat(compiled).isGreaterThan(50);
    assertThat(instances).isGreaterThan(250);
  }

  @Test
  void theBenchmarksSchemaIsCheckedAndItsVerdictsAreEverits() {
    String text = DirectSchemasTest.generatedSchema(30);
    assertThat(SchemaCheck.compile(SchemaValidator.parseSchemaJson(text))).isNotNull();
    List<Object> data = new ArrayList<>();
    for (String port : List.of("80", "\"x\"", "0", "65536", "1.0", "9223372036854775808")) {
      data.add(new JSONTokener(sections(30, port, "5s")).nextValue());
    }
    data.add(new JSONTokener(sections(30, "80", "5x")).nextValue());
    data.add(new JSONTokener("{\"section-0\": {}}").nextValue());
    data.add(new JSONTokener("{\"section-99\": {}}").nextValue());
    assertThat(compare("benchmark schema", text, data)).isTrue();
    assertThat(SchemaCheck.compile(SchemaValidator.parseSchemaJson(text))
        .accepts(new JSONTokener(sections(30, "80", "5s")).nextValue())).isTrue();
  }

  @Test
  void aRepeatedValueGetsThePatternsVerdictEveryTime() {
    String schema = "{\"properties\": {\"a\": {\"pattern\": \"^[0-9]+(ms|s)$\"},"
        + " \"b\": {\"pattern\": \"^[0-9]+(ms|s)$\"}}}";
    SchemaCheck check = SchemaCheck.compile(SchemaValidator.parseSchemaJson(schema));
    assertThat(check).isNotNull();
    for (int round = 0; round < 3; round++) { // the second and third rounds are remembered
      assertThat(check.accepts(new JSONObject("{\"a\": \"30s\", \"b\": \"30s\"}"))).isTrue();
      assertThat(check.accepts(new JSONObject("{\"a\": \"30s\", \"b\": \"30x\"}"))).isFalse();
      assertThat(check.accepts(new JSONObject("{\"a\": \"30x\", \"b\": \"250ms\"}"))).isFalse();
      assertThat(check.accepts(new JSONObject("{\"a\": \"x30s\"}"))).isFalse();
    }
  }

  @Test
  void aPatternRemembersABoundedNumberOfShortTexts() {
    SchemaCheck.Pattern p = new SchemaCheck.Pattern(
        new org.everit.json.schema.regexp.RE2JRegexpFactory().createHandler("^a+$"));
    String longText = "a".repeat(SchemaCheck.Pattern.REMEMBERED_LENGTH + 1);
    assertThat(p.matches(longText)).isTrue();
    assertThat(p.matches(longText + "b")).isFalse();
    assertThat(p.remembered()).isZero();
    for (int i = 0; i < SchemaCheck.Pattern.REMEMBERED + 10; i++) {
      assertThat(p.matches("a".repeat(i % 100 + 1) + (i < 100 ? "" : "-" + i))).isEqualTo(i < 100);
    }
    assertThat(p.remembered()).isEqualTo(SchemaCheck.Pattern.REMEMBERED);
    assertThat(p.matches("-" + SchemaCheck.Pattern.REMEMBERED * 2)).isFalse(); // not remembered
    assertThat(p.matches("aaa")).isTrue(); // remembered
  }

  @Test
  void documentsItDoesNotAnswerForAreDeclined() {
    for (String schema : List.of("{\"$ref\": \"#/definitions/a\", \"definitions\": {\"a\": {}}}",
        "{\"properties\": {\"a\": {\"format\": \"email\"}}}",
        "{\"properties\": {\"a\": {\"items\": [{}]}}}",
        "{\"properties\": {\"a\": {\"type\": \"nope\"}}}",
        "{\"properties\": {\"a\": {\"type\": [\"string\", \"null\"]}}}",
        "{\"properties\": {\"a\": {\"minLength\": 1.5}}}",
        "{\"properties\": {\"a\": {\"minLength\": -1}}}",
        "{\"properties\": {\"a\": {\"multipleOf\": 2}}}",
        "{\"properties\": {\"a\": {\"uniqueItems\": true}}}",
        "{\"properties\": {\"a\": {\"enum\": [1, 2]}}}",
        "{\"properties\": {\"a\": {\"const\": null}}}",
        "{\"properties\": {\"a\": {\"anyOf\": [{}]}}}",
        "{\"properties\": {\"a\": {\"title\": 3}}}",
        "{\"$schema\": \"http://json-schema.org/draft-04/schema#\"}",
        "{\"properties\": {\"a\": {\"pattern\": \"(\"}}}")) {
      assertThat(SchemaCheck.compile(SchemaValidator.parseSchemaJson(schema))).as(schema).isNull();
    }
  }

  @Property(tries = 1500)
  void generatedVerdictsAreEverits(@ForAll("schemas") JSONObject schema,
      @ForAll("documents") List<JSONObject> documents) {
    compare("generated", schema.toString(), new ArrayList<>(documents));
  }

  /** Trees as qcfg builds them from HOCON: its number types (ExactNumbers), lists, nulls. */
  @Property(tries = 600)
  void qcfgsOwnTreesGetEveritsVerdicts(@ForAll("schemas") JSONObject schema,
      @ForAll("hocon") List<String> values) {
    List<Object> data = new ArrayList<>();
    for (String v : values) {
      StringBuilder text = new StringBuilder();
      for (String key : List.of("a", "b", "c", "x", "p", "y")) {
        text.append('"').append(key).append("\" = ").append(v).append('\n');
      }
      data.add(SchemaValidator.toJson(ConfigFactory.parseString(text.toString()).root()));
    }
    compare("hocon", schema.toString(), data);
  }

  /**
   * Whether {@code text} compiles; when it does, the loader builds it too and every instance of
   * {@code data} is accepted exactly when everit finds nothing.
   */
  static boolean compare(String name, String text, List<Object> data) {
    SchemaCheck check = SchemaCheck.compile(SchemaValidator.parseSchemaJson(text));
    if (check == null) {
      return false;
    }
    Schema loaded = SchemaValidator.loadEverit(SchemaValidator.parseSchemaJson(text));
    for (Object d : data) {
      String everit;
      try {
        loaded.validate(d); // the same object, so the same number types
        everit = "valid";
      } catch (ValidationException e) {
        everit = e.getAllMessages().toString();
      }
      assertThat(check.accepts(d)).as(name + " / " + text + " / " + d + " / everit: " + everit)
          .isEqualTo(everit.equals("valid"));
    }
    return true;
  }

  @Provide
  Arbitrary<JSONObject> schemas() {
    return DirectSchemasTest.schema(3).map(SchemaCheckTest::narrowed);
  }

  /** Most generated documents use what this class declines; keep some of them as they are. */
  private static JSONObject narrowed(JSONObject schema) {
    JSONObject out = new JSONObject();
    for (String key : schema.keySet()) {
      Object v = schema.get(key);
      if ((key.equals("type") && v instanceof JSONArray types && types.length() > 0
          && Math.abs(schema.toString().hashCode()) % 4 != 0)) {
        v = types.get(0);
      }
      if (key.equals("multipleOf") && Math.abs(schema.toString().hashCode()) % 4 != 0) {
        continue;
      }
      if (v instanceof JSONObject o && (key.equals("items") || key.equals("additionalProperties"))) {
        v = narrowed(o);
      }
      if (v instanceof JSONObject o && key.equals("properties")) {
        JSONObject props = new JSONObject();
        for (String p : o.keySet()) {
          props.put(p, o.get(p) instanceof JSONObject inner ? narrowed(inner) : o.get(p));
        }
        v = props;
      }
      out.put(key, v);
    }
    return out;
  }

  @Provide
  Arbitrary<List<Object>> documents() {
    return object(3).map(o -> (Object) o).list().ofMinSize(1).ofMaxSize(4);
  }

  @Provide
  Arbitrary<List<String>> hocon() {
    return Arbitraries.of("1", "-3", "0", "65535", "65536", "9223372036854775807",
        "9223372036854775808", "123456789012345678901234567890", "2.5", "1.0", "1e3", "-0.0",
        "0.1", "3.0000000000000000001", "\"s\"", "s", "\"\"", "\"a😀é\"", "true", "false", "null",
        "[]", "[1, 2]", "[\"x\", 1]", "{}", "{ p = 1 }", "{ p = 9, y = z }", "10s", "\"5s\"")
        .list().ofMinSize(1).ofMaxSize(3);
  }

  private static Arbitrary<JSONObject> object(int depth) {
    Arbitrary<Object> value = depth == 0 ? leaf() : Arbitraries.frequencyOf(
        Tuple.of(3, leaf()),
        Tuple.of(1, leaf().list().ofMaxSize(3).map(l -> (Object) new JSONArray(l))),
        Tuple.of(2, object(depth - 1).map(o -> (Object) o)));
    return Arbitraries.maps(Arbitraries.of(SubtreeValidationDifferentialTest.KEYS), value)
        .ofMaxSize(5).map(JSONObject::new);
  }

  private static Arbitrary<Object> leaf() {
    return Arbitraries.of(1, 7, -2, 0, 3, 5, 2L << 40, new BigInteger("123456789012345678901"),
        2.5, 1.0, -3.0, new BigDecimal("1.00"), new BigDecimal("5.0000000000000000001"),
        "s", "", "ab", "abc", "a😀", "long text", "x", "l", true, false, JSONObject.NULL);
  }

  private static String sections(int n, String port, String timeout) {
    StringBuilder sb = new StringBuilder("{");
    for (int s = 0; s < n; s++) {
      sb.append(s == 0 ? "" : ",").append("\"section-").append(s).append("\": {\"port\": ")
          .append(s % 3 == 0 ? port : "8080").append(", \"name\": \"n\", \"enabled\": true,")
          .append(" \"timeout\": \"").append(s % 4 == 0 ? timeout : "5s")
          .append("\", \"tags\": [\"a\"], \"weights\": [1, 2]}");
    }
    return sb.append("}").toString();
  }
}
