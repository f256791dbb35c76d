package io.qcfg.internal.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.qcfg.internal.text.IsoTime;
import io.qcfg.internal.text.PlainJsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;

/**
 * Audit lines and {@code audit.head} with jackson-core alone (issue 16): writing the start-up's
 * line and reading the log's end at open no longer initialise jackson-databind, whose start was
 * most of a short-lived JVM's exit wait. The bytes written are those the databind tree model
 * wrote (same generator, same field order), so {@code audit verify} and older readers see no
 * change; the verifier itself still reads with databind.
 */
final class AuditLine {
  // Made on first use: a line whose text needs no escaping is written without jackson-core.
  private static final class Json {
    static final JsonFactory JSON =
        JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
  }

  /** The top-level fields a reader of the log's end needs; -1 or null when absent. */
  record Fields(long seq, String prev, String hash, long version, long fromVersion, long first) {}

  /** {@link Fields} as a reader finds them, one by one. */
  static final class Found {
    long seq = -1;
    long version = -1;
    long from = -1;
    long first = -1;
    String prev;
    String hash;

    Fields fields() {
      return new Fields(seq, prev, hash, version, from, first);
    }
  }

  private AuditLine() {}

  /** One line without its newline, as {@link AuditFormat#render} documents it. */
  static byte[] render(AuditEvent e, Instant time, long seq, String prev) throws IOException {
    byte[] plain = plain(e, time, seq, prev);
    return plain != null ? plain : generated(e, time, seq, prev);
  }

  /** {@link #render} with jackson-core's generator, whatever the strings hold. */
  static byte[] generated(AuditEvent e, Instant time, long seq, String prev) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator g = Json.JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeNumberField("seq", seq);
      g.writeStringField("time", IsoTime.instant(time)); // no java.time.format (issue 16)
      g.writeStringField("event", e.type().wireName());
      g.writeStringField("actor", e.actor());
      g.writeStringField("cause", e.cause());
      if (e.version() != null) {
        g.writeNumberField("version", e.version());
      }
      if (e.fromVersion() != null) {
        g.writeNumberField("fromVersion", e.fromVersion());
      }
      if (!e.paths().isEmpty()) {
        g.writeArrayFieldStart("paths");
        for (String p : e.paths()) {
          g.writeString(p);
        }
        g.writeEndArray();
      }
      if (!e.problems().isEmpty()) {
        g.writeArrayFieldStart("problems");
        for (String p : e.problems()) {
          g.writeString(p);
        }
        g.writeEndArray();
      }
      if (!e.details().isEmpty()) {
        g.writeObjectFieldStart("details");
        for (var d : e.details().entrySet()) {
          g.writeStringField(d.getKey(), d.getValue());
        }
        g.writeEndObject();
      }
      g.writeStringField("prev", prev);
      g.writeEndObject();
    }
    return out.toByteArray();
  }

  // The same bytes as the generator in render when no string needs escaping; else null.
  private static byte[] plain(AuditEvent e, Instant time, long seq, String prev) {
    PlainJsonObject o = new PlainJsonObject()
        .field("seq", seq)
        .field("time", IsoTime.instant(time))
        .field("event", e.type().wireName())
        .field("actor", e.actor())
        .field("cause", e.cause());
    if (e.version() != null) {
      o.field("version", e.version());
    }
    if (e.fromVersion() != null) {
      o.field("fromVersion", e.fromVersion());
    }
    if (!e.paths().isEmpty()) {
      o.field("paths", e.paths());
    }
    if (!e.problems().isEmpty()) {
      o.field("problems", e.problems());
    }
    if (!e.details().isEmpty()) {
      o.field("details", e.details());
    }
    return o.field("prev", prev).bytes();
  }

  /** {@code {"seq":N,"hash":"H","first":F}}, as the tree model rendered it. */
  static String head(long seq, String hash, long first) {
    return "{\"seq\":" + seq + ",\"hash\":\"" + hash + "\",\"first\":" + first + "}";
  }

  /**
   * The top-level fields of one line or of {@code audit.head}: without jackson-core when the text
   * is plain ({@link PlainAuditLine}), as every start-up line and head is.
   *
   * @throws IOException when it is not exactly one JSON object (strict: duplicate keys, trailing
   *     tokens)
   */
  static Fields read(byte[] line) throws IOException {
    Fields plain = PlainAuditLine.read(line);
    return plain != null ? plain : parsed(line);
  }

  /** {@link #read} with jackson-core's parser, whatever the text. */
  static Fields parsed(byte[] line) throws IOException {
    try (JsonParser p = Json.JSON.createParser(line)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException("not a JSON object");
      }
      Found f = new Found();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken v = p.nextToken();
        switch (name) {
          case "seq" -> f.seq = whole(p, v);
          case "version" -> f.version = whole(p, v);
          case "fromVersion" -> f.from = whole(p, v);
          case "first" -> f.first = whole(p, v);
          case "prev" -> f.prev = v == JsonToken.VALUE_STRING ? p.getText() : null;
          case "hash" -> f.hash = v == JsonToken.VALUE_STRING ? p.getText() : null;
          default -> p.skipChildren();
        }
      }
      if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
        throw new IOException("not one JSON object");
      }
      return f.fields();
    }
  }

  private static long whole(JsonParser p, JsonToken v) throws IOException {
    if (v == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
      return p.getLongValue();
    }
    p.skipChildren();
    return -1;
  }
}
