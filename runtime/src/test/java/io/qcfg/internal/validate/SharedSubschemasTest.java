package io.qcfg.internal.validate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qcfg.Problem;
import io.qcfg.internal.layer.LayerFileReader;
import io.qcfg.internal.layer.Limits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.everit.json.schema.ObjectSchema;
import org.everit.json.schema.ReferenceSchema;
import org.everit.json.schema.Schema;
import org.everit.json.schema.ValidationException;
import org.json.JSONObject;
import org.json.JSONTokener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Differential (issue 16): a schema whose repeated subschemas are shared ({@link
 * SharedSubschemas}) validates exactly as everit validates the document as written: the same
 * failures, flattened, with the same pointer, keyword and message, through everit alone and
 * through {@link SubtreeValidation}; on generated documents and on every case of the
 * JSON-Schema-Test-Suite (draft-07) with its schema placed twice in one document.
 *
 * <p>Between the written and the shared schema the failures are compared in any order: everit
 * sorts the parts of the {@code allOf} it builds for a schema with several keyword groups (say
 * {@code properties} beside {@code if}/{@code then}) by their {@code hashCode}, which changes when
 * a property's subschema becomes a {@code $ref} (and from JVM to JVM, since some parts hash by
 * identity). For one schema, {@link SubtreeValidation} must give everit's own order exactly.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class SharedSubschemasTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  @Property(tries = 300)
  void generatedDocumentsFailAlike(@ForAll("cases") SubtreeValidationDifferentialTest.Case c) {
    String text = SubtreeValidationDifferentialTest.SCHEMAS.get(c.schema());
    Object raw = SchemaValidator.parseSchemaJson(text);
    String inner = SubtreeValidationDifferentialTest.INNER;
    if (text.indexOf(inner) != text.lastIndexOf(inner)) {
      assertThat(SharedSubschemas.rewrite(raw)).as("INNER repeats: shared").isNotNull();
    }
    Schema written = SchemaValidator.loadEverit(SchemaValidator.parseSchemaJson(text));
    Schema shared = SchemaValidator.loadShared(raw);
    List<String> expected = whole(shared, c.document());
    assertThat(expected).containsExactlyInAnyOrderElementsOf(whole(written, c.document()));
    SubtreeValidation subtrees = new SubtreeValidation();
    JSONObject doc = new JSONObject(c.document());
    assertThat(SubtreeValidationDifferentialTest.render(subtrees.validate(shared, doc)))
        .isEqualTo(expected);
    assertThat(SubtreeValidationDifferentialTest.render(subtrees.validate(shared, doc)))
        .as("from the memo").isEqualTo(expected);
  }

  @Provide
  Arbitrary<SubtreeValidationDifferentialTest.Case> cases() {
    return new SubtreeValidationDifferentialTest().cases();
  }

  @Test
  void testSuiteSchemasPlacedTwiceFailAlike() throws Exception {
    int compared = 0;
    for (String file : JsonSchemaTestSuiteTest.FILES) {
      for (JsonNode group : JsonSchemaTestSuiteTest.groups(file)) {
        String s = JSON.writeValueAsString(group.get("schema"));
        String twice = "{\"properties\": {\"a\": {\"properties\": {\"v\": " + s + "}},"
            + " \"b\": {\"properties\": {\"v\": " + s + "}}}}";
        Object raw = SchemaValidator.parseSchemaJson(twice);
        if (SharedSubschemas.rewrite(raw) == null) {
          assertThat(s).as(file).containsAnyOf("$ref", "$id", "\"id\"");
          continue;
        }
        Schema written;
        try {
          written = SchemaValidator.loadEverit(SchemaValidator.parseSchemaJson(twice));
        } catch (RuntimeException e) {
          continue; // everit refuses the schema itself (decimal counts)
        }
        Schema shared = SchemaValidator.loadShared(raw);
        for (JsonNode test : group.get("tests")) {
          String data = JSON.writeValueAsString(test.get("data"));
          String doc = "{\"a\": {\"v\": " + data + "}, \"b\": {\"v\": " + data + "}}";
          List<String> expected = whole(shared, doc);
          String name = file + ": " + group.get("description").asText() + " / "
              + test.get("description").asText();
          assertThat(expected).as(name).containsExactlyInAnyOrderElementsOf(whole(written, doc));
          assertThat(SubtreeValidationDifferentialTest.render(
              new SubtreeValidation().validate(shared, new JSONTokener(doc).nextValue())))
              .as(name).isEqualTo(expected);
          compared++;
        }
      }
    }
    assertThat(compared).isGreaterThan(600);
  }

  @Test
  void repeatedSectionsAreLoadedOnce() {
    StringBuilder sb = new StringBuilder("{\"type\": \"object\", \"properties\": {");
    for (int i = 0; i < 20; i++) {
      sb.append(i == 0 ? "" : ",").append("\"section-").append(i).append("\": {\"type\":")
          .append(" \"object\", \"required\": [\"port\"], \"properties\": {\"port\": {\"type\":")
          .append(" \"integer\"}, \"tags\": {\"type\": \"array\", \"items\": {\"type\":")
          .append(" \"string\", \"pattern\": \"^[a-z]+$\"}}}}");
    }
    Object raw = SchemaValidator.parseSchemaJson(sb.append("}}").toString());
    ObjectSchema root = (ObjectSchema) SchemaValidator.loadShared(raw);
    Schema first = SubtreeValidation.referred(root.getPropertySchemas().get("section-0"));
    assertThat(root.getPropertySchemas().get("section-0")).isInstanceOf(ReferenceSchema.class);
    for (Schema s : root.getPropertySchemas().values()) {
      assertThat(SubtreeValidation.referred(s)).isSameAs(first);
    }
    assertThat(SubtreeValidation.decomposes((ObjectSchema) first)).isTrue();
  }

  /** The content identity writes lengths and classes: texts that only look alike never share. */
  @Test
  void contentsThatOnlyLookAlikeAreNotShared() {
    List<List<String>> pairs = List.of(
        List.of("\"const\": 1", "\"const\": \"1\""),
        List.of("\"const\": 1", "\"const\": 1.0"),
        List.of("\"enum\": [\"a,b\"]", "\"enum\": [\"a\", \"b\"]"),
        List.of("\"ab\": \"c\"", "\"a\": \"bc\""),
        List.of("\"enum\": [[1], 2]", "\"enum\": [[1, 2]]"),
        List.of("\"const\": null", "\"const\": \"null\""));
    for (List<String> pair : pairs) {
      String a = "{\"properties\": {\"p\": {" + pair.get(0) + "}}}";
      String b = "{\"properties\": {\"p\": {" + pair.get(1) + "}}}";
      assertThat(SharedSubschemas.rewrite(SchemaValidator.parseSchemaJson(
          "{\"properties\": {\"a\": " + a + ", \"b\": " + b + "}}"))).as(pair.toString()).isNull();
      assertThat(SharedSubschemas.rewrite(SchemaValidator.parseSchemaJson(
          "{\"properties\": {\"a\": " + a + ", \"b\": " + a + "}}"))).as(pair.get(0))
          .isNotNull();
    }
  }

  @Test
  void documentsWhereAPlaceMattersAreNotRewritten() {
    String section = "{\"properties\": {\"p\": {\"type\": \"integer\"}}}";
    for (String extra : List.of("\"$ref\": \"#/properties/a\"", "\"$id\": \"http://x/y\"",
        "\"id\": \"http://x/y\"", "\"x-qcfg-shared\": {}")) {
      String text = "{" + extra + ", \"properties\": {\"a\": " + section + ", \"b\": " + section
          + ", \"c\": {}}}";
      assertThat(SharedSubschemas.rewrite(SchemaValidator.parseSchemaJson(text)))
          .as(extra).isNull();
    }
    assertThat(SharedSubschemas.rewrite(SchemaValidator.parseSchemaJson(
        "{\"properties\": {\"a\": " + section + ", \"b\": " + section + "}}"))).isNotNull();
    assertThat(SharedSubschemas.rewrite(SchemaValidator.parseSchemaJson(
        "{\"properties\": {\"a\": " + section + ", \"b\": {\"type\": \"string\"}}}"))).isNull();
  }

  @Test
  void anInvalidRepeatedSubschemaIsReportedWhereItIsWritten() throws Exception {
    String bad = "{\"properties\": {\"x\": {\"type\": \"nope\"}}}";
    Path file = Files.writeString(tmp.resolve("schema.json"),
        "{\"properties\": {\"a\": " + bad + ", \"b\": " + bad + "}}");
    List<Problem> problems = new ArrayList<>();
    new SchemaValidator(new LayerFileReader(Limits.DEFAULT)::readText).load(file, problems);
    assertThat(problems).hasSize(1);
    assertThat(problems.get(0).id()).isEqualTo("QCFG-1202");
    assertThat(problems.get(0).reason()).contains("#/properties/a")
        .doesNotContain(SharedSubschemas.HOLDER);
  }

  /** everit's failures for {@code document}, flattened as qcfg flattens them. */
  static List<String> whole(Schema schema, String document) {
    List<String> out = new ArrayList<>();
    try {
      schema.validate(new JSONTokener(document).nextValue());
    } catch (ValidationException e) {
      SubtreeValidationDifferentialTest.flatten(e, out);
    }
    return out;
  }
}
