package io.qcfg.internal.history;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import io.qcfg.internal.text.IsoTime;
import io.qcfg.internal.text.PlainJsonObject;
import java.io.StringWriter;

/**
 * JSON of history entries with jackson-core alone (issue 16): jackson-databind's initialisation
 * was most of the start-up's history cost. Values are copied token by token exactly as databind's
 * tree model (with {@code USE_BIG_DECIMAL_FOR_FLOATS}, trailing zeros kept) wrote them: integers
 * as their value, other numbers as {@link java.math.BigDecimal#toString()}, strings through the
 * same generator escaping; so files written before and after the switch are byte-identical.
 */
final class EntryJson {
  // Made on first use: an entry whose text needs no escaping is written without jackson-core.
  private static final class Json {
    static final JsonFactory FACTORY = JsonFactory.builder().build();
  }

  private EntryJson() {}

  /** The value at the parser's current token, compact, as text; the parser ends on its end. */
  static String copyValue(JsonParser p) throws IOException {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = Json.FACTORY.createGenerator(out)) {
      copy(p, g);
    }
    return out.toString();
  }

  /** Writes the value at the parser's current token to {@code g}; the parser ends on its end. */
  static void copy(JsonParser p, JsonGenerator g) throws IOException {
    int depth = 0;
    JsonToken t = p.currentToken();
    while (t != null) {
      switch (t) {
        case START_OBJECT, START_ARRAY -> {
          depth++;
          g.copyCurrentEvent(p);
        }
        case END_OBJECT, END_ARRAY -> {
          depth--;
          g.copyCurrentEvent(p);
        }
        case VALUE_NUMBER_INT -> {
          switch (p.getNumberType()) {
            case INT -> g.writeNumber(p.getIntValue());
            case LONG -> g.writeNumber(p.getLongValue());
            default -> g.writeNumber(p.getBigIntegerValue());
          }
        }
        case VALUE_NUMBER_FLOAT -> g.writeNumber(p.getDecimalValue());
        default -> g.copyCurrentEvent(p); // names, strings, true, false, null
      }
      if (depth == 0) {
        return;
      }
      t = p.nextToken();
    }
  }

  /**
   * {@code treeJson} copied token by token, as databind's tree model wrote it (see the class
   * comment). @throws IOException when it is not one JSON value
   */
  static String copied(String treeJson) throws IOException {
    // UTF-8 like databind's writeValueAsBytes (which escapes surrogate pairs, unlike a Writer).
    java.io.ByteArrayOutputStream treeBytes = new java.io.ByteArrayOutputStream(
        treeJson.length() + 16);
    try (JsonParser p = Json.FACTORY.createParser(treeJson);
        JsonGenerator g = Json.FACTORY.createGenerator(treeBytes)) {
      if (p.nextToken() == null) {
        throw new IOException("empty tree");
      }
      copy(p, g);
      if (p.nextToken() != null) {
        throw new IOException("trailing tokens");
      }
    }
    return treeBytes.toString(java.nio.charset.StandardCharsets.UTF_8);
  }

  // The same bytes as the generator below when no string needs escaping; else null.
  private static byte[] plain(HistoryEntry entry, String tree, int format) {
    PlainJsonObject o = new PlainJsonObject()
        .field("format", format)
        .field("version", entry.version())
        .field("checksum", entry.checksum())
        .field("environment", entry.environment())
        .field("environmentSource", entry.environmentSource())
        .field("createdAt", IsoTime.instant(entry.createdAt()))
        .field("cause", entry.cause())
        .field("actor", entry.actor())
        .field("files", entry.files());
    if (entry.confirmed()) {
      o.field("confirmed", true);
    }
    return o.rawField("tree", tree).bytes();
  }

  /** An entry file's bytes and its tree's compact text. */
  record Rendered(byte[] bytes, String tree) {}

  /**
   * The entry file of {@code entry} with {@code treeJson} as its tree: the fields in the order the
   * databind tree model wrote them, compact, UTF-8.
   *
   * @throws IOException when {@code treeJson} is not one JSON value
   */
  static Rendered render(HistoryEntry entry, String treeJson, int format) throws IOException {
    String tree = EntryTreeText.unchanged(treeJson) ? treeJson : copied(treeJson);
    byte[] plain = plain(entry, tree, format);
    return new Rendered(plain != null ? plain : generated(entry, tree, format), tree);
  }

  /** The entry file of {@code entry} with the compact {@code tree}, by jackson-core's generator. */
  static byte[] generated(HistoryEntry entry, String tree, int format) throws IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(tree.length() + 512);
    try (JsonGenerator g = Json.FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeNumberField("format", format);
      g.writeNumberField("version", entry.version());
      g.writeStringField("checksum", entry.checksum());
      g.writeStringField("environment", entry.environment());
      g.writeStringField("environmentSource", entry.environmentSource());
      g.writeStringField("createdAt", IsoTime.instant(entry.createdAt()));
      g.writeStringField("cause", entry.cause());
      g.writeStringField("actor", entry.actor());
      g.writeArrayFieldStart("files");
      for (String f : entry.files()) {
        g.writeString(f);
      }
      g.writeEndArray();
      if (entry.confirmed()) {
        g.writeBooleanField("confirmed", true); // absent in older files: read as false
      }
      g.writeFieldName("tree");
      g.writeRawValue(tree); // rendered above by a UTF-8 generator of the same settings: ASCII
      g.writeEndObject();      // escapes and UTF-8 text, written back as the same bytes
    }
    return out.toByteArray();
  }
}
