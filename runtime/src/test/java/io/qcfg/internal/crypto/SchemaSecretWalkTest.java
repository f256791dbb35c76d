package io.qcfg.internal.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.json.JSONTokener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The org.json walk finds exactly what the Jackson walk finds (differential, random schemas). */
@Timeout(60)
class SchemaSecretWalkTest {
  private static final String[] KEYS = {"properties", "patternProperties", "additionalProperties",
      "items", "additionalItems", "allOf", "anyOf", "oneOf", "then", "else", "x-secret",
      "writeOnly", "$ref", "definitions", "a", "b.c", "d~e/f"};

  private static void same(String schema) {
    List<String> jackson = SecretPaths.schemaPatterns(schema, "s.json");
    List<String> orgJson = SchemaSecretWalk.patterns(new JSONTokener(schema).nextValue());
    assertThat(orgJson).as(schema).containsExactlyInAnyOrderElementsOf(jackson);
  }

  @Test
  void handWrittenSchemas() {
    same("{\"x-secret\": true}");
    same("{\"properties\": {\"a\": {\"x-secret\": \"true\"}, \"b\": {\"writeOnly\": 1},"
        + " \"c\": {\"x-secret\": 0}, \"d\": {\"x-secret\": \"yes\"}}}");
    same("{\"definitions\": {\"p\": {\"x-secret\": true}, \"a/b\": {\"writeOnly\": true}},"
        + " \"properties\": {\"x\": {\"$ref\": \"#/definitions/p\"},"
        + " \"y\": {\"$ref\": \"#/definitions/a~1b\"}, \"z\": {\"$ref\": \"#\"},"
        + " \"w\": {\"$ref\": \"#/definitions/missing\"}, \"v\": {\"$ref\": \"#nope\"}}}");
    same("{\"items\": [{\"x-secret\": true}, 3, {\"properties\": {\"k\": {\"x-secret\": true}}}],"
        + " \"patternProperties\": [{\"x-secret\": true}], \"allOf\": {\"q\": {\"x-secret\": true}},"
        + " \"then\": {\"properties\": {\"t\": {\"writeOnly\": true}}}, \"else\": 4}");
    same("{\"properties\": []}");
    same("{\"definitions\": {\"l\": {\"properties\": {\"n\": {\"$ref\": \"#/definitions/l\"},"
        + " \"s\": {\"x-secret\": true}}}}, \"$ref\": \"#/definitions/l\"}");
  }

  @Test
  void randomSchemas() {
    Random r = new Random(16);
    for (int i = 0; i < 2_000; i++) {
      same(object(r, 0));
    }
  }

  private static String object(Random r, int depth) {
    StringBuilder sb = new StringBuilder("{");
    int n = depth > 5 ? 0 : r.nextInt(4);
    java.util.Set<String> used = new java.util.HashSet<>();
    for (int i = 0; i < n; i++) {
      String k = KEYS[r.nextInt(KEYS.length)];
      if (!used.add(k)) {
        continue;
      }
      if (sb.length() > 1) {
        sb.append(", ");
      }
      sb.append('"').append(k.replace("\\", "\\\\")).append("\": ").append(value(r, k, depth));
    }
    return sb.append('}').toString();
  }

  private static String value(Random r, String key, int depth) {
    return switch (key) {
      case "x-secret", "writeOnly" -> List.of("true", "false", "\"true\"", "1", "0", "null")
          .get(r.nextInt(6));
      case "$ref" -> List.of("\"#\"", "\"#/definitions/a\"", "\"#/properties/a\"",
          "\"#/definitions/d~0e~1f\"", "\"#/items/0\"", "\"http://x\"").get(r.nextInt(6));
      default -> switch (r.nextInt(4)) {
        case 0 -> "[" + object(r, depth + 1) + ", " + object(r, depth + 1) + "]";
        case 1 -> "7";
        default -> object(r, depth + 1);
      };
    };
  }
}
