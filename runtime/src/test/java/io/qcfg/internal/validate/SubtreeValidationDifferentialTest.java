package io.qcfg.internal.validate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import org.everit.json.schema.Schema;
import org.everit.json.schema.ValidationException;
import org.everit.json.schema.loader.SchemaLoader;
import org.everit.json.schema.regexp.RE2JRegexpFactory;
import org.json.JSONArray;
import org.json.JSONObject;

/**
 * Differential: {@link SubtreeValidation} (objects decomposed into their own keywords and their
 * properties, verdicts reused per subtree) reports exactly what everit reports when it validates
 * the whole document: the same failures, flattened, with the same pointer, keyword and message,
 * in the same order, for generated documents under schemas that decompose, partly decompose
 * ({@code if}/{@code then}, {@code dependencies}, {@code patternProperties}, escaped names) or do
 * not. Each document is validated twice by the same instance, so the second answer comes from
 * its memo. 300 tries in {@code verify}; 5,000 under {@code -Pnightly}.
 */
class SubtreeValidationDifferentialTest {
  static final List<String> KEYS = List.of("a", "b", "c", "x", "p", "y", "k/x", "n~1");
  static final String INNER = """
      {"type": "object", "required": ["p"], "minProperties": 1,
       "properties": {"p": {"type": "integer", "maximum": 5}, "y": {"type": "string"},
                      "x": {"type": "object", "additionalProperties": false,
                            "properties": {"p": {"type": "boolean"}}}}}""";
  static final List<String> SCHEMAS = List.of(
      "{\"type\": \"object\", \"properties\": {\"a\": " + INNER + ", \"b\": " + INNER
          + ", \"c\": {\"type\": \"array\", \"items\": {\"type\": \"integer\"}}}}",
      "{\"type\": \"object\", \"additionalProperties\": false, \"required\": [\"a\", \"c\"],"
          + " \"properties\": {\"a\": " + INNER + ", \"b\": {}, \"c\": {}}}",
      "{\"type\": \"object\", \"if\": {\"required\": [\"c\"]}, \"then\": {\"required\": [\"b\"]},"
          + " \"properties\": {\"a\": " + INNER + ", \"b\": " + INNER + "}}",
      "{\"type\": \"object\", \"dependencies\": {\"a\": [\"b\"]}, \"properties\": {\"a\": "
          + INNER + "}}",
      "{\"type\": \"object\", \"patternProperties\": {\"^k\": {\"type\": \"integer\"}},"
          + " \"properties\": {\"a\": " + INNER + ", \"k/x\": " + INNER + "}}",
      "{\"type\": \"object\", \"additionalProperties\": {\"type\": \"object\"},"
          + " \"propertyNames\": {\"maxLength\": 3}, \"maxProperties\": 4,"
          + " \"properties\": {\"a\": " + INNER + ", \"n~1\": " + INNER + "}}");

  record Case(int schema, String document) {}

  @Property(tries = 300)
  void sameFailuresAsEverit(@ForAll("cases") Case c) {
    check(c);
  }

  @Property(tries = 5_000)
  @Tag("nightly")
  void sameFailuresAsEveritNightly(@ForAll("cases") Case c) {
    check(c);
  }

  void check(Case c) {
    Schema schema = load(SCHEMAS.get(c.schema()));
    JSONObject doc = new JSONObject(c.document());
    List<String> everit = new ArrayList<>();
    try {
      schema.validate(new JSONObject(c.document()));
    } catch (ValidationException e) {
      flatten(e, everit);
    }
    SubtreeValidation subtrees = new SubtreeValidation();
    assertThat(render(subtrees.validate(schema, doc))).isEqualTo(everit);
    assertThat(render(subtrees.validate(schema, doc))).as("from the memo").isEqualTo(everit);
  }

  /** Loaded as {@link SchemaValidator} loads a schema: draft-07, RE2J patterns. */
  static Schema load(String text) {
    return SchemaLoader.builder().schemaJson(SchemaValidator.parseSchemaJson(text))
        .draftV7Support().regexpFactory(new RE2JRegexpFactory()).build().load().build();
  }

  static List<String> render(List<SubtreeValidation.Failure> failures) {
    return failures.stream().map(f -> f.pointer() + " " + f.keyword() + " " + f.message())
        .toList();
  }

  static void flatten(ValidationException e, List<String> out) {
    if (e.getCausingExceptions().isEmpty()) {
      out.add(e.getPointerToViolation() + " " + e.getKeyword() + " " + e.getErrorMessage());
    } else {
      for (ValidationException c : e.getCausingExceptions()) {
        flatten(c, out);
      }
    }
  }

  @Provide
  Arbitrary<Case> cases() {
    return Arbitraries.integers().between(0, SCHEMAS.size() - 1)
        .flatMap(s -> object(3).map(o -> new Case(s, o.toString())));
  }

  static Arbitrary<JSONObject> object(int depth) {
    Arbitrary<Object> value = depth == 0 ? leaf() : Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(3, leaf()),
        net.jqwik.api.Tuple.of(2, object(depth - 1).map(o -> (Object) o)));
    return Arbitraries.maps(Arbitraries.of(KEYS), value).ofMaxSize(5).map(JSONObject::new);
  }

  static Arbitrary<Object> leaf() {
    return Arbitraries.of(1, 7, -2, "s", "long text", true, false, JSONObject.NULL,
        new JSONArray("[1, 2]"), new JSONArray("[1, \"x\"]"));
  }
}
