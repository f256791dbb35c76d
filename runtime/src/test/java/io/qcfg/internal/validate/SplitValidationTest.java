package io.qcfg.internal.validate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.everit.json.schema.Schema;
import org.everit.json.schema.ValidationException;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A first validation splits the root's properties between the building thread and {@code
 * qcfg-validate} (issue 16): the failures and their order are everit's, and the verdicts of both
 * halves are kept for the next validation.
 */
@Timeout(60)
class SplitValidationTest {
  static final String SECTION = "{\"type\": \"object\", \"additionalProperties\": false,"
      + " \"required\": [\"port\"], \"properties\": {\"port\": {\"type\": \"integer\","
      + " \"maximum\": 10}, \"inner\": {\"type\": \"object\", \"properties\": {\"on\":"
      + " {\"type\": \"boolean\"}}}}}";
  static final String SCHEMA = "{\"type\": \"object\", \"required\": [\"a\"], \"properties\": {"
      + "\"a\": " + SECTION + ", \"b\": " + SECTION + ", \"c\": " + SECTION + ", \"d\": " + SECTION
      + ", \"e\": " + SECTION + "}}";

  @Test
  void bothHalvesReportInEveritsOrderAndAreReusedNextTime() {
    Schema schema = SubtreeValidationDifferentialTest.load(SCHEMA);
    String doc = "{\"a\": {\"port\": 11}, \"b\": {\"port\": 1, \"x\": 1},"
        + " \"c\": {\"inner\": {\"on\": 3}}, \"d\": {\"port\": 2}, \"e\": {\"port\": \"no\"}}";
    List<String> everit = new ArrayList<>();
    try {
      schema.validate(new JSONObject(doc));
    } catch (ValidationException e) {
      SubtreeValidationDifferentialTest.flatten(e, everit);
    }
    assertThat(everit).hasSizeGreaterThanOrEqualTo(5); // failures in both halves

    SubtreeValidation subtrees = new SubtreeValidation();
    JSONObject json = new JSONObject(doc);
    assertThat(SubtreeValidationDifferentialTest.render(subtrees.validate(schema, json)))
        .isEqualTo(everit);
    assertThat(subtrees.validatedNodes).isEqualTo(1 + 5 + 1); // root, sections, c.inner

    assertThat(SubtreeValidationDifferentialTest.render(subtrees.validate(schema, json)))
        .isEqualTo(everit);
    assertThat(subtrees.validatedNodes).isZero(); // every verdict kept, the helper's too
  }

  @Test
  void aValidDocumentPassesAndOneChangedSectionIsValidatedAlone() {
    Schema schema = SubtreeValidationDifferentialTest.load(SCHEMA);
    JSONObject json = new JSONObject("{\"a\": {\"port\": 1}, \"b\": {\"port\": 2},"
        + " \"c\": {\"port\": 3}, \"d\": {\"port\": 4}, \"e\": {\"port\": 5}}");
    SubtreeValidation subtrees = new SubtreeValidation();
    assertThat(subtrees.validate(schema, json)).isEmpty();
    JSONObject next = new JSONObject(); // as the build hands it: unchanged subtrees the same
    for (String key : List.of("a", "b", "c", "d")) {
      next.put(key, json.get(key));
    }
    next.put("e", new JSONObject("{\"port\": 50}")); // in the helper's half
    assertThat(SubtreeValidationDifferentialTest.render(subtrees.validate(schema, next)))
        .singleElement().asString().startsWith("#/e/port maximum ");
    assertThat(subtrees.validatedNodes).isEqualTo(2); // the root and e
  }
}
